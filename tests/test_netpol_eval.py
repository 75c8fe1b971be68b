"""The NetworkPolicy evaluator of tests/netpol_eval.py, one test per rule of Kubernetes' semantics."""

from __future__ import annotations

from typing import Any

import pytest

from tests.netpol_eval import Address, Cluster, ContainerPort, Pod, in_ip_block, policy_types, selects

WEB = Pod("web", "shop", {"app": "web"}, (ContainerPort(8080, "http"),), "10.0.0.10")
DB = Pod("db", "shop", {"app": "db", "tier": "data"}, (ContainerPort(5432, "pg"),), "10.0.0.11")
OTHER = Pod("tool", "ops", {"app": "tool"}, (), "10.0.1.5")
OUTSIDE = Address("203.0.113.9")


def policy(namespace: str, selector: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"metadata": {"name": "p", "namespace": namespace}, "spec": {"podSelector": selector, **spec}}


DENY_ALL = policy("shop", {}, policyTypes=["Ingress", "Egress"])


def test_no_policy_selects_a_pod_everything_is_allowed() -> None:
    assert Cluster([]).allowed(WEB, DB, 5432)
    assert Cluster([policy("ops", {}, policyTypes=["Ingress", "Egress"])]).allowed(WEB, DB, 5432)


def test_default_deny_denies_both_directions() -> None:
    cluster = Cluster([DENY_ALL])
    assert not cluster.allowed(WEB, DB, 5432)
    assert not cluster.allowed(OUTSIDE, WEB, 8080)
    assert not cluster.allowed(WEB, OUTSIDE, 443)


def test_ingress_and_egress_are_both_needed() -> None:
    egress_only = policy("shop", {"matchLabels": {"app": "web"}}, policyTypes=["Egress"], egress=[{}])
    ingress_only = policy("shop", {"matchLabels": {"app": "db"}}, policyTypes=["Ingress"], ingress=[{}])
    assert not Cluster([DENY_ALL, egress_only]).allowed(WEB, DB, 5432)
    assert not Cluster([DENY_ALL, ingress_only]).allowed(WEB, DB, 5432)
    assert Cluster([DENY_ALL, egress_only, ingress_only]).allowed(WEB, DB, 5432)


def test_policy_types_default() -> None:
    assert policy_types({"ingress": []}) == ["Ingress"]
    assert policy_types({"egress": [{}]}) == ["Ingress", "Egress"]
    # A policy with no policyTypes and no egress isolates ingress only: egress stays open.
    only_ingress = policy("shop", {"matchLabels": {"app": "web"}})
    assert Cluster([only_ingress]).allowed(WEB, OUTSIDE, 443)
    assert not Cluster([only_ingress]).allowed(OUTSIDE, WEB, 8080)


def test_rules_add_up_across_policies() -> None:
    first = policy("shop", {"matchLabels": {"app": "db"}}, ingress=[{"ports": [{"port": 1}]}])
    second = policy("shop", {"matchLabels": {"app": "db"}}, ingress=[{"ports": [{"port": 5432}]}])
    assert Cluster([first, second]).allowed(WEB, DB, 5432)
    assert not Cluster([first]).allowed(WEB, DB, 5432)


def test_empty_rule_matches_every_peer_and_port() -> None:
    assert Cluster([policy("shop", {}, ingress=[{}])]).allowed(OTHER, DB, 9)


def test_pod_selector_peer_is_in_the_policy_namespace() -> None:
    rule = {"from": [{"podSelector": {"matchLabels": {"app": "tool"}}}]}
    same_labels_other_namespace = Pod("tool", "ops", {"app": "tool"})
    assert not Cluster([policy("shop", {}, ingress=[rule])]).allowed(same_labels_other_namespace, DB, 5432)
    local_tool = Pod("tool", "shop", {"app": "tool"})
    assert Cluster([policy("shop", {}, ingress=[rule])]).allowed(local_tool, DB, 5432)


