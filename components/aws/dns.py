"""Route53 records for the public Wire hostnames in an existing hosted zone."""

from __future__ import annotations

import ipaddress
from typing import Any

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.common import adopted_record, child
from components.config import LoadBalancerTarget, StackConfig
from components.config.dns import ADDRESS_TYPES
from components.config.published import federation_srv_published, published_hosts


def record_resource_name(fqdn: str, record_type: str) -> str:
    """`<fqdn>` for an address record, `<type>-<fqdn>` (lower case type) for the others."""
    return fqdn if record_type in ADDRESS_TYPES else f"{record_type.lower()}-{fqdn}"


def _address_aliases(fqdn: str, record_type: str) -> dict[str, Any]:
    if record_type not in ADDRESS_TYPES:
        return {}
    # Until 2026-11 address records were named `<type>-<fqdn>` too; the aliases adopt them in place.
    return {"aliases": [pulumi.Alias(name=f"{kind.lower()}-{fqdn}") for kind in ADDRESS_TYPES]}


def record_type_for(address: str) -> str:
    """A for an IPv4 address, AAAA for IPv6, CNAME for a hostname."""
    try:
        return "AAAA" if ipaddress.ip_address(address).version == 6 else "A"
    except ValueError:
        return "CNAME"


class DnsRecords(pulumi.ComponentResource):
    """`<host>.<domain>` for each published host (dns.hosts of what is deployed: published.py), cannon's websocket
    host, the federator SRV (with federation on) and extra records.

    Records are created with `allow_overwrite=False`: a record that already exists makes `pulumi up`
    fail instead of being replaced silently. To take over an existing record, adopt it: its id
    `<ZONEID>_<NAME>_<TYPE>` in `wire:adopt.dnsRecords` (docs/migration.md, "Adopting what exists").

    An address record (A or CNAME: a Wire hostname, the cannon host, an extra A/CNAME record) is named
    by its host alone, so a change of target that changes its type (a load balancer hostname → IPs) is
    an in-place update of one resource, not a replacement: only `name` and `zone_id` force a new record
    (terraform-provider-aws, internal/service/route53/record.go, the `aws_route53_record` schema), and
    the update sends the old record's DELETE and the new one's CREATE in one atomic change batch
    (`resourceRecordUpdate`), which Route53 accepts although a CNAME cannot stand next to an A record.
    """

    records: list[aws.route53.Record]
    fqdns: list[str]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        ingress_hostname: pulumi.Output[str] | None = None,
        websocket_hostname: pulumi.Output[str] | None = None,
        legacy_hostname: pulumi.Output[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`ingress_hostname`: the entry point's load balancer; `legacy_hostname`: ingress-nginx's while it runs beside
        Envoy Gateway, for the hosts of wire:ingress.legacyHosts (the move, docs/entry-point.md)."""
        super().__init__("wire:aws:DnsRecords", name, None, opts)
        if cfg.dns is None:
            raise ValueError("DnsRecords needs the dns section (zoneId, target)")
        self._dns = cfg.dns
        self._cfg = cfg
        self.records = []
        self.fqdns = []
        dns = cfg.dns

        legacy_hosts = cfg.ingress.legacy_hosts or []
        for host in published_hosts(cfg):
            entry = legacy_hostname if host in legacy_hosts and legacy_hostname is not None else ingress_hostname
            self._to_target(naming.hostname(host, cfg.domain), dns.target, entry)

        wslb = cfg.cannon.websocket_load_balancer
        # With externalDns the cluster's external-dns owns that record; a second owner would fight it.
        # Only at cannon's own load balancer: the values serve websockets there, and the ingress (dns.target) no
        # longer does. Without it (kubernetes.releases: false) no record is made; StackConfig warns.
        if wslb.enabled and wslb.hostname and not wslb.external_dns and websocket_hostname is not None:
            self._address_record(wslb.hostname, websocket_hostname)

        if federation_srv_published(cfg):
            federator = naming.hostname("federator", cfg.domain)
            self._record(naming.federator_srv(cfg.domain), "SRV", records=[f"0 10 443 {federator}"])

        for extra in dns.extra_records:
            self._record(extra.fqdn(cfg.domain), extra.type, records=list(extra.values), ttl=extra.ttl)

        self.register_outputs({"fqdns": self.fqdns})

    def _to_target(
        self, fqdn: str, target: LoadBalancerTarget, ingress_hostname: pulumi.Output[str] | None
    ) -> aws.route53.Record:
        if target.hostname and target.alias_zone_id:
            # Alias: no TTL, free queries, and the apex could use it too.
            alias = aws.route53.RecordAliasArgs(
                name=target.hostname, zone_id=target.alias_zone_id, evaluate_target_health=True
            )
            return self._record(fqdn, "A", aliases=[alias])
        if target.hostname:
            return self._record(fqdn, "CNAME", records=[target.hostname])
        if target.ips:
            return self._record(fqdn, "A", records=list(target.ips))
        if ingress_hostname is None:
            raise ValueError("dns.target.fromIngressController needs the ingress controller's load balancer hostname")
        return self._address_record(fqdn, ingress_hostname)

    def _address_record(self, fqdn: str, address: pulumi.Output[str]) -> aws.route53.Record:
        """A record at a load balancer's address read from its Service: A for an IP, CNAME for a hostname.

        The type is known only once the address is; an address record's logical name is its host alone
        (`record_resource_name`), whichever type the address gives.
        """
        return self._record(fqdn, address.apply(record_type_for), records=[address], name_type="CNAME")

    def _record(
        self,
        fqdn: str,
        record_type: pulumi.Input[str],
        *,
        records: list | None = None,
        aliases: list[aws.route53.RecordAliasArgs] | None = None,
        ttl: int | None = None,
        name_type: str | None = None,
    ) -> aws.route53.Record:
        logical_type = name_type or record_type
        assert isinstance(logical_type, str)
        args: dict[str, Any] = dict(
            zone_id=self._dns.zone_id,
            name=fqdn,
            type=record_type,
            ttl=None if aliases else (ttl or self._dns.ttl),
            records=records,
            aliases=aliases,
            allow_overwrite=False,
        )
        # A record typed by a load balancer's address (known only at apply) is adopted by its name alone.
        typed = record_type if isinstance(record_type, str) else None
        adopt = adopted_record(self._cfg, self._dns.zone_id, fqdn, typed, args)
        record = aws.route53.Record(
            record_resource_name(fqdn, logical_type),
            **args,
            opts=child(self, **_address_aliases(fqdn, logical_type), **adopt),
        )
        self.records.append(record)
        if fqdn not in self.fqdns:
            self.fqdns.append(fqdn)
        return record
