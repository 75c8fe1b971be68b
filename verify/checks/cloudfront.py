"""CloudFront: the distribution cargohold signs download URLs for (assets.cloudFront.enabled)."""

from __future__ import annotations

from typing import Any

from verify.aws import AwsError, describe
from verify.checks.failures import denied_or
from verify.expected_resources import CloudFrontTarget
from verify.results import Result, fail, ok

CHECK = "cargohold downloads"


def _find(cloudfront: Any, target: CloudFrontTarget) -> dict[str, Any] | None:
    for page in cloudfront.get_paginator("list_distributions").paginate():
        for item in page.get("DistributionList", {}).get("Items", []) or []:
            origins = [origin.get("DomainName", "") for origin in item.get("Origins", {}).get("Items", [])]
            if (target.domain and item.get("DomainName") == target.domain) or (
                not target.domain and any(domain.startswith(f"{target.bucket}.s3.") for domain in origins)
            ):
                return item
    return None


def distribution(cloudfront: Any, target: CloudFrontTarget, *, check: str = CHECK) -> list[Result]:
    """Exists and is enabled, reads the bucket with its origin access control, serves https only, trusts the key
    cargohold signs with, and answers CORS for the web apps."""
    resource = target.domain or f"distribution of {target.bucket}"
    try:
        found = _find(cloudfront, target)
        if found is None:
            return [
                fail(
                    check,
                    resource,
                    "no such distribution: cargohold's signed download URLs point nowhere; pulumi up creates it "
                    "(its new domain reaches cargohold with the release)",
                )
            ]
        config = cloudfront.get_distribution_config(Id=found["Id"])["DistributionConfig"]
    except AwsError as error:
        return [denied_or(error, check, resource, "cloudfront:ListDistributions", "cannot read the distributions")]
    resource = f"{found.get('DomainName')} ({found['Id']})"
    behavior = config.get("DefaultCacheBehavior", {})
    problems = []
    if not config.get("Enabled"):
        problems.append(
            "disabled: every download fails; aws cloudfront update-distribution (Enabled true) or pulumi up"
        )
    origins = config.get("Origins", {}).get("Items", [])
    if not any(origin.get("OriginAccessControlId") for origin in origins):
        problems.append("no origin access control: CloudFront cannot read the private bucket (403); pulumi up")
    if behavior.get("ViewerProtocolPolicy") != "https-only":
        problems.append(f"viewer protocol {behavior.get('ViewerProtocolPolicy')}, not https-only: pulumi up")
    problems += _key_groups(cloudfront, behavior, target)
    problems += _cors(cloudfront, behavior, target)
    if problems:
        return [fail(check, resource, problem) for problem in problems]
    return [ok(check, resource, f"enabled, https-only, trusts key {target.key_pair_id}, CORS for the web apps")]


def _key_groups(cloudfront: Any, behavior: dict[str, Any], target: CloudFrontTarget) -> list[str]:
    groups = behavior.get("TrustedKeyGroups", {})
    keys: set[str] = set()
    try:
        for group in groups.get("Items", []) if groups.get("Enabled") else []:
            keys |= set(cloudfront.get_key_group(Id=group)["KeyGroup"]["KeyGroupConfig"].get("Items", []))
    except AwsError as error:
        return [f"cannot read its key groups ({describe(error)})"]
    if target.key_pair_id not in keys:
        return [
            f"trusts no key group with {target.key_pair_id} (assets.cloudFront.keyPairId), the key cargohold signs "
            "with: every download is refused (403); pulumi up"
        ]
    return []


def _cors(cloudfront: Any, behavior: dict[str, Any], target: CloudFrontTarget) -> list[str]:
    policy_id = behavior.get("ResponseHeadersPolicyId")
    if not policy_id:
        return ["no response headers policy: the web apps get no CORS headers for assets; pulumi up"]
    try:
        config = cloudfront.get_response_headers_policy(Id=policy_id)["ResponseHeadersPolicy"]
    except AwsError as error:
        return [f"cannot read its response headers policy {policy_id} ({describe(error)})"]
    cors = config.get("ResponseHeadersPolicyConfig", {}).get("CorsConfig", {})
    allowed = set(cors.get("AccessControlAllowOrigins", {}).get("Items", []))
    missing = [origin for origin in target.origins if origin not in allowed and "*" not in allowed]
    if missing:
        return [f"CORS answers no {', '.join(missing)}: that web app cannot download assets; pulumi up"]
    return []
