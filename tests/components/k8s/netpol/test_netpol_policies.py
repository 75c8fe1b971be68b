"""The derivation of the NetworkPolicies (components/k8s/netpol), as data; tests/render/test_network_policies.py proves
them against the rendered charts."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import StackConfig
from components.k8s.netpol import network_policies, policy_names
from components.k8s.netpol.endpoints import METADATA_CIDR, Endpoint, cluster_namespace, peers, service_endpoints
from components.k8s.netpol.policies import entry_peers
from components.k8s.values import release_values
from components.k8s.values.common import WIRE_SERVER
from components.outputs import redact
from tests.components.k8s.k8s_support import aws_outputs, make_cfg, stack_file_cfg
from tests.render.variants import stack_files

STACKS = stack_files()


def derived(cfg: StackConfig) -> list[dict[str, Any]]:
    return network_policies(cfg, redact(release_values(cfg, aws_outputs(cfg))[WIRE_SERVER]))


def _ip_blocks(tree: Any) -> list[dict[str, Any]]:
    if isinstance(tree, dict):
        found = [tree["ipBlock"]] if "ipBlock" in tree else []
        return found + [block for value in tree.values() for block in _ip_blocks(value)]
    if isinstance(tree, list):
        return [block for value in tree for block in _ip_blocks(value)]
    return []


@pytest.mark.parametrize("stack", sorted(STACKS))
def test_names_are_known_from_the_config_and_no_block_reaches_the_metadata_endpoint(stack: str) -> None:
    cfg = stack_file_cfg(STACKS[stack])
    policies = derived(cfg)
    assert [p["metadata"]["name"] for p in policies] == policy_names(cfg)
    for block in _ip_blocks(policies):
        if block["cidr"] == "0.0.0.0/0":
            assert METADATA_CIDR in block["except"]
        else:
            assert block["cidr"] != METADATA_CIDR


def test_off_and_aws_only_make_none() -> None:
    assert derived(make_cfg(networkPolicies="off")) == []
    assert policy_names(make_cfg(networkPolicies="off")) == []
    aws_only = make_cfg(kubernetes={"releases": False, "context": None})
    assert policy_names(aws_only) == []
    assert any(
        "networkPolicies has no effect" in w
        for w in make_cfg(networkPolicies="enforce", kubernetes={"releases": False, "context": None}).warnings()
    )


def test_the_default_is_enforce_in_production_and_outside() -> None:
    assert make_cfg(production=True).network_policies == "enforce"
    assert make_cfg(production=False).network_policies == "enforce"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("10.1.2.3", [{"ipBlock": {"cidr": "10.1.2.3/32"}}]),
        ("redis-ephemeral", [{"ipBlock": {"cidr": "0.0.0.0/0", "except": [METADATA_CIDR]}}, {"podSelector": {}}]),
        (
            "es.databases",
            [
                {"ipBlock": {"cidr": "0.0.0.0/0", "except": [METADATA_CIDR]}},
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "databases"}}},
            ],
        ),
        ("db.example.com", [{"ipBlock": {"cidr": "0.0.0.0/0", "except": [METADATA_CIDR]}}]),
    ],
)
def test_peers_of_a_host(host: str, expected: list[dict[str, Any]]) -> None:
    assert peers(Endpoint(host, 1, "x")) == expected


def test_cluster_namespace() -> None:
    assert cluster_namespace("pg.db") == "db"
    assert cluster_namespace("pg.db.svc") == "db"
    assert cluster_namespace("pg.db.svc.cluster.local") == "db"
    assert cluster_namespace("master.x.cache.amazonaws.com") is None


def test_service_endpoints_read_stores_urls_and_proxy() -> None:
    config = {
        "cassandra": {"host": "cassandra-external"},
        "elasticsearch": {"host": "es", "port": "443"},
        "rabbitmq": {"host": "mq", "port": 5671, "adminPort": 443},
        "aws": {"sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com", "s3DownloadEndpoint": "https://cdn.example.com"},
        "journal": {"endpoint": "http://10.0.0.5:4566"},
        "proxy": {"httpProxy": "http://proxy.internal:3128"},
    }
    found = {(e.host, e.port) for e in service_endpoints(config)}
    assert found == {
        ("cassandra-external", 9042),
        ("es", 443),
        ("mq", 5671),
        ("mq", 443),
        ("sqs.eu-west-1.amazonaws.com", 443),
        ("10.0.0.5", 4566),
        ("proxy.internal", 3128),
    }


def test_entry_peers_per_controller() -> None:
    envoy = make_cfg(ingress={"controller": "envoyGateway", "loadBalancer": "awsNlb"})
    assert entry_peers(envoy) == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "envoy-gateway-system"}}}
    ]
    legacy = make_cfg(ingress={"controller": "legacy", "loadBalancer": "awsNlb"})
    assert entry_peers(legacy) == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
    ]
    (operators,) = entry_peers(make_cfg(ingress={"controller": "none"}))
    expression = operators["namespaceSelector"]["matchExpressions"][0]
    assert expression == {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["wire"]}


def test_verify_jobs_reach_what_the_services_reach() -> None:
    cfg = make_cfg(verify={"inCluster": True})
    policies = {p["metadata"]["name"]: p for p in derived(cfg)}
    assert list(policies) == policy_names(cfg)
    verify_jobs = policies["wire-infra-verify-jobs"]["spec"]
    assert verify_jobs["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "wire-infra-verify"}}
    assert verify_jobs["policyTypes"] == ["Egress"] and verify_jobs["egress"]