def test_namespace_selector_alone_and_with_pod_selector() -> None:
    by_name = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ops"}}}
    assert Cluster([policy("shop", {}, ingress=[{"from": [by_name]}])]).allowed(OTHER, DB, 5432)
    both = {**by_name, "podSelector": {"matchLabels": {"app": "other"}}}
    assert not Cluster([policy("shop", {}, ingress=[{"from": [both]}])]).allowed(OTHER, DB, 5432)
    labelled = {"namespaceSelector": {"matchLabels": {"team": "ops"}}}
    assert Cluster([policy("shop", {}, ingress=[{"from": [labelled]}])], {"ops": {"team": "ops"}}).allowed(
        OTHER, DB, 5432
    )
    everything = {"namespaceSelector": {}}
    assert Cluster([policy("shop", {}, ingress=[{"from": [everything]}])]).allowed(OTHER, DB, 5432)
    assert not Cluster([policy("shop", {}, ingress=[{"from": [everything]}])]).allowed(OUTSIDE, DB, 5432)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"key": "app", "operator": "In", "values": ["db", "x"]}, True),
        ({"key": "app", "operator": "In", "values": ["x"]}, False),
        ({"key": "app", "operator": "NotIn", "values": ["db"]}, False),
        ({"key": "app", "operator": "NotIn", "values": ["x"]}, True),
        ({"key": "missing", "operator": "NotIn", "values": ["x"]}, True),
        ({"key": "tier", "operator": "Exists"}, True),
        ({"key": "missing", "operator": "Exists"}, False),
        ({"key": "tier", "operator": "DoesNotExist"}, False),
        ({"key": "missing", "operator": "DoesNotExist"}, True),
    ],
)
def test_match_expressions(expression: dict[str, Any], expected: bool) -> None:
    assert selects({"matchExpressions": [expression]}, DB.labels) is expected


def test_match_labels_and_expressions_must_all_hold() -> None:
    selector = {"matchLabels": {"app": "db"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["x"]}]}
    assert not selects(selector, DB.labels)
    assert selects({}, DB.labels)


def test_ip_block_with_except() -> None:
    block = {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}
    assert in_ip_block(block, "203.0.113.9")
    assert not in_ip_block(block, "169.254.169.254")
    assert not in_ip_block({"cidr": "10.0.0.0/8"}, "192.168.1.1")
    assert not in_ip_block({"cidr": "0.0.0.0/0"}, "2001:db8::1")


def test_ip_block_and_pods_is_the_implementations_choice() -> None:
    rule = {"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}
    policies = [policy("shop", {"matchLabels": {"app": "web"}}, policyTypes=["Egress"], egress=[rule])]
    assert not Cluster(policies).allowed(WEB, DB, 5432)
    assert Cluster(policies, ip_blocks_match_pods=True).allowed(WEB, DB, 5432)
    assert Cluster(policies).allowed(WEB, Address("10.9.9.9"), 443)


def test_numbered_port_protocol_and_end_port() -> None:
    ranged = policy("shop", {}, ingress=[{"ports": [{"port": 5000, "endPort": 6000}]}])
    assert Cluster([ranged]).allowed(WEB, DB, 5432)
    assert not Cluster([ranged]).allowed(WEB, DB, 6001)
    assert not Cluster([ranged]).allowed(WEB, DB, 5432, "UDP")
    udp = policy("shop", {}, ingress=[{"ports": [{"protocol": "UDP", "port": 53}]}])
    assert Cluster([udp]).allowed(WEB, DB, 53, "UDP")
    assert not Cluster([udp]).allowed(WEB, DB, 53)
    every_tcp_port = policy("shop", {}, ingress=[{"ports": [{"protocol": "TCP"}]}])
    assert Cluster([every_tcp_port]).allowed(WEB, DB, 1234)


def test_named_port_resolves_against_the_destination_pod() -> None:
    named = policy("shop", {}, ingress=[{"ports": [{"port": "pg"}]}], egress=[{"ports": [{"port": "pg"}]}])
    cluster = Cluster([named])
    assert cluster.allowed(WEB, DB, 5432)
    assert not cluster.allowed(DB, WEB, 5432)  # web has no port named pg
    assert not cluster.allowed(WEB, OUTSIDE, 5432)  # a name never matches outside the cluster
