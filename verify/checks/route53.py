"""Route53: the records of the stack's hosts in its zone, with their targets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected import Record
from verify.results import Result, fail, ok, warn


def _fqdn(name: str) -> str:
    return name.rstrip(".").lower().replace("\\052", "*")


def _txt(value: str) -> str:
    """A TXT value as written (case kept: `v=DMARC1` is case-sensitive); Route53 quotes it, in chunks when long."""
    return "".join(part.strip('"') for part in value.split('" "'))


def _target(value: str, record_type: str) -> str:
    return _txt(value) if record_type == "TXT" else _fqdn(value)


def _values(record_set: dict[str, Any]) -> set[str]:
    alias = record_set.get("AliasTarget")
    if alias:
        return {_fqdn(alias["DNSName"]).removeprefix("dualstack.")}
    values = {str(item["Value"]) for item in record_set.get("ResourceRecords", [])}
    if record_set.get("Type") == "TXT":
        return {_txt(value) for value in values}
    if record_set.get("Type") == "SRV":
        # "priority weight port target": only the target can be derived.
        return {_fqdn(value.split()[-1]) for value in values}
    return {_fqdn(value) for value in values}


def dns(route53: Any, zone_id: str, expected: Iterable[Record], *, check: str = "dns") -> list[Result]:
    try:
        sets = [
            record
            for page in route53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone_id)
            for record in page["ResourceRecordSets"]
        ]
    except AwsError as error:
        if error_code(error) in NOT_FOUND or error_code(error) == "NoSuchHostedZone":
            return [fail(check, zone_id, "hosted zone not found: fix dns.zoneId")]
        return [denied_or(error, check, zone_id, "route53:ListResourceRecordSets", "cannot list the zone")]
    by_name: dict[str, list[dict[str, Any]]] = {}
    for record_set in sets:
        by_name.setdefault(_fqdn(record_set["Name"]), []).append(record_set)
    return [_record(check, zone_id, record, by_name.get(record.name, [])) for record in expected]


def _record(check: str, zone_id: str, record: Record, found: list[dict[str, Any]]) -> Result:
    wanted = "/".join(record.types) or "any"
    # What breaks and the fix: a record SES needs names its purpose; a host name is in dns.hosts.
    because = f": {record.purpose}; pulumi up" if record.purpose else ""
    if not found:
        if not record.required:
            return warn(check, record.name, f"no {wanted} record in zone {zone_id} yet (external-dns creates it)")
        fix = because or ": create it (dns.hosts, pulumi up)"
        return fail(check, record.name, f"no {wanted} record in zone {zone_id}{fix}")
    matching = [item for item in found if not record.types or item["Type"] in record.types]
    if not matching:
        types = ", ".join(sorted({item["Type"] for item in found}))
        return fail(check, record.name, f"has {types} records, expected {wanted}{because}")
    if record.targets:
        values = set().union(*(_values(item) for item in matching))
        targets = {_target(target, matching[0]["Type"]) for target in record.targets}
        if not targets <= values:
            return fail(
                check,
                record.name,
                f"points to {', '.join(sorted(values))}, expected {', '.join(sorted(targets))}{because}",
            )
        return ok(check, record.name, f"{matching[0]['Type']} -> {', '.join(sorted(targets))}")
    return ok(check, record.name, f"{matching[0]['Type']} record exists")
