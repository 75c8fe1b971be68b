"""The whole stack, wired: AWS first, then the releases computed from it, then DNS pointing at them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from components.config import StackConfig


@dataclass
class Program:
    """What one evaluation built; the offline plan reads the releases' value trees from here."""

    config: StackConfig
    value_trees: dict[str, pulumi.Output[Any]]


def build(cfg: StackConfig, stack_aws: Mapping[str, Any] | None = None) -> Program:
    """`stack_aws`: the stack's `aws:` provider settings (endpoints, credentials, flags), keys without prefix."""
    # Imported here so that a bad configuration fails before the SDK modules are even loaded.
    from components.aws.addons import addon_identities
    from components.aws.infrastructure import create_aws, create_dns
    from components.k8s.addons import ClusterAddons
    from components.k8s.provider import kubernetes_provider
    from components.k8s.releases import WireReleases

    for warning in cfg.warnings():
        pulumi.log.warn(warning)
    pulumi.log.info(cfg.cannon.drain.summary())

    infra = create_aws(cfg, stack_aws)
    provider = kubernetes_provider(cfg)
    # Only when one is installed: a stack without add-ons registers nothing for them.
    addons = (
        ClusterAddons("addons", cfg, addon_identities(cfg, infra.provider), provider=provider)
        if cfg.addons.any_installed
        else None
    )
    releases = WireReleases(
        "wire",
        cfg,
        aws=infra.record,
        depends_on=infra.release_dependencies,
        provider=provider,
        certificates=addons.certificates if addons else [],
        load_balancers=addons.load_balancers if addons else [],
    )
    if cfg.verify.in_cluster:
        from components.k8s.values import WIRE_SERVER
        from components.k8s.verify_jobs import VerifyJobs

        # After the release: the Jobs use the service accounts and key Secrets the chart creates.
        wire_server = releases.releases[WIRE_SERVER]
        VerifyJobs("verify", cfg, aws=infra.record, depends_on=[wire_server], provider=provider)
    dns = create_dns(cfg, infra, releases.ingress_hostname, releases.websocket_hostname)

    for name, value in infra.exports.items():
        pulumi.export(name, value)
    if dns is not None:
        pulumi.export("dnsRecords", dns.fqdns)
    pulumi.export("releases", sorted(releases.releases))
    return Program(config=cfg, value_trees={**(addons.value_trees if addons else {}), **releases.value_trees})
