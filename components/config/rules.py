"""Rules that relate two sections (or a section and the environment, domain or region).

Each rule names the top-level fields it reads (registry.py); loading runs it only when all of them validated on their
own, so one bad section never hides the problems of the others. Each problem names its full `wire:` key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.dns import ADDRESS_TYPES, WireHost
from components.config.email import EmailMode
from components.config.ingress import LoadBalancerKind
from components.config.published import federation_srv_published, published_hosts
from components.config.registry import RELEASES, rule

if TYPE_CHECKING:
    from components.config.stack import StackConfig


def in_zone(name: str, domain: str) -> bool:
    return name == domain or name.endswith(f".{domain}")


@rule("email", "domain")
def _ses_sender_on_domain(cfg: StackConfig) -> list[str]:
    if cfg.email.mode == EmailMode.SES and not cfg.email.sender.endswith(f"@{cfg.domain}"):
        return [
            f"wire:email.sender: '{cfg.email.sender}' must be an address on wire:domain '{cfg.domain}' in SES mode "
            f"(SES verifies the domain identity), e.g. no-reply@{cfg.domain}"
        ]
    return []


@rule("sms")
def _no_sms(cfg: StackConfig) -> list[str]:
    if cfg.sms is None:
        return []
    return [
        "wire:sms: phone sign-up is not supported: the wire-server charts removed phone support in chart 5.4.0 "
        "(the Twilio/Nexmo secrets are gone); remove the sms section"
    ]


@rule("nginz", "link_previews")
def _proxy_upstream_needs_previews(cfg: StackConfig) -> list[str]:
    if "proxy" in cfg.nginz.extra_upstreams and not cfg.link_previews.enabled:
        return [
            "wire:nginz.extraUpstreams: has 'proxy', but wire:linkPreviews.enabled is false (no proxy service "
            "runs); enable link previews or remove 'proxy'"
        ]
    return []


@rule("assets", "environment", "domain")
def _derived_bucket_name_fits(cfg: StackConfig) -> list[str]:
    if cfg.assets.bucket_name is None and len(cfg.bucket_name) > 63:
        return [
            f"wire:assets.bucketName: the derived bucket name '{cfg.bucket_name}' is longer than S3's 63 "
            "characters; set wire:assets.bucketName"
        ]
    return []


@rule("extra_values")
def _known_releases(cfg: StackConfig) -> list[str]:
    return [
        f"wire:extraValues.{release}: unknown release; allowed: {', '.join(RELEASES)}"
        for release in sorted(set(cfg.extra_values) - set(RELEASES))
    ]


@rule("extra_values")
def _proxy_tag_is_link_previews(cfg: StackConfig) -> list[str]:
    # From wire-server 5.30 tags.proxy decides whether the proxy runs at all; the program writes it from
    # linkPreviews.enabled, which also decides nginz's route: set elsewhere, the two would disagree.
    tags = (cfg.extra_values.get("wireServer") or {}).get("tags")
    if isinstance(tags, dict) and "proxy" in tags:
        return [
            "wire:extraValues.wireServer.tags.proxy: the program sets it from wire:linkPreviews.enabled (with "
            "nginz's route to the proxy); remove it and set wire:linkPreviews.enabled instead"
        ]
    return []


@rule("dns", "cannon", "domain")
def _websocket_host(cfg: StackConfig) -> list[str]:
    wslb = cfg.cannon.websocket_load_balancer
    if not (cfg.dns and wslb.enabled and wslb.hostname):
        return []
    problems = []
    if WireHost.NGINZ_SSL in cfg.dns.hosts and wslb.hostname == f"nginz-ssl.{cfg.domain}":
        problems.append(
            "wire:dns.hosts: has nginz-ssl, but cannon's own load balancer serves that hostname; remove nginz-ssl "
            "from wire:dns.hosts (its record points at the cannon load balancer)"
        )
    if not wslb.external_dns and not in_zone(wslb.hostname, cfg.domain):
        problems.append(
            f"wire:cannon.websocketLoadBalancer.hostname: '{wslb.hostname}' is outside the DNS zone of wire:domain "
            f"'{cfg.domain}' (wire:dns.zoneId), so its record cannot be created there; use a name under "
            f"{cfg.domain}, or set externalDns: true and manage the record elsewhere"
        )
    return problems


@rule("dns", "domain")
def _extra_records_in_zone(cfg: StackConfig) -> list[str]:
    if not cfg.dns:
        return []
    return [
        f"wire:dns.extraRecords[{index}].name: '{record.name}' is outside the zone of wire:domain '{cfg.domain}'; "
        f"write it relative to the zone (e.g. 'status') or under {cfg.domain}"
        for index, record in enumerate(cfg.dns.extra_records)
        if record.absolute and not in_zone(record.fqdn(cfg.domain), cfg.domain)
    ]


@rule("ingress", "dns")
def _dns_target_fits_the_entry_point(cfg: StackConfig) -> list[str]:
    if not cfg.dns:
        return []
    problems = []
    target, balancer = cfg.dns.target, cfg.ingress.balancer
    if balancer == LoadBalancerKind.METALLB and target.alias_zone_id:
        problems.append(
            "wire:dns.target.aliasZoneId: alias records point at an AWS load balancer, but the entry point is "
            "bare metal (wire:ingress.loadBalancer metallb); remove it and use wire:dns.target.ips"
        )
    if target.from_ingress_controller and balancer != LoadBalancerKind.AWS_NLB:
        problems.append(
            "wire:dns.target.fromIngressController: reads the hostname of the AWS NLB in front of the entry point, "
            f"but wire:ingress.controller is '{cfg.ingress.controller}' without an AWS NLB; set controller: "
            "envoyGateway with loadBalancer: awsNlb, or point the records at wire:dns.target.hostname or ips"
        )
    legacy = cfg.ingress.legacy_hosts or []
    unpublished = [WireHost(host).value for host in legacy if host not in cfg.dns.hosts]
    if unpublished:
        problems.append(f"wire:ingress.legacyHosts: {unpublished} are not in wire:dns.hosts; list only published hosts")
    return problems


@rule("dns", "domain", "cannon", "email")
def _records_do_not_collide(cfg: StackConfig) -> list[str]:
    """DNS rules the records themselves would only break at `pulumi up` (or with a traceback)."""
    dns = cfg.dns
    if dns is None:
        return []
    errors: list[str] = []
    # Names holding a Wire hostname's record (A or CNAME, whichever the target gives).
    addresses = {f"{host}.{cfg.domain}" for host in published_hosts(cfg)}
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.hostname and not wslb.external_dns:
        if wslb.hostname in addresses and wslb.hostname != f"nginz-ssl.{cfg.domain}":
            errors.append(
                f"wire:cannon.websocketLoadBalancer.hostname '{wslb.hostname}' is also one of dns.hosts; a name has "
                "one record: remove it from dns.hosts or choose another hostname"
            )
        addresses.add(wslb.hostname)
    created: dict[tuple[str, str], str] = {}
    if federation_srv_published(cfg):
        created[(f"_wire-server-federator._tcp.{cfg.domain}", "SRV")] = "the federator SRV record"
    if cfg.email.mode == EmailMode.SES:
        mail_from = f"{cfg.email.ses_settings.mail_from_subdomain}.{cfg.domain}"
        for fqdn, kind in ((mail_from, "MX"), (mail_from, "TXT"), (f"_dmarc.{cfg.domain}", "TXT")):
            created[(fqdn, kind)] = "a record of SES mode"
    for fqdn, _kind in list(created):
        if fqdn in addresses:
            errors.append(
                f"wire:dns.hosts: {fqdn} is one of the Wire hostnames and also gets {created[(fqdn, _kind)]}; "
                "rename one"
            )
    for index, extra in enumerate(dns.extra_records):
        fqdn = extra.fqdn(cfg.domain)
        where = f"wire:dns.extraRecords[{index}] ({extra.type} {fqdn})"
        if (fqdn, extra.type) in created:
            errors.append(f"{where} duplicates {created[(fqdn, extra.type)]}; remove it or merge the values")
        elif extra.type in ADDRESS_TYPES and fqdn in addresses:
            errors.append(f"{where} collides with the record of a Wire hostname; remove it")
        created[(fqdn, extra.type)] = f"dns.extraRecords[{index}]"
    cnames = {fqdn for fqdn, kind in created if kind == "CNAME"}
    for fqdn in sorted(cnames):
        others = sorted(kind for name, kind in created if name == fqdn and kind != "CNAME")
        if others or fqdn in addresses:
            errors.append(
                f"wire:dns: {fqdn} has a CNAME and other records ({', '.join(others) or 'a Wire hostname'}); a CNAME "
                "must be the only record of its name"
            )
    return errors


@rule("kubernetes", "dns")
def _aws_only_dns_target(cfg: StackConfig) -> list[str]:
    if cfg.kubernetes.releases or not cfg.dns or not cfg.dns.target.from_ingress_controller:
        return []
    return [
        "wire:dns.target.fromIngressController: reads the ingress controller's load balancer, but "
        "wire:kubernetes.releases is false (AWS only): point dns.target at the load balancer's hostname or ips"
    ]


@rule("ingress", "cannon")
def _one_load_balancer_on_bare_metal(cfg: StackConfig) -> list[str]:
    if cfg.ingress.balancer != LoadBalancerKind.METALLB or not cfg.cannon.websocket_load_balancer.enabled:
        return []
    return [
        "wire:cannon.websocketLoadBalancer.enabled: on bare metal (wire:ingress.loadBalancer metallb) there is one "
        "load balancer address, the ingress controller's, and websockets go through it at nginz-ssl.<domain>; "
        "set it to false"
    ]
