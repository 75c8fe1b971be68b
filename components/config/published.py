"""Which DNS records the stack publishes: only for what it deploys.

`wire:dns.hosts` says which Wire hostnames get a record, but a record for something that does not run points
clients (and other backends) at nothing: federator.<domain> and the `_wire-server-federator._tcp` SRV record
only with federation on (`tags.federation` of wire-server, set through extraValues or layeredValues: the
program itself never deploys the federator). And the websocket host the entry point serves on bare metal
(nginz-ssl.<domain>: there is one address, the entry point's) always gets its record there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.dns import WireHost
from components.config.ingress import LoadBalancerKind
from components.config.layered import value_at
from components.config.registry import warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig


def federation_enabled(cfg: StackConfig) -> bool:
    """Whether wire-server deploys federation: `tags.federation` in extraValues (merged last) or layered values."""
    extra = value_at(cfg.extra_values.get("wireServer"), "tags.federation")
    if extra is not None:
        return extra is True
    return cfg.layered_values.value_at("wireServer", "tags.federation") is True


def _websocket_host_added(cfg: StackConfig) -> bool:
    """Bare metal, cannon without its own load balancer, nginz-ssl not listed: its record is added."""
    return (
        cfg.dns is not None
        and cfg.ingress.balancer == LoadBalancerKind.METALLB
        and not cfg.cannon.websocket_load_balancer.enabled
        and WireHost.NGINZ_SSL not in cfg.dns.hosts
    )


def published_hosts(cfg: StackConfig) -> list[WireHost]:
    """The Wire hostnames that get a record: dns.hosts without what is not deployed, with the bare-metal websocket
    host; empty without wire:dns."""
    if cfg.dns is None:
        return []
    federation = federation_enabled(cfg)
    hosts = [WireHost(host) for host in cfg.dns.hosts if host != WireHost.FEDERATOR or federation]
    if _websocket_host_added(cfg):
        hosts.append(WireHost.NGINZ_SSL)
    return hosts


def federation_srv_published(cfg: StackConfig) -> bool:
    """Whether the `_wire-server-federator._tcp` SRV record is made (it points at the federator's record)."""
    return cfg.dns is not None and cfg.dns.federation_srv and WireHost.FEDERATOR in published_hosts(cfg)


@warning
def unpublished_dns_warnings(cfg: StackConfig) -> list[str]:
    if cfg.dns is None:
        return []
    found = []
    if WireHost.FEDERATOR in cfg.dns.hosts and not federation_enabled(cfg):
        found.append(
            "wire:dns.hosts: has federator, but federation is off (wire-server's tags.federation is not true in "
            "wire:extraValues.wireServer or wire:layeredValues): no federator record and no "
            "_wire-server-federator._tcp SRV record are made; remove federator from dns.hosts, or turn federation on"
        )
    if _websocket_host_added(cfg):
        found.append(
            "wire:dns.hosts: has no nginz-ssl, but on bare metal websockets go through the entry point at "
            f"nginz-ssl.{cfg.domain}: its record is made too; add nginz-ssl to dns.hosts to say so"
        )
    return found
