"""Rules of wire:networkPolicies and wire:clusterEndpoint (network_policies.py) that read other sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.registry import rule, warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig


@rule("cluster_endpoint", "addons")
def _private_endpoint_named(cfg: StackConfig) -> list[str]:
    named = cfg.cluster_endpoint.cluster_name or cfg.addons.aws_load_balancer_controller.cluster_name
    if cfg.cluster_endpoint.private and not named:
        return [
            "wire:clusterEndpoint.private: verify checks the EKS cluster's endpoint, and no cluster is named; set "
            "wire:clusterEndpoint.clusterName (aws eks list-clusters)"
        ]
    return []


@warning
def network_policy_warnings(cfg: StackConfig) -> list[str]:
    """Keys that have no effect: NetworkPolicies live with the releases."""
    if "network_policies" in cfg.model_fields_set and not cfg.kubernetes.releases:
        return [
            "wire:networkPolicies has no effect with kubernetes.releases: false (the program deploys no release, "
            "so it makes no NetworkPolicy); remove it, or apply policies with your own deployment"
        ]
    return []
