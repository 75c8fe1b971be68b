"""Route53 records: the Wire hostnames, where they point, and extra records."""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from components.config.base import Hostname, Model, PositiveInt32


class WireHost(StrEnum):
    NGINZ_HTTPS = "nginz-https"
    NGINZ_SSL = "nginz-ssl"
    WEBAPP = "webapp"
    ASSETS = "assets"
    ACCOUNT = "account"
    TEAMS = "teams"
    FEDERATOR = "federator"


# Record types a name holds only one of: a Wire hostname is one of them, depending on its target.
ADDRESS_TYPES = ("A", "CNAME")


class LoadBalancerTarget(Model):
    """Where the Wire hostnames point: a load balancer hostname, bare-metal IPs, or the ingress controller."""

    hostname: Hostname | None = None
    """A load balancer's DNS name: an alias record when aliasZoneId is set, a CNAME otherwise."""
    alias_zone_id: str | None = None
    """Hosted zone id of the load balancer: alias records instead of CNAMEs."""
    ips: list[str] = []
    """Bare metal: A records to these addresses."""
    from_ingress_controller: bool = False
    """Read the hostname of the ingress controller's LoadBalancer service after the release is up."""

    @model_validator(mode="after")
    def _check(self) -> LoadBalancerTarget:
        chosen = [bool(self.hostname), bool(self.ips), self.from_ingress_controller]
        if sum(chosen) != 1:
            raise ValueError("set exactly one of hostname, ips or fromIngressController")
        for ip in self.ips:
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                raise ValueError(f"'{ip}' is not an IPv4 address") from None
        if self.alias_zone_id and not self.hostname:
            raise ValueError("aliasZoneId only applies to a hostname target")
        return self


_RECORD_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_RECORD_NAME_RE = re.compile(rf"^(\*|{_RECORD_LABEL})(\.{_RECORD_LABEL})*\.?$")


def _record_name(value: str) -> str:
    if not _RECORD_NAME_RE.match(value) or len(value.removesuffix(".")) > 253:
        raise ValueError(
            f"'{value}' is not a DNS record name (labels of letters, digits, '-' and '_', separated by single "
            "dots; '*' only as the first label; at most one trailing dot)"
        )
    return value


class ExtraRecord(Model):
    name: Annotated[str, AfterValidator(_record_name)]
    """Record name."""
    type: Literal["A", "AAAA", "CNAME", "TXT", "MX", "SRV"]
    """Record type."""
    values: Annotated[list[str], Field(min_length=1)]
    """Record values."""
    ttl: PositiveInt32 | None = None
    """TTL; dns.ttl when unset."""

    @property
    def absolute(self) -> bool:
        """Written fully qualified, with the trailing dot of DNS zone files."""
        return self.name.endswith(".")

    def fqdn(self, domain: str) -> str:
        """The record's name in the zone: a relative name gets the domain appended, a trailing dot is dropped."""
        name = self.name.removesuffix(".").lower()
        if self.absolute or name == domain or name.endswith(f".{domain}"):
            return name
        return f"{name}.{domain}"


class Dns(Model):
    zone_id: str
    """Route53 hosted zone that holds `domain` (the zone is looked up, never created)."""
    target: LoadBalancerTarget
    """Where the Wire hostnames point."""
    hosts: list[WireHost] = [
        WireHost.NGINZ_HTTPS,
        WireHost.NGINZ_SSL,
        WireHost.WEBAPP,
        WireHost.ACCOUNT,
        WireHost.TEAMS,
    ]
    """Which `<host>.<domain>` records exist: `federator` only with federation on (wire-server's `tags.federation`
    in extraValues or layeredValues); on bare metal `nginz-ssl` always (the entry point serves websockets)."""
    ttl: PositiveInt32 = 300
    """TTL of the records."""
    federation_srv: bool = True
    """Federation: the `_wire-server-federator._tcp` SRV record points at federator.<domain> (with `federator` in
    hosts and federation on)."""
    extra_records: list[ExtraRecord] = []
    """Additional records in the zone (name relative to the zone or fully qualified)."""

    @model_validator(mode="after")
    def _check(self) -> Dns:
        if len(set(self.hosts)) != len(self.hosts):
            raise ValueError("dns.hosts lists a hostname twice")
        if not re.match(r"^Z[A-Z0-9]{1,31}$", self.zone_id):
            raise ValueError(f"zoneId '{self.zone_id}' is not a Route53 hosted zone id (Z...)")
        return self
