"""nginx-ingress-services: hostnames, no fake S3, TLS."""

from __future__ import annotations

from components.k8s.values.nginx_ingress_services import nginx_ingress_services_values
from tests.components.k8s.k8s_support import make_cfg


def test_nginx_ingress_services() -> None:
    cfg = make_cfg(
        webApps={"teamSettings": True, "accountPages": False},
        dns={"zoneId": "Z123", "target": {"fromIngressController": True}, "hosts": ["nginz-https", "federator"]},
        ingress={"controller": "awsNlb"},
    )
    values = nginx_ingress_services_values(cfg)
    assert values["fakeS3"] == {"enabled": False}
    assert values["service"]["useFakeS3"] is False
    assert values["config"]["dns"] == {
        "https": "nginz-https.example.org",
        "ssl": "nginz-ssl.example.org",
        "webapp": "webapp.example.org",
        "teamSettings": "teams.example.org",
        "federator": "federator.example.org",
    }
    assert values["teamSettings"] == {"enabled": True}
    assert values["accountPages"] == {"enabled": False}
    assert values["tls"]["useCertManager"] is True
