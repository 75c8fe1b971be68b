"""Adopting what already exists: helm releases and AWS resources taken into the stack with Pulumi's `import`.

An installation from wire-server-deploy (and Wire's Terraform modules) already runs releases named
`wire-server`, `nginx-ingress-services`, ... and may have a bucket, queues or a table the stack would
create. `wire:adopt` names them: helm releases by release name, AWS resources by the program's own
logical role, each with the live id in the form the provider imports. The program then registers
exactly those resources with `import_=<id>`, under their component and with the stack's provider.

Two steps (docs/migration.md, "Adopting what exists"): `step: import` takes each resource over as it is
(the program's settings are ignored for it, so the import cannot fail on a difference and changes
nothing); `step: apply` lets the program's settings apply, which the next preview shows as an ordinary
update diff. `python -m migrate adopt-check` reports those differences before either step.

Only the forms of the ids are checked here; whether the stack creates a resource of that role, and under
that name, is checked with the program's own names (components/adoption.py) once the sections validated.
"""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import model_validator

from components.config.assets import check_bucket_name
from components.config.base import Model, at, fail
from components.config.regions import aws_regions, partition_regions
from components.config.registry import RELEASES


class AdoptStep(StrEnum):
    IMPORT = "import"
    APPLY = "apply"


class IdKind(StrEnum):
    """The id form each kind of resource is imported by (the id the provider gives it in the state)."""

    QUEUE = "queue URL"
    BUCKET = "bucket name"
    TABLE = "table name"
    TOPIC = "topic ARN"
    SES_IDENTITY = "SES identity (the domain)"
    CONFIGURATION_SET = "configuration set name"


# Logical role -> (Pulumi type token, id form). The role names what the resource is for in the program.
AWS_ROLES: dict[str, tuple[str, IdKind]] = {
    "assetsBucket": ("aws:s3/bucket:Bucket", IdKind.BUCKET),
    "brigInternalQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "brigInternalDeadLetterQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "gundeckQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "gundeckDeadLetterQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "emailQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "emailDeadLetterQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "userJournalQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "userJournalDeadLetterQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "teamEventsQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "teamEventsDeadLetterQueue": ("aws:sqs/queue:Queue", IdKind.QUEUE),
    "prekeyTable": ("aws:dynamodb/table:Table", IdKind.TABLE),
    "pushTopic": ("aws:sns/topic:Topic", IdKind.TOPIC),
    "emailTopic": ("aws:sns/topic:Topic", IdKind.TOPIC),
    "sesIdentity": ("aws:sesv2/emailIdentity:EmailIdentity", IdKind.SES_IDENTITY),
    "sesConfigurationSet": ("aws:sesv2/configurationSet:ConfigurationSet", IdKind.CONFIGURATION_SET),
}
RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
RECORD_TYPE = "aws:route53/record:Record"
# Add-on releases the stack may install (wire:addons), besides the Wire releases of rules.RELEASES.
ADDON_RELEASES = ("cert-manager", "aws-load-balancer-controller")

_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,75}(\.fifo)?$")
_ACCOUNT = re.compile(r"^\d{12}$")
_TABLE = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
_CONFIGURATION_SET = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_DOMAIN = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_ZONE_ID = re.compile(r"^Z[A-Z0-9]{1,31}$")
# The types a load balancer's address gives a record (an IPv4 or IPv6 address, or a hostname).
ADDRESS_RECORD_TYPES = ("A", "AAAA", "CNAME")
_RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA", "NS", "PTR", "SPF", "NAPTR", "DS")


