"""The whole stack, wired: AWS first, then the releases computed from it, then DNS pointing at them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from components.config import StackConfig
from components.outputs import AwsOutputs


@dataclass
class Program:
    """What one evaluation built; the offline plan reads the releases' value trees from here."""

    config: StackConfig
    value_trees: dict[str, pulumi.Output[Any]]
    extra_value_overrides: pulumi.Output[list[str]] | None = None
    """Warnings about wire:extraValues keys that replace computed values (k8s/values/overrides.py), as logged."""


def build(cfg: StackConfig, stack_aws: Mapping[str, Any] | None = None) -> Program:
    """`stack_aws`: the stack's `aws:` provider settings (endpoints, credentials, flags), keys without prefix."""
    # Imported here so that a bad configuration fails before the SDK modules are even loaded.
    from components.aws.infrastructure import create_aws, create_dns

    for warning in cfg.warnings():
        pulumi.log.warn(warning)
    pulumi.log.info(cfg.cannon.drain.summary())

    infra = create_aws(cfg, stack_aws)
    if cfg.kubernetes.releases:
        value_trees, deployed, dns = _deploy_releases(cfg, infra)
    else:
        # AWS only: nothing touches the cluster; the values are still computed, for the plan and its review.
        dns = create_dns(cfg, infra, None, None)
        value_trees, deployed = computed_values(cfg, infra.record), []

    _warn_about_layering(cfg, value_trees)
    overrides = _warn_about_extra_values(cfg, infra.record)
    for name, value in infra.exports.items():
        pulumi.export(name, value)
    if dns is not None:
        pulumi.export("dnsRecords", dns.fqdns)
    pulumi.export("releases", deployed)
    return Program(config=cfg, value_trees=value_trees, extra_value_overrides=overrides)


def _deploy_releases(cfg: StackConfig, infra: Any) -> tuple[dict[str, pulumi.Output[Any]], list[str], Any]:
    """The add-ons, the Wire releases, opt-in verify Jobs and the DNS records that point at the releases."""
    from components.aws.addons import addon_identities
    from components.aws.infrastructure import create_dns
    from components.k8s.addons import ClusterAddons
    from components.k8s.provider import kubernetes_provider
    from components.k8s.releases import WireReleases

    provider = kubernetes_provider(cfg)
    # Only when one is installed: a stack without add-ons registers nothing for them.
    addons = (
        ClusterAddons("addons", cfg, addon_identities(cfg, infra.provider), provider=provider)
        if cfg.addons.any_installed or cfg.ingress.envoy_gateway
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
        gateway_api=addons.gateway_api if addons else [],
    )
    if cfg.verify.in_cluster:
        from components.k8s.values import WIRE_SERVER
        from components.k8s.verify_jobs import VerifyJobs

        # After the release: the Jobs use the service accounts and key Secrets the chart creates.
        wire_server = releases.releases[WIRE_SERVER]
        VerifyJobs("verify", cfg, aws=infra.record, depends_on=[wire_server], provider=provider)
    dns = create_dns(cfg, infra, releases.ingress_hostname, releases.websocket_hostname, releases.legacy_hostname)
    value_trees = {**(addons.value_trees if addons else {}), **releases.value_trees}
    return value_trees, sorted(releases.releases), dns


def _warn_about_layering(cfg: StackConfig, value_trees: dict[str, pulumi.Output[Any]]) -> None:
    from components.k8s.values.common import layering_warning

    def warn(release: str, tree: Any) -> None:
        message = layering_warning(cfg, release, tree)
        if message:
            pulumi.log.warn(message)

    if not cfg.layered_values.releases():
        return
    for release, tree in value_trees.items():
        tree.apply(lambda resolved, release=release: warn(release, resolved))


def _warn_about_extra_values(cfg: StackConfig, record: pulumi.Output[AwsOutputs]) -> pulumi.Output[list[str]] | None:
    """Each release's extraValues keys that replace a computed value, logged once (none without extraValues)."""
    if not any(cfg.extra_values.values()):
        return None
    from components.k8s.values.overrides import extra_value_overrides

    def warn(resolved: AwsOutputs) -> list[str]:
        found = extra_value_overrides(cfg, resolved)
        for message in found:
            pulumi.log.warn(message)
        return found

    return record.apply(warn)


def computed_values(cfg: StackConfig, record: pulumi.Output[AwsOutputs]) -> dict[str, pulumi.Output[Any]]:
    """Every release's values from the AWS record, without deploying anything (`kubernetes.releases: false`)."""
    from components.k8s.values import release_names, release_values

    trees = record.apply(lambda resolved: release_values(cfg, resolved))
    return {name: trees.apply(lambda all_trees, name=name: all_trees[name]) for name in release_names(cfg)}
