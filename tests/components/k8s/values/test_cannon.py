"""cannon: drain options and its own websocket load balancer."""

from __future__ import annotations

from pydantic import SecretStr

from components.k8s.values.nginx_ingress_services import nginx_ingress_services_values
from tests.components.k8s.k8s_support import make_cfg
from tests.components.k8s.values.values_support import WSLB, ws


def test_drain_opts_path() -> None:
    cfg = make_cfg(cannon={"drain": {"gracePeriodSeconds": 60, "millisecondsBetweenBatches": 100, "minBatchSize": 5}})
    cannon = ws(cfg)["cannon"]
    assert cannon["config"]["drainOpts"] == {
        "gracePeriodSeconds": 60,
        "millisecondsBetweenBatches": 100,
        "minBatchSize": 5,
    }
    assert "drainOpts" not in cannon  # the guide's cannon.drainOpts is not read by the chart


def test_separate_websocket_lb() -> None:
    cfg = make_cfg(cannon=WSLB)
    values = ws(cfg)
    nginz_service = values["cannon"]["service"]["nginz"]
    assert nginz_service == {
        "enabled": True,
        "hostname": "nginz-ssl.example.org",
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
        "externalDNS": {"enabled": True},
        "certManager": {"enabled": True, "issuer": {"name": "le", "kind": "Issuer"}},
    }
    assert "cannon" in values["nginz"]["nginx_conf"]["ignored_upstreams"]
    assert "tls" not in values["cannon"]["secrets"]["nginz"]
    assert values["cannon"]["nginx_conf"]["external_env_domain"] == "example.org"
    assert nginx_ingress_services_values(cfg)["websockets"] == {"enabled": False}


def test_cannon_zauth_is_the_same_secret_as_nginz_and_brig() -> None:
    values = ws(make_cfg(cannon=WSLB))
    cannon_key = values["cannon"]["secrets"]["nginz"]["zAuth"]["publicKeys"]
    assert isinstance(cannon_key, SecretStr)
    assert cannon_key is values["nginz"]["secrets"]["zAuth"]["publicKeys"]
    assert cannon_key is values["brig"]["secrets"]["zAuth"]["publicKeys"]


def test_websocket_lb_with_own_certificate() -> None:
    wslb = {"websocketLoadBalancer": {**WSLB["websocketLoadBalancer"], "certManager": {"enabled": False}}}
    wslb["websocketLoadBalancer"]["tls"] = {"crt": "CERT", "key": "KEY"}
    secrets = ws(make_cfg(cannon=wslb))["cannon"]["secrets"]["nginz"]
    assert secrets["tls"]["crt"] == "CERT"
    assert secrets["tls"]["key"].get_secret_value() == "KEY"


def test_without_websocket_lb() -> None:
    cfg = make_cfg()
    values = ws(cfg)
    assert "service" not in values["cannon"]
    assert "nginz" not in values["cannon"]["secrets"]
    assert values["nginz"]["nginx_conf"]["ignored_upstreams"] == []
    assert nginx_ingress_services_values(cfg)["websockets"] == {"enabled": True}
    assert nginx_ingress_services_values(cfg)["config"]["dns"]["ssl"] == "nginz-ssl.example.org"
