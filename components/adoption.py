"""`wire:adopt` checked against what the program creates, and the resource options that adopt a resource.

The config section (components/config/adopt.py) checks the forms of the ids; here each entry is matched
with the resource the stack really creates: its role must be one this stack has, the live resource must
carry the name the program gives it (a name is fixed at creation: another name would be a replacement),
a release must live in the namespace the program deploys it to. Checked when the stack is loaded
(components/stack_loading.py), so a wrong entry is reported with the configuration, before anything registers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from components import naming
from components.config import EmailMode, PushMode, StackConfig
from components.config.addons import CERT_MANAGER_NAMESPACE, LB_CONTROLLER_NAMESPACE
from components.config.adopt import (
    ADDRESS_RECORD_TYPES,
    AWS_ROLES,
    AdoptStep,
    IdKind,
    queue_name_of,
    queue_region_of,
    split_record_id,
    topic_name_of,
    topic_region_of,
)
from components.config.published import federation_srv_published, published_hosts
from components.k8s.values.addons import AWS_LOAD_BALANCER_CONTROLLER, CERT_MANAGER
from components.k8s.values.common import GATEWAY_CRDS, release_namespace


def aws_names(cfg: StackConfig) -> dict[str, str]:
    """Role -> the name the program gives that resource, for every adoptable AWS resource this stack creates."""
    env = cfg.environment
    names = {"assetsBucket": cfg.bucket_name}

    def queue(role: str, name: str) -> None:
        names[f"{role}Queue"] = name
        names[f"{role}DeadLetterQueue"] = naming.dead_letter_queue(name)

    queue("brigInternal", naming.brig_internal_queue(env))
    if cfg.push.mode != PushMode.EXTERNAL:
        queue("gundeck", naming.gundeck_queue(env))
    if cfg.push.mode == PushMode.CREATE:
        names["pushTopic"] = naming.push_events_topic(env)
    if cfg.email.mode == EmailMode.SES:
        queue("email", naming.brig_email_queue(env))
        names["emailTopic"] = naming.email_events_topic(env)
        names["sesIdentity"] = cfg.domain
        names["sesConfigurationSet"] = naming.ses_configuration_set(env)
    if cfg.features.user_journal:
        queue("userJournal", naming.user_journal_queue(env))
    if cfg.features.team_events_journal:
        queue("teamEvents", naming.team_events_queue(env))
    if cfg.features.prekey_table:
        names["prekeyTable"] = naming.prekey_table(env)
    return names


def release_namespaces(cfg: StackConfig) -> dict[str, str]:
    """Every helm release this stack deploys -> its namespace."""
    from components.k8s.values import release_names

    if not cfg.kubernetes.releases:
        return {}
    found = {name: release_namespace(cfg, name) for name in release_names(cfg)}
    if cfg.addons.cert_manager.install:
        found[CERT_MANAGER] = CERT_MANAGER_NAMESPACE
    if cfg.addons.aws_load_balancer_controller.install:
        found[AWS_LOAD_BALANCER_CONTROLLER] = LB_CONTROLLER_NAMESPACE
    if cfg.ingress.envoy_gateway:
        found[GATEWAY_CRDS] = release_namespace(cfg, GATEWAY_CRDS)
    return found


def planned_records(cfg: StackConfig) -> set[tuple[str, str]]:
    """(name, type) of every Route53 record the stack creates, except SES's DKIM records (named by SES); a
    record typed by a load balancer's address appears with each type that address may give it."""
    dns = cfg.dns
    if dns is None:
        return set()
    target = dns.target
    # A record at a load balancer's address read from its Service takes the type the address gives.
    read = ADDRESS_RECORD_TYPES
    address = ("A",) if target.ips or target.alias_zone_id else read if target.from_ingress_controller else ("CNAME",)
    records = {(naming.hostname(host, cfg.domain), kind) for host in published_hosts(cfg) for kind in address}
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.hostname and not wslb.external_dns:
        # With the releases deployed, the record points at cannon's own load balancer.
        records |= {(wslb.hostname, kind) for kind in (read if cfg.kubernetes.releases else address)}
    if federation_srv_published(cfg):
        records.add((naming.federator_srv(cfg.domain), "SRV"))
    records |= {(extra.fqdn(cfg.domain).rstrip("."), extra.type) for extra in dns.extra_records}
    if cfg.email.mode == EmailMode.SES:
        mail_from = f"{cfg.email.ses_settings.mail_from_subdomain}.{cfg.domain}"
        records |= {(mail_from, "MX"), (mail_from, "TXT"), (f"_dmarc.{cfg.domain}", "TXT")}
    return {(name.lower(), kind) for name, kind in records}


