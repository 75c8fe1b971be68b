"""What the entry point (ingress.py) serves, and its warnings that read other sections (DNS, cannon, add-ons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.dns import WireHost
from components.config.published import published_hosts
from components.config.registry import warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig


def served_hosts(cfg: StackConfig) -> list[WireHost]:
    """The Wire hosts an entry point serves (nginx-ingress-services' Ingress rules, one HTTPRoute each with Envoy
    Gateway): nginz-https; nginz-ssl unless cannon has its own load balancer; the web apps that are on.

    Not federator (federation is not deployed by this program) nor assets (S3 or CloudFront serve them)."""
    hosts = [WireHost.NGINZ_HTTPS]
    if not cfg.cannon.websocket_load_balancer.enabled:
        hosts.append(WireHost.NGINZ_SSL)
    apps = cfg.web_apps
    switches = (
        (apps.webapp, WireHost.WEBAPP),
        (apps.team_settings, WireHost.TEAMS),
        (apps.account_pages, WireHost.ACCOUNT),
    )
    return hosts + [host for on, host in switches if on]


@warning
def entry_point_warnings(cfg: StackConfig) -> list[str]:
    """The entry point's own warnings, and published hosts that Envoy Gateway has no route for."""
    found = cfg.ingress.warnings()
    if cfg.ingress.envoy_gateway and cfg.dns is not None:
        served = served_hosts(cfg)
        unserved = [host.value for host in published_hosts(cfg) if host not in served]
        if unserved:
            found.append(
                f"wire:dns.hosts: {unserved} are published but Envoy Gateway routes them nowhere (no Service of this "
                "stack serves them: federation is not deployed, a web app is off, or cannon has its own load "
                "balancer); remove them from dns.hosts, or route them yourself (docs/entry-point.md)"
            )
    own_issuer = not cfg.cannon.websocket_load_balancer.cert_manager.enabled and not cfg.addons.cert_manager.install
    if cfg.ingress.envoy_gateway and own_issuer:
        found.append(
            "the Gateway's certificate comes from an Issuer of its own answering HTTP-01 through the Gateway: the "
            "cluster's cert-manager must run with its Gateway API support (config.enableGatewayAPI, installed after "
            "the Gateway API CRDs); or set addons.certManager.install (docs/entry-point.md#certificates)"
        )
    return found
