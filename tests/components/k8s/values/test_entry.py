"""The entry point releases: ingress-nginx behind an NLB, metallb."""

from __future__ import annotations

from components.k8s.values.entry import ingress_nginx_values, metallb_manifests, metallb_values
from tests.components.k8s.k8s_support import make_cfg


def test_ingress_nginx_on_aws_has_nlb_annotations() -> None:
    controller = ingress_nginx_values(make_cfg(ingress={"controller": "awsNlb"}))["controller"]
    annotations = controller["service"]["annotations"]
    assert controller["service"]["type"] == "LoadBalancer"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "external"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] == "ip"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internet-facing"
    # PROXY protocol on the NLB requires it in the controller, or every request is garbage.
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-proxy-protocol"] == "*"
    assert controller["config"]["use-proxy-protocol"] == "true"
    # nginz caps bodies per location (assets up to 40m): ingress-nginx's default 1m would refuse larger assets.
    assert controller["config"]["proxy-body-size"] == "0"


def test_metallb_entry_point() -> None:
    cfg = make_cfg(
        ingress={"controller": "metallb", "metallbAddresses": ["203.0.113.10/32", "203.0.113.20-203.0.113.30"]}
    )
    assert metallb_values(cfg)["crds"]["enabled"] is True
    pool, advertisement = metallb_manifests(cfg)
    assert pool["kind"] == "IPAddressPool"
    assert pool["spec"]["addresses"] == ["203.0.113.10/32", "203.0.113.20-203.0.113.30"]
    assert advertisement["kind"] == "L2Advertisement"
    assert advertisement["spec"]["ipAddressPools"] == [pool["metadata"]["name"]]
    controller = ingress_nginx_values(cfg)["controller"]
    assert "annotations" not in controller["service"]
    assert controller["config"] == {"proxy-body-size": "0"}  # no PROXY protocol without the NLB