# Which setting makes the stack create a resource of each role (or deploy each release): an entry the stack's
# settings leave out is answered with the setting, or with removing the entry.
_ROLE_SETTINGS = {
    "email": "wire:email.mode ses",
    "ses": "wire:email.mode ses",
    "gundeck": "wire:push.mode create or disabled (with push.mode external Wire's account holds gundeck's queue)",
    "pushTopic": "wire:push.mode create",
    "userJournal": "wire:features.userJournal: true",
    "teamEvents": "wire:features.teamEventsJournal: true",
    "prekeyTable": "wire:features.prekeyTable: true",
}
_RELEASE_SETTINGS = {
    "metallb": "wire:ingress.loadBalancer metallb",
    "ingress-nginx": "wire:ingress.controller legacy (or envoyGateway with legacyHosts, during the move)",
    "envoy-gateway": "wire:ingress.controller envoyGateway",
    "gateway-crds": "wire:ingress.controller envoyGateway",
    "webapp": "wire:webApps.webapp: true",
    "team-settings": "wire:webApps.teamSettings: true",
    "account-pages": "wire:webApps.accountPages: true",
    "cert-manager": "wire:addons.certManager.install: true",
    "aws-load-balancer-controller": "wire:addons.awsLoadBalancerController.install: true",
}
# Releases whose namespace the program fixes (wire:kubernetes.namespace moves only the Wire releases).
_FIXED_NAMESPACE = (
    "metallb",
    "ingress-nginx",
    "envoy-gateway",
    "gateway-crds",
    "cert-manager",
    "aws-load-balancer-controller",
)


def _role_setting(role: str) -> str | None:
    return next((setting for prefix, setting in _ROLE_SETTINGS.items() if role.startswith(prefix)), None)


def adoption_problems(cfg: StackConfig) -> list[str]:
    """Every `wire:adopt` entry that names something this stack does not create as given; each with its fix."""
    adopt = cfg.adopt
    problems: list[str] = []
    names = aws_names(cfg)
    for role, value in sorted(adopt.aws.items()):
        key = f"wire:adopt.aws.{role}"
        if role not in names:
            setting = _role_setting(role)
            creates = f"only {setting} creates it" if setting else "its settings leave it out"
            problems.append(
                f"{key}: this stack creates no {role} ({creates}): set that if this stack should take the live "
                f"resource over, or remove the entry (this stack adopts: {', '.join(sorted(names))})"
            )
            continue
        problems += _name_problems(cfg, key, role, value, names[role])
    namespaces = release_namespaces(cfg)
    for release, release_id in sorted(adopt.releases.items()):
        key = f"wire:adopt.releases.{release}"
        if not cfg.kubernetes.releases:
            problems.append(
                f"{key}: wire:kubernetes.releases is false, so this stack deploys no release (helmfile, Argo CD or "
                "Flux keep them): remove the entry"
            )
            continue
        if release not in namespaces:
            setting = _RELEASE_SETTINGS.get(release)
            creates = f"only {setting} deploys it" if setting else "its settings leave it out"
            problems.append(
                f"{key}: this stack deploys no release {release} ({creates}): set that if this stack should take "
                f"the live release over, or remove the entry (it deploys: {', '.join(sorted(namespaces))})"
            )
            continue
        namespace = release_id.split("/", 1)[0]
        if namespace != namespaces[release]:
            move = (
                "remove the entry (the program installs it there; helm cannot move a release to another namespace)"
                if release in _FIXED_NAMESPACE
                else f"set wire:kubernetes.namespace: {namespace} (where the live Wire releases run), or remove the "
                f"entry (helm cannot move a release: the stack would install a second {release} in "
                f"{namespaces[release]})"
            )
            problems.append(
                f"{key}: '{release_id}' is in namespace {namespace}, but the stack deploys {release} to "
                f"{namespaces[release]}: {move}"
            )
    records = planned_records(cfg)
    for index, record_id in enumerate(adopt.dns_records):
        key = f"wire:adopt.dnsRecords[{index}]"
        zone, name, record_type = split_record_id(record_id)
        if cfg.dns is None:
            problems.append(f"{key}: wire:dns is not set, so the stack creates no record; remove the entry")
        elif zone != cfg.dns.zone_id:
            problems.append(
                f"{key}: '{record_id}' is in hosted zone {zone}, but this stack's records go to wire:dns.zoneId "
                f"{cfg.dns.zone_id}: adopt it from a stack whose wire:dns.zoneId is {zone}, or remove the entry"
            )
        elif name.endswith(f"._domainkey.{cfg.domain}"):
            problems.append(
                f"{key}: DKIM records are named by SES's tokens, known only once the identity is read: remove the "
                "entry; adopt the SES identity (wire:adopt.aws.sesIdentity) and the stack takes its DKIM records "
                "over (same names and values)"
            )
        elif (name, record_type) not in records:
            problems.append(
                f"{key}: the stack creates no {record_type} record {name}: give the id of a record it creates, or "
                "remove the entry (a record of another name or type stays outside the stack); it creates: "
                + ", ".join(f"{n} {t}" for n, t in sorted(records))
            )
    return problems


