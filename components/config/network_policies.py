"""The guide's production minimum inside the cluster and at its API: NetworkPolicies and the cluster endpoint.

`wire:networkPolicies` switches the NetworkPolicies the program derives from the releases' values
(components/k8s/netpol/): `enforce` (the default, production or not: secure by default, and a dev cluster
is where a missing flow shows first) or `off`. `wire:clusterEndpoint` says what `verify` expects of the EKS
cluster's API endpoint (docs/security.md).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import field_validator

from components.config.base import Model
from components.config.rules import rule

if TYPE_CHECKING:
    from components.config.stack import StackConfig

_CLUSTER_NAME_RE = re.compile(r"^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$")


class NetworkPolicyMode(StrEnum):
    ENFORCE = "enforce"
    """Default-deny ingress and egress in every Wire namespace; only the flows the releases use are allowed."""
    OFF = "off"
    """No NetworkPolicy (a rollback, or a cluster whose CNI enforces none); `verify` reports the missing policies."""


class ClusterEndpoint(Model):
    """What `verify` expects of the EKS cluster's API endpoint (guide: "the Kubernetes API not reachable from the
    internet")."""

    cluster_name: str | None = None
    """The EKS cluster (aws eks list-clusters); default: addons.awsLoadBalancerController.clusterName. Without
    either, verify cannot look at the endpoint and says so."""
    private: bool = False
    """The endpoint must not be public: verify fails while public access is on. `false`: verify only warns when
    the public endpoint is open to 0.0.0.0/0."""

    @field_validator("cluster_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not _CLUSTER_NAME_RE.match(value):
            raise ValueError(f"'{value}' is not an EKS cluster name (letters, digits, '-' and '_', at most 100)")
        return value


@rule("cluster_endpoint", "addons")
def _private_endpoint_named(cfg: StackConfig) -> list[str]:
    named = cfg.cluster_endpoint.cluster_name or cfg.addons.aws_load_balancer_controller.cluster_name
    if cfg.cluster_endpoint.private and not named:
        return [
            "wire:clusterEndpoint.private: verify checks the EKS cluster's endpoint, and no cluster is named; set "
            "wire:clusterEndpoint.clusterName (aws eks list-clusters)"
        ]
    return []


def network_policy_warnings(cfg: StackConfig) -> list[str]:
    """Keys that have no effect: NetworkPolicies live with the releases."""
    if "network_policies" in cfg.model_fields_set and not cfg.kubernetes.releases:
        return [
            "wire:networkPolicies has no effect with kubernetes.releases: false (the program deploys no release, "
            "so it makes no NetworkPolicy); remove it, or apply policies with your own deployment"
        ]
    return []
