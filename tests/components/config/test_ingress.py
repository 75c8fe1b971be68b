"""The entry point's settings: Envoy Gateway, the retired ingress-nginx as `legacy`, and the older values."""

from __future__ import annotations

import pytest

from components.config.entry_point import served_hosts
from components.config.ingress import LoadBalancerKind
from tests.components.config.config_support import base, load, problems

NLB_DNS = {"zoneId": "Z0123456789EXAMPLE", "target": {"fromIngressController": True}}


@pytest.mark.parametrize(
    ("ingress", "balancer", "nginx", "envoy"),
    [
        ({"controller": "envoyGateway", "loadBalancer": "awsNlb"}, LoadBalancerKind.AWS_NLB, False, True),
        ({"controller": "legacy", "loadBalancer": "awsNlb"}, LoadBalancerKind.AWS_NLB, True, False),
        ({"controller": "awsNlb"}, LoadBalancerKind.AWS_NLB, True, False),
        ({"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]}, LoadBalancerKind.METALLB, True, False),
        (
            {"controller": "envoyGateway", "loadBalancer": "metallb", "metallbAddresses": ["203.0.113.10/32"]},
            LoadBalancerKind.METALLB,
            False,
            True,
        ),
        ({"controller": "none"}, None, False, False),
    ],
)
def test_what_each_controller_runs(ingress: dict, balancer: LoadBalancerKind | None, nginx: bool, envoy: bool) -> None:
    cfg = load(base(ingress=ingress)).ingress
    assert (cfg.balancer, cfg.ingress_nginx, cfg.envoy_gateway) == (balancer, nginx, envoy)


@pytest.mark.parametrize("old", ["awsNlb", "metallb"])
def test_the_older_values_still_work_and_name_the_new_setting(old: str) -> None:
    ingress = {"controller": old, **({"metallbAddresses": ["203.0.113.10/32"]} if old == "metallb" else {})}
    warnings = [w for w in load(base(ingress=ingress)).warnings() if "retired" in w]
    assert len(warnings) == 1
    assert "controller: envoyGateway" in warnings[0] and f"loadBalancer: {old}" in warnings[0]


def test_legacy_warns_that_ingress_nginx_is_retired() -> None:
    (warning,) = [
        w for w in load(base(ingress={"controller": "legacy", "loadBalancer": "awsNlb"})).warnings() if "retired" in w
    ]
    assert "no security fixes" in warning and "docs/entry-point.md" in warning


def test_every_problem_of_the_section_at_once() -> None:
    found = problems(base(ingress={"controller": "envoyGateway", "metallbAddresses": ["203.0.113.10/32"]}))
    assert any("needs loadBalancer: awsNlb" in p for p in found)
    assert any("metallbAddresses are only used" in p for p in found)
    assert any(
        "legacyHosts is the move to envoyGateway" in p
        for p in problems(base(ingress={"controller": "legacy", "loadBalancer": "awsNlb", "legacyHosts": []}))
    )
    assert any(
        "set controller: legacy" in p
        for p in problems(base(ingress={"controller": "awsNlb", "loadBalancer": "metallb"}))
    )


def test_from_ingress_controller_reads_envoy_gateway_behind_an_nlb() -> None:
    load(base(dns=NLB_DNS, ingress={"controller": "envoyGateway", "loadBalancer": "awsNlb"}))
    metallb = {"controller": "envoyGateway", "loadBalancer": "metallb", "metallbAddresses": ["203.0.113.10/32"]}
    assert any("fromIngressController" in p for p in problems(base(dns=NLB_DNS, ingress=metallb)))


def test_legacy_hosts_are_published_hosts() -> None:
    ingress = {"controller": "envoyGateway", "loadBalancer": "awsNlb", "legacyHosts": ["federator"]}
    assert any(
        "legacyHosts: ['federator'] are not in wire:dns.hosts" in p
        for p in problems(base(dns=NLB_DNS, ingress=ingress))
    )
    cfg = load(base(dns=NLB_DNS, ingress={**ingress, "legacyHosts": ["webapp"]}))
    assert cfg.ingress.ingress_nginx and cfg.ingress.envoy_gateway
    assert any("still runs beside Envoy Gateway" in w for w in cfg.warnings())


def test_an_existing_cert_manager_must_support_the_gateway_api_for_the_own_issuer() -> None:
    envoy = {"controller": "envoyGateway", "loadBalancer": "awsNlb"}
    assert any("Gateway API support" in w for w in load(base(ingress=envoy)).warnings())
    addon = {"certManager": {"install": True, "email": "ops@example.com"}}
    assert not any("Gateway API support" in w for w in load(base(ingress=envoy, addons=addon)).warnings())


def test_published_hosts_without_a_route_are_warned_about() -> None:
    dns = {**NLB_DNS, "hosts": ["nginz-https", "nginz-ssl", "webapp", "federator"]}
    ingress = {"controller": "envoyGateway", "loadBalancer": "awsNlb"}
    cfg = load(base(dns=dns, ingress=ingress, extraValues={"wireServer": {"tags": {"federation": True}}}))
    assert [host.value for host in served_hosts(cfg)] == ["nginz-https", "nginz-ssl", "webapp"]
    assert any("['federator'] are published but Envoy Gateway routes them nowhere" in w for w in cfg.warnings())
    # With federation off the federator gets no record at all: one warning says so, not two.
    off = load(base(dns=dns, ingress=ingress)).warnings()
    assert any("has federator, but federation is off" in w for w in off)
    assert not any("routes them nowhere" in w for w in off)
