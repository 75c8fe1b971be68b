"""verify's checks of the guide's production minimum: public Services and Ingresses, the default-deny policy (fake
kubectl listings), and the EKS API endpoint (moto's eks:DescribeCluster)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from components.k8s.netpol import network_policies
from components.k8s.values import release_values
from components.k8s.values.common import WIRE_SERVER
from components.outputs import redact
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from verify.checks.exposure import Listings, cluster_endpoint, cluster_listings, exposure
from verify.results import Status

GATEWAY = {"controller": "envoyGateway", "loadBalancer": "awsNlb"}


def service(namespace: str, name: str, kind: str = "ClusterIP", **annotations: str) -> dict[str, Any]:
    metadata = {"namespace": namespace, "name": name, "annotations": annotations}
    return {"kind": "Service", "metadata": metadata, "spec": {"type": kind}}


def cfg_with(**overrides: Any) -> Any:
    return make_cfg(ingress=GATEWAY, **overrides)


def policies(cfg: Any) -> list[dict[str, Any]]:
    return network_policies(cfg, redact(release_values(cfg, aws_outputs(cfg))[WIRE_SERVER]))


def by_status(results: list[Any], status: Status) -> list[str]:
    return [result.resource for result in results if result.status == status]


def test_only_the_entry_point_and_cannons_balancer_may_be_public() -> None:
    cfg = cfg_with()
    listings = Listings(
        services=[
            service("envoy-gateway-system", "envoy-wire", "LoadBalancer"),
            service("wire", "cannon-nginz", "LoadBalancer"),
            service("wire", "brig"),
            service("wire", "debug", "NodePort"),
            service("monitoring", "grafana", "LoadBalancer"),
            service(
                "tools",
                "internal-lb",
                "LoadBalancer",
                **{"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"},
            ),
        ],
        ingresses=[
            {"kind": "Ingress", "metadata": {"namespace": "wire", "name": "nginx-ingress"}},
            {"kind": "Ingress", "metadata": {"namespace": "monitoring", "name": "prometheus"}},
        ],
        network_policies=policies(cfg),
    )
    results = exposure(listings, cfg)
    assert not cfg.cannon.websocket_load_balancer.enabled
    failed = ["monitoring/grafana", "monitoring/prometheus", "wire/cannon-nginz", "wire/debug"]
    assert sorted(by_status(results, Status.FAIL)) == failed
    passed = by_status(results, Status.OK)
    assert "envoy-gateway-system/envoy-wire" in passed
    assert "wire/wire-infra-default-deny" in passed


def test_cannons_own_balancer_may_be_public_when_enabled() -> None:
    cfg = make_cfg(ingress=GATEWAY)
    cfg = cfg.model_copy(update={"cannon": cfg.cannon.model_copy(update={"websocket_load_balancer": _enabled(cfg)})})
    listings = Listings(services=[service("wire", "cannon-nginz", "LoadBalancer")], network_policies=policies(cfg))
    assert "wire/cannon-nginz" in by_status(exposure(listings, cfg), Status.OK)


def _enabled(cfg: Any) -> Any:
    return cfg.cannon.websocket_load_balancer.model_copy(update={"enabled": True})


def test_missing_default_deny_fails_when_enforced_and_warns_when_off() -> None:
    cfg = cfg_with()
    assert by_status(exposure(Listings(), cfg), Status.FAIL) == ["wire"]
    off = cfg_with(networkPolicies="off")
    assert policies(off) == []
    assert by_status(exposure(Listings(), off), Status.WARN) == ["wire"]
    assert by_status(exposure(Listings(), off), Status.FAIL) == []


def test_nothing_public_is_one_ok_line() -> None:
    cfg = cfg_with()
    results = exposure(Listings(network_policies=policies(cfg)), cfg)
    assert [(r.check, r.status) for r in results] == [("exposure", Status.OK), ("default deny", Status.OK)]


class FakeKubectl:
    def __init__(self, listings: dict[tuple[str, ...], dict[str, Any]]) -> None:
        self.listings = listings
        self.calls: list[tuple[str, ...]] = []

    def get_json(self, *args: str) -> dict[str, Any]:
        self.calls.append(args)
        return self.listings[args]


def test_listings_come_from_kubectl() -> None:
    cfg = cfg_with()
    kubectl = FakeKubectl(
        {
            ("get", "services,ingresses", "--all-namespaces", "-o", "json"): {
                "items": [service("wire", "brig"), {"kind": "Ingress", "metadata": {"namespace": "x", "name": "y"}}]
            },
            ("get", "networkpolicies", "-n", "wire", "-o", "json"): {"items": policies(cfg)},
        }
    )
    listings = cluster_listings(kubectl, cfg)
    assert [s["metadata"]["name"] for s in listings.services] == ["brig"]
    assert [i["metadata"]["name"] for i in listings.ingresses] == ["y"]
    assert len(listings.network_policies) == len(policies(cfg))


# --- the EKS API endpoint, on moto -------------------------------------------------------------------------------


def _cluster(url: str, name: str, **vpc: Any) -> Any:
    ec2 = boto3.client("ec2", endpoint_url=url, region_name="eu-west-1")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    eks = boto3.client("eks", endpoint_url=url, region_name="eu-west-1")
    eks.create_cluster(
        name=name,
        roleArn="arn:aws:iam::123456789012:role/eks",
        resourcesVpcConfig={"subnetIds": [subnet], **vpc},
    )
    return eks


@pytest.mark.moto
def test_endpoint_open_to_everyone_warns_and_fails_where_private(moto: str) -> None:
    eks = _cluster(moto, "wire-prod", endpointPublicAccess=True, publicAccessCidrs=["0.0.0.0/0"])
    named = cfg_with(clusterEndpoint={"clusterName": "wire-prod"})
    assert [r.status for r in cluster_endpoint(eks, named)] == [Status.WARN]
    private = cfg_with(clusterEndpoint={"clusterName": "wire-prod", "private": True})
    (result,) = cluster_endpoint(eks, private)
    assert result.status == Status.FAIL and "endpointPublicAccess=false" in result.message


@pytest.mark.moto
def test_endpoint_restricted_or_private_passes(moto: str) -> None:
    eks = _cluster(moto, "wire-a", endpointPublicAccess=True, publicAccessCidrs=["203.0.113.0/24"])
    (result,) = cluster_endpoint(eks, cfg_with(clusterEndpoint={"clusterName": "wire-a"}))
    assert result.status == Status.OK and "203.0.113.0/24" in result.message
    _cluster(moto, "wire-b", endpointPublicAccess=False, endpointPrivateAccess=True)
    private = cfg_with(clusterEndpoint={"clusterName": "wire-b", "private": True})
    assert [r.status for r in cluster_endpoint(eks, private)] == [Status.OK]


@pytest.mark.moto
def test_unknown_cluster_fails_and_unnamed_is_skipped_unless_private(moto: str) -> None:
    eks = boto3.client("eks", endpoint_url=moto, region_name="eu-west-1")
    assert [r.status for r in cluster_endpoint(eks, cfg_with(clusterEndpoint={"clusterName": "nope"}))] == [Status.FAIL]
    assert cluster_endpoint(eks, cfg_with()) == []
    # The configuration refuses it (tests/corpus/bad/cluster-endpoint-private-unnamed); verify still says why.
    unnamed = cfg_with()
    endpoint = unnamed.cluster_endpoint.model_copy(update={"private": True})
    unnamed_private = unnamed.model_copy(update={"cluster_endpoint": endpoint})
    assert [r.status for r in cluster_endpoint(eks, unnamed_private)] == [Status.FAIL]