def _kebab(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", key).lower()


def release_names() -> tuple[str, ...]:
    """Every helm release name the program can deploy (`wire-server`, ..., the add-ons)."""
    return (*(_kebab(key) for key in RELEASES), *ADDON_RELEASES)


def queue_name_of(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


def queue_region_of(url: str) -> str | None:
    """The region in an AWS queue URL (`https://sqs.<region>.amazonaws.com/...`); None for an emulator's."""
    match = re.match(r"^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$", urlsplit(url).hostname or "")
    return match.group(1) if match else None


def topic_name_of(arn: str) -> str:
    return arn.split(":")[-1]


def topic_region_of(arn: str) -> str:
    return arn.split(":")[3]


def id_problem(kind: IdKind, value: str) -> str | None:
    """Why `value` is not an id of this kind, with the form expected; None when it is one."""
    if kind == IdKind.QUEUE:
        parts = urlsplit(value)
        path = parts.path.strip("/").split("/")
        if parts.scheme not in ("https", "http") or len(path) != 2 or not _ACCOUNT.match(path[0]):
            return (
                f"'{value}' is not a queue URL; the id of a queue is its URL, "
                "https://sqs.<region>.amazonaws.com/<account>/<name> (aws sqs get-queue-url --queue-name <name>)"
            )
        if not _QUEUE_NAME.match(path[1]):
            return f"'{value}': '{path[1]}' is not an SQS queue name (1-80 of A-Z, a-z, 0-9, '-', '_', then .fifo)"
        region = queue_region_of(value)
        if region is not None and region not in aws_regions():
            return f"'{value}': '{region}' is not an AWS region"
        return None
    if kind == IdKind.BUCKET:
        try:
            check_bucket_name(value)
        except ValueError as error:
            return f"{error}; the id of a bucket is its name"
        return None
    if kind == IdKind.TABLE:
        if not _TABLE.match(value):
            return f"'{value}' is not a DynamoDB table name (3-255 of A-Z, a-z, 0-9, '_', '-', '.'); its id is its name"
        return None
    if kind == IdKind.TOPIC:
        parts = value.split(":")
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sns":
            return f"'{value}' is not a topic ARN; the id of a topic is its ARN, arn:aws:sns:<region>:<account>:<name>"
        if parts[1] not in partition_regions():
            return f"'{value}': '{parts[1]}' is not an AWS partition (one of {', '.join(sorted(partition_regions()))})"
        if parts[3] not in partition_regions()[parts[1]]:
            return f"'{value}': '{parts[3]}' is not a region of partition {parts[1]}"
        if not _ACCOUNT.match(parts[4]) or not _QUEUE_NAME.match(parts[5]):
            return f"'{value}' is not a topic ARN: the account is 12 digits, the name 1-256 of A-Z, a-z, 0-9, '-', '_'"
        return None
    if kind == IdKind.SES_IDENTITY:
        if not _DOMAIN.match(value):
            return f"'{value}' is not a domain; the id of the SES identity is the domain it verifies (wire:domain)"
        return None
    if not _CONFIGURATION_SET.match(value):
        return f"'{value}' is not an SES configuration set name (1-64 of A-Z, a-z, 0-9, '-', '_')"
    return None


def record_id_problem(value: str) -> str | None:
    """A Route53 record id is `<zone id>_<name>_<type>` (the provider's import form)."""
    parts = value.split("_")
    if len(parts) < 3 or not _ZONE_ID.match(parts[0]) or parts[-1] not in _RECORD_TYPES:
        return (
            f"'{value}' is not a record id: <zone id>_<name>_<type>, e.g. Z0123456789EXAMPLE_webapp.example.com_CNAME "
            f"(type one of {', '.join(_RECORD_TYPES)})"
        )
    return None


def split_record_id(value: str) -> tuple[str, str, str]:
    """(zone id, name, type); the name may itself hold '_' (e.g. `_dmarc.example.com`)."""
    zone, rest = value.split("_", 1)
    name, record_type = rest.rsplit("_", 1)
    return zone, name.rstrip(".").lower(), record_type


class Adopt(Model):
    """Existing resources the stack takes over instead of creating them (Pulumi's `import`)."""

    step: AdoptStep = AdoptStep.IMPORT
    """`import`: take each named resource over as it is, ignoring the program's settings for it (no change);
    `apply`: the program's settings apply to it, an ordinary update in the preview."""
    releases: dict[str, str] = {}
    """Helm release name (wire-server, nginx-ingress-services, ...) -> `<namespace>/<name>` of the live release."""
    aws: dict[str, str] = {}
    """Logical role (assetsBucket, brigInternalQueue, gundeckQueue, prekeyTable, pushTopic, sesIdentity, ...)
    -> the live id as the provider imports it (queue URL, bucket or table name, topic ARN, domain)."""
    dns_records: list[str] = []
    """Route53 records the stack creates, by id `<zone id>_<name>_<type>`."""

    @model_validator(mode="after")
    def _check(self) -> Adopt:
        problems: list[str] = []
        known_releases = release_names()
        for release, release_id in sorted(self.releases.items()):
            if release not in known_releases:
                problems.append(
                    at(f"releases.{release}", f"is not a release of the stack; releases: {', '.join(known_releases)}")
                )
                continue
            namespace, _, name = release_id.partition("/")
            if not _DNS_LABEL.match(namespace) or name != release:
                problems.append(
                    at(
                        f"releases.{release}",
                        f"'{release_id}' is not the release's id: <namespace>/{release} (helm list -A shows the "
                        "namespace)",
                    )
                )
        for role, value in sorted(self.aws.items()):
            if role not in AWS_ROLES:
                problems.append(at(f"aws.{role}", f"is not a role of the stack; roles: {', '.join(AWS_ROLES)}"))
                continue
            problem = id_problem(AWS_ROLES[role][1], value)
            if problem:
                problems.append(at(f"aws.{role}", problem))
        for index, record_id in enumerate(self.dns_records):
            problem = record_id_problem(record_id)
            if problem:
                problems.append(at(f"dnsRecords[{index}]", problem))
        if problems:
            fail(*problems)
        return self

    @property
    def adopting(self) -> bool:
        return bool(self.releases or self.aws or self.dns_records)

    def import_id(self, role: str) -> str | None:
        return self.aws.get(role)

    def release_id(self, release: str) -> str | None:
        return self.releases.get(release)

    def record_id(self, zone_id: str, fqdn: str, record_type: str | None) -> str | None:
        """The adopted record of this zone, name and type; type None: any address type (A, AAAA, CNAME)."""
        types = (record_type,) if record_type else ADDRESS_RECORD_TYPES
        for record_id in self.dns_records:
            zone, name, kind = split_record_id(record_id)
            if (zone, name) == (zone_id, fqdn.rstrip(".").lower()) and kind in types:
                return record_id
        return None

    def warnings(self) -> list[str]:
        if not self.adopting:
            return []
        count = len(self.releases) + len(self.aws) + len(self.dns_records)
        if self.step == AdoptStep.IMPORT:
            return [
                f"wire:adopt: {count} existing resource(s) are imported as they are (step import: the program's "
                "settings are ignored for them); after this `pulumi up`, set wire:adopt.step to apply and review "
                "the update diff of the next preview (docs/migration.md)"
            ]
        return [
            f"wire:adopt: {count} resource(s) are adopted with the program's settings (step apply); once a "
            "`pulumi up` has applied them, remove wire:adopt (kept, it is harmless: Pulumi ignores an import id "
            "equal to the id in its state, and refuses to replace such a resource)"
        ]
