"""Values of the add-on releases and the ClusterIssuer, as pure data (the charts are not in the repository)."""

from __future__ import annotations

from components.k8s.values import addons as v
from components.k8s.values.nginx_ingress_services import nginx_ingress_services_values
from tests.components.k8s.k8s_support import make_cfg

ROLE = "arn:aws:iam::012345678901:role/staging-cert-manager"
ZONE = {"zoneId": "Z0123456789EXAMPLE", "target": {"hostname": "lb.example.net"}}
CERT_MANAGER = {"install": True, "email": "ops@example.org"}


def test_cert_manager_installs_its_crds_and_keeps_them() -> None:
    values = v.cert_manager_values()
    assert values["crds"] == {"enabled": True, "keep": True}
    assert "installCRDs" not in values
    assert values["serviceAccount"] == {"create": True, "name": "cert-manager"}


def test_cert_manager_service_account_carries_the_route53_role() -> None:
    account = v.cert_manager_values(ROLE)["serviceAccount"]
    assert account["annotations"] == {"eks.amazonaws.com/role-arn": ROLE}


def test_http01_issuer_answers_through_the_ingress_class_on_staging_outside_production() -> None:
    cfg = make_cfg(addons={"certManager": CERT_MANAGER}, ingress={"ingressClass": "wire-nginx"})
    issuer = v.cluster_issuer_manifest(cfg)
    assert issuer["apiVersion"] == "cert-manager.io/v1"
    assert issuer["kind"] == "ClusterIssuer"
    assert issuer["metadata"] == {"name": "letsencrypt"}
    acme = issuer["spec"]["acme"]
    assert acme["server"] == v.LETS_ENCRYPT_STAGING  # environment 'staging' is not production
    assert acme["email"] == "ops@example.org"
    assert acme["privateKeySecretRef"] == {"name": "letsencrypt-account-key"}
    assert acme["solvers"] == [{"http01": {"ingress": {"ingressClassName": "wire-nginx"}}}]


def test_dns01_issuer_names_the_zone_and_region() -> None:
    cfg = make_cfg(addons={"certManager": {**CERT_MANAGER, "issuer": "dns01", "staging": False}}, dns=ZONE)
    acme = v.cluster_issuer_manifest(cfg)["spec"]["acme"]
    assert acme["server"] == v.LETS_ENCRYPT
    assert acme["solvers"] == [
        {
            "selector": {"dnsZones": ["example.org"]},
            "dns01": {"route53": {"region": "eu-central-1", "hostedZoneID": "Z0123456789EXAMPLE"}},
        }
    ]


def test_production_uses_lets_encrypts_real_server() -> None:
    cfg = make_cfg(addons={"certManager": {**CERT_MANAGER, "issuerName": "le"}}, production=True)
    issuer = v.cluster_issuer_manifest(cfg)
    assert issuer["spec"]["acme"]["server"] == v.LETS_ENCRYPT
    assert issuer["metadata"]["name"] == "le"


def test_lb_controller_values() -> None:
    cfg = make_cfg(addons={"awsLoadBalancerController": {"install": True, "clusterName": "wire-staging"}})
    values = v.aws_load_balancer_controller_values(cfg, "arn:aws:iam::1:role/x")
    assert values == {
        "clusterName": "wire-staging",
        "region": "eu-central-1",
        "replicaCount": 2,
        "serviceAccount": {
            "create": True,
            "name": "aws-load-balancer-controller",
            "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x"},
        },
    }
    with_vpc = make_cfg(
        addons={"awsLoadBalancerController": {"install": True, "clusterName": "c", "vpcId": "vpc-0123abcd"}}
    )
    assert v.aws_load_balancer_controller_values(with_vpc)["vpcId"] == "vpc-0123abcd"


def test_nginx_ingress_services_uses_the_cluster_issuer_created() -> None:
    tls = nginx_ingress_services_values(make_cfg(addons={"certManager": {**CERT_MANAGER, "issuerName": "le"}}))["tls"]
    assert tls["createIssuer"] is False
    assert tls["issuer"] == {"name": "le", "kind": "ClusterIssuer"}
    # Without the add-on the chart keeps creating its own HTTP-01 Issuer, as before.
    default = nginx_ingress_services_values(make_cfg())
    assert default["tls"]["createIssuer"] is True and "issuer" not in default["tls"]