# The sections adoption_problems reads (with what release_names and release_namespace read).
ADOPTION_NEEDS = (
    "adopt",
    "environment",
    "domain",
    "region",
    "assets",
    "push",
    "email",
    "features",
    "kubernetes",
    "ingress",
    "web_apps",
    "addons",
    "dns",
    "cannon",
)


def partial_adoption_problems(sections: dict[str, Any]) -> list[str]:
    """adoption_problems over the sections of a configuration with other problems, when all it reads validated."""
    adopt = sections.get("adopt")
    if adopt is None or not adopt.adopting or any(name not in sections for name in ADOPTION_NEEDS):
        return []
    return adoption_problems(StackConfig.model_construct(**sections))


def _name_problems(cfg: StackConfig, key: str, role: str, value: str, name: str) -> list[str]:
    kind = AWS_ROLES[role][1]
    if kind == IdKind.QUEUE:
        live, region = queue_name_of(value), queue_region_of(value)
    elif kind == IdKind.TOPIC:
        live, region = topic_name_of(value), topic_region_of(value)
    else:
        live, region = value, None
    problems = []
    if region is not None and region != cfg.region:
        problems.append(
            f"{key}: '{value}' is in region {region}, but this stack creates its resources in aws:region "
            f"{cfg.region}: adopt it from a stack whose aws:region is {region}, or remove the entry (this stack "
            f"then creates its own in {cfg.region})"
        )
    if live != name:
        fix = (
            f"set wire:assets.bucketName: {live}"
            if role == "assetsBucket"
            else "leave it out (the stack creates its own; move what it holds yourself)"
        )
        problems.append(
            f"{key}: '{live}' is not the name the program gives it ({name}); a name is fixed at creation, so "
            f"adopting it would replace it: {fix}"
        )
    return problems


def adoption_options(cfg: StackConfig, import_id: str | None, inputs: Iterable[str]) -> dict[str, Any]:
    """Resource options adopting a live resource: `import_`, and in step import `ignore_changes` on every
    input the program sets (`inputs`), so the import takes the resource as it is and changes nothing."""
    if import_id is None:
        return {}
    options: dict[str, Any] = {"import_": import_id}
    if cfg.adopt.step == AdoptStep.IMPORT:
        options["ignore_changes"] = sorted(inputs)
    return options


__all__ = ["adoption_options", "adoption_problems", "aws_names", "partial_adoption_problems", "planned_records"]
