"""The Wire namespace's NetworkPolicies (`wire:networkPolicies: enforce`), registered from the pure derivation in
components/k8s/netpol/ over wire-server's values. The names are known from the configuration alone, so a preview
shows every policy before the AWS outputs exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.config import StackConfig
from components.k8s.netpol import network_policies, policy_names


class NetworkPolicies(pulumi.ComponentResource):
    policies: dict[str, k8s.networking.v1.NetworkPolicy]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        wire_server_values: pulumi.Output[dict[str, Any]],
        *,
        provider: pulumi.ProviderResource | None,
        depends_on: Sequence[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:k8s:NetworkPolicies", name, None, opts)
        # Only hosts and ports are read from the values, never a secret: the policies need not be secret.
        by_name = pulumi.Output.unsecret(wire_server_values).apply(
            lambda tree: {doc["metadata"]["name"]: doc for doc in network_policies(cfg, tree)}
        )
        self.policies = {}
        for policy in policy_names(cfg):
            doc = by_name.apply(lambda docs, policy=policy: docs[policy])
            self.policies[policy] = k8s.networking.v1.NetworkPolicy(
                policy,
                metadata=doc.apply(lambda d: d["metadata"]),
                spec=doc.apply(lambda d: d["spec"]),
                opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=list(depends_on)),
            )
        self.register_outputs({"policies": sorted(self.policies)})
