"""wire:addons: defaults off, required fields, and the rules relating add-ons to DNS, IRSA and cannon."""

from __future__ import annotations

from typing import Any

from tests.components.config.config_support import base, load, problems

ZONE = {"zoneId": "Z0123456789EXAMPLE", "target": {"hostname": "lb.example.net"}, "hosts": ["nginz-https", "webapp"]}
CERT_MANAGER = {"install": True, "email": "ops@example.com"}
LB_CONTROLLER = {"install": True, "clusterName": "wire-prod"}
WSLB: dict[str, Any] = {
    "websocketLoadBalancer": {
        "enabled": True,
        "hostname": "nginz-ssl.example.com",
        "certManager": {"enabled": True},
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-type": "external"},
    }
}


def test_add_ons_are_off_by_default_and_warn_about_nothing() -> None:
    cfg = load(base())
    assert not cfg.addons.cert_manager.install
    assert not cfg.addons.aws_load_balancer_controller.install
    assert not cfg.addons.any_installed
    assert cfg.warnings() == []


def test_install_needs_email_and_cluster_name() -> None:
    found = problems(base(addons={"certManager": {"install": True}, "awsLoadBalancerController": {"install": True}}))
    assert any("certManager.install needs email" in p for p in found)
    assert any("awsLoadBalancerController.install needs clusterName" in p for p in found)


def test_bad_cluster_name_and_vpc_id_are_named() -> None:
    found = problems(base(addons={"awsLoadBalancerController": {"clusterName": "has space", "vpcId": "vpc-xyz"}}))
    assert any("'has space' is not an EKS cluster name" in p for p in found)
    assert any("'vpc-xyz' is not a VPC id" in p for p in found)


def test_dns01_needs_the_zone_and_an_oidc_provider() -> None:
    values = base(
        addons={"certManager": {**CERT_MANAGER, "issuer": "dns01"}},
        serviceCredentials={"mode": "staticKeys"},
    )
    found = problems(values)
    assert any("issuer: 'dns01' needs wire:dns" in p for p in found)
    assert any("'dns01' needs wire:serviceCredentials.oidcProviderArn" in p for p in found)
    cfg = load(base(addons={"certManager": {**CERT_MANAGER, "issuer": "dns01"}}, dns=ZONE))
    assert cfg.addons.cert_manager.issuer == "dns01"


def test_http01_needs_no_zone_nor_role() -> None:
    cfg = load(base(addons={"certManager": CERT_MANAGER}, serviceCredentials={"mode": "staticKeys"}))
    assert cfg.addons.cert_manager.issuer == "http01"


def test_lb_controller_needs_an_oidc_provider() -> None:
    found = problems(
        base(addons={"awsLoadBalancerController": LB_CONTROLLER}, serviceCredentials={"mode": "staticKeys"})
    )
    assert any("awsLoadBalancerController.install: needs wire:serviceCredentials.oidcProviderArn" in p for p in found)


def test_cannons_443_only_load_balancer_needs_dns01() -> None:
    found = problems(base(addons={"certManager": CERT_MANAGER}, cannon=WSLB, dns=ZONE))
    assert any("listens only on 443" in p and "'dns01'" in p for p in found)
    load(base(addons={"certManager": {**CERT_MANAGER, "issuer": "dns01"}}, cannon=WSLB, dns=ZONE))


def test_cannons_issuer_must_be_the_cluster_issuer_created() -> None:
    cannon = {
        "websocketLoadBalancer": {
            **WSLB["websocketLoadBalancer"],
            "certManager": {"enabled": True, "issuerName": "other"},
        }
    }
    found = problems(base(addons={"certManager": {**CERT_MANAGER, "issuer": "dns01"}}, cannon=cannon, dns=ZONE))
    assert any("asks for ClusterIssuer 'other'" in p and "issuerName 'letsencrypt'" in p for p in found)
    cannon["websocketLoadBalancer"]["certManager"] = {"enabled": True, "issuerKind": "Issuer"}
    found = problems(base(addons={"certManager": {**CERT_MANAGER, "issuer": "dns01"}}, cannon=cannon, dns=ZONE))
    assert any("asks for Issuer 'letsencrypt'" in p for p in found)


def test_every_problem_is_reported_at_once() -> None:
    values = base(
        addons={"certManager": {**CERT_MANAGER, "issuer": "dns01"}, "awsLoadBalancerController": LB_CONTROLLER},
        serviceCredentials={"mode": "staticKeys"},
    )
    assert len([p for p in problems(values) if "addons" in p]) == 3


def test_aws_nlb_without_the_controller_warns_what_must_exist() -> None:
    for ingress in ({"controller": "envoyGateway", "loadBalancer": "awsNlb"}, {"controller": "awsNlb"}):
        cfg = load(base(ingress=ingress))
        (warning,) = [w for w in cfg.warnings() if "Load Balancer Controller" in w]
        assert "AWS Load Balancer Controller" in warning
        assert "kubectl -n kube-system get deploy aws-load-balancer-controller" in warning
    nlb = {"controller": "envoyGateway", "loadBalancer": "awsNlb"}
    addons = {"awsLoadBalancerController": LB_CONTROLLER, "certManager": CERT_MANAGER}
    assert load(base(ingress=nlb, addons=addons, dns=ZONE)).warnings() == []


def test_cannons_external_load_balancer_alone_needs_the_controller_too() -> None:
    cfg = load(base(cannon=WSLB, dns=ZONE))
    warnings = cfg.warnings()
    assert any("AWS Load Balancer Controller" in w for w in warnings)
    # An existing issuer must solve DNS-01 for cannon's hostname: said, since it cannot be checked here.
    assert any("must solve DNS-01" in w for w in warnings)
    plain = {"websocketLoadBalancer": {**WSLB["websocketLoadBalancer"], "annotations": {}}}
    assert not any("Load Balancer Controller" in w for w in load(base(cannon=plain, dns=ZONE)).warnings())
