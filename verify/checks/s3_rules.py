"""S3: the rules of cargohold's bucket beyond access: CORS for the web apps, lifecycle, ownership, TLS-only policy."""

from __future__ import annotations

import json
from typing import Any

from policy.documents import denies_insecure_transport
from verify.aws import AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected_resources import BucketRules
from verify.results import Result, fail, ok


def cors(s3: Any, name: str, rules: BucketRules, *, check: str = "cargohold bucket") -> Result:
    """Browsers of the web apps (webapp, teams, account) download assets from the bucket only with CORS."""
    try:
        live = s3.get_bucket_cors(Bucket=name)["CORSRules"]
    except AwsError as error:
        if error_code(error) == "NoSuchCORSConfiguration":
            return fail(
                check,
                name,
                f"no CORS rules: {', '.join(rules.origins)} cannot download assets; pulumi up restores them",
            )
        return denied_or(error, check, name, "s3:GetBucketCORS", "cannot read the CORS rules", "the bucket policy")
    missing = [
        origin
        for origin in rules.origins
        if not any(
            (origin in rule.get("AllowedOrigins", []) or "*" in rule.get("AllowedOrigins", []))
            and set(rules.methods) <= set(rule.get("AllowedMethods", []))
            for rule in live
        )
    ]
    if missing:
        return fail(
            check,
            name,
            f"CORS lets no {'/'.join(rules.methods)} from {', '.join(missing)}: that web app cannot download assets; "
            "pulumi up restores the rules",
        )
    return ok(check, name, f"CORS covers {', '.join(rules.origins)}")


def _live_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as S3 returns it, in the shape of `LifecycleRule.api()` (fields the program does not set dropped)."""
    prefix = (rule.get("Filter") or {}).get("Prefix", rule.get("Prefix", "")) or ""
    found: dict[str, Any] = {"ID": rule.get("ID"), "Status": rule.get("Status"), "Filter": {"Prefix": prefix}}
    if "Days" in (rule.get("Expiration") or {}):
        found["Expiration"] = {"Days": rule["Expiration"]["Days"]}
    if rule.get("Transitions"):
        found["Transitions"] = [
            {"Days": t.get("Days"), "StorageClass": t.get("StorageClass")} for t in rule["Transitions"]
        ]
    if rule.get("AbortIncompleteMultipartUpload"):
        days = rule["AbortIncompleteMultipartUpload"].get("DaysAfterInitiation")
        found["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": days}
    if (rule.get("Expiration") or {}).get("ExpiredObjectDeleteMarker"):
        found["Expiration"] = {"ExpiredObjectDeleteMarker": True}
    if "NoncurrentDays" in (rule.get("NoncurrentVersionExpiration") or {}):
        found["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]}
    return found


def lifecycle(s3: Any, name: str, rules: BucketRules, *, check: str = "cargohold bucket") -> Result:
    """The lifecycle equals the program's: assets expire as cargohold's retentions say, never earlier."""
    try:
        live = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    except AwsError as error:
        if error_code(error) == "NoSuchLifecycleConfiguration":
            return fail(
                check,
                name,
                "no lifecycle rules: volatile and expiring assets are never deleted and failed uploads stay billed; "
                "pulumi up restores them",
            )
        return denied_or(error, check, name, "s3:GetLifecycleConfiguration", "cannot read the lifecycle")
    found = {str(rule.get("ID")): _live_rule(rule) for rule in live}
    wanted = {rule.id: rule.api() for rule in rules.lifecycle}
    differ = sorted(rule_id for rule_id in wanted if found.get(rule_id) != wanted[rule_id])
    extra = sorted(set(found) - set(wanted))
    if differ or extra:
        problems = [
            f"rule {rule_id} is {json.dumps(found.get(rule_id))}, the program's {json.dumps(wanted[rule_id])}"
            for rule_id in differ
        ]
        problems += [
            f"rule {rule_id} is not the program's (it may delete assets cargohold still serves)" for rule_id in extra
        ]
        return fail(check, name, f"lifecycle differs: {'; '.join(problems)}; pulumi up restores it")
    return ok(check, name, f"lifecycle as the program's ({', '.join(wanted)})")


def ownership(s3: Any, name: str, *, check: str = "cargohold bucket") -> Result:
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    except AwsError as error:
        if error_code(error) == "OwnershipControlsNotFoundError":
            rules = []
        else:
            return denied_or(error, check, name, "s3:GetBucketOwnershipControls", "cannot read the ownership")
    owners = {rule.get("ObjectOwnership") for rule in rules}
    if owners != {"BucketOwnerEnforced"}:
        return fail(
            check,
            name,
            f"object ownership {', '.join(sorted(map(str, owners))) or 'unset'}: ACLs are in force again and an object "
            "may be made public; pulumi up sets BucketOwnerEnforced",
        )
    return ok(check, name, "ACLs disabled (BucketOwnerEnforced)")


def tls_only_policy(s3: Any, name: str, *, check: str = "cargohold bucket") -> Result:
    try:
        document = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except AwsError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            document = {}
        else:
            return denied_or(error, check, name, "s3:GetBucketPolicy", "cannot read the bucket policy")
    except ValueError:
        document = {}
    if not denies_insecure_transport(document):
        return fail(
            check,
            name,
            "the bucket policy does not deny requests without TLS (aws:SecureTransport false): pulumi up restores it",
        )
    return ok(check, name, "the bucket policy denies requests without TLS")
