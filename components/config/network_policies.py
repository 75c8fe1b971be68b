"""The guide's production minimum inside the cluster and at its API: NetworkPolicies and the cluster endpoint.

`wire:networkPolicies` switches the NetworkPolicies the program derives from the releases' values
(components/k8s/netpol/): `enforce` (the default, production or not: secure by default, and a dev cluster
is where a missing flow shows first) or `off`. `wire:clusterEndpoint` says what `verify` expects of the EKS
cluster's API endpoint (docs/security.md). Their rules reading other sections: network_policy_rules.py.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import field_validator

from components.config.base import Model

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
