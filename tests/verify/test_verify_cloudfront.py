"""cargohold's CloudFront distribution, on recorded responses.

moto keeps neither an origin's `OriginAccessControlId` nor response headers policies (CreateResponseHeadersPolicy
answers 404), so the distribution check runs against a client that answers as CloudFront's API does
(ListDistributions, GetDistributionConfig, GetKeyGroup, GetResponseHeadersPolicy). The correct answers are built
from what the prod example's offline plan registers (tests/plan/golden/prod/plan.json).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from components.stackfile import PROJECT_ROOT, read_stack_file
from verify import checks
from verify.expected import expected

PLAN = Path(__file__).resolve().parents[1] / "plan" / "golden" / "prod" / "plan.json"
DOMAIN = "d111111abcdef8.cloudfront.net"


def _planned(aws_type: str) -> dict[str, Any]:
    (found,) = [r for r in json.loads(PLAN.read_text())["resources"] if r["type"] == aws_type]
    return found["inputs"]


def _items(values: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(values), "Items": list(values)}


class RecordedCloudFront:
    """CloudFront's answers for the distribution the prod example creates (ids as the plan's mocks give them)."""

    def __init__(self) -> None:
        dist = _planned("aws:cloudfront/distribution:Distribution")
        behavior = dist["defaultCacheBehavior"]
        origins = [
            {"Id": o["originId"], "DomainName": o["domainName"], "OriginAccessControlId": o["originAccessControlId"]}
            for o in dist["origins"]
        ]
        self.config: dict[str, Any] = {
            "Enabled": dist["enabled"],
            "Origins": _items(origins),
            "DefaultCacheBehavior": {
                "TargetOriginId": behavior["targetOriginId"],
                "ViewerProtocolPolicy": behavior["viewerProtocolPolicy"],
                "TrustedKeyGroups": {"Enabled": True, **_items(behavior["trustedKeyGroups"])},
                "ResponseHeadersPolicyId": behavior["responseHeadersPolicyId"],
            },
        }
        group = _planned("aws:cloudfront/keyGroup:KeyGroup")
        self.key_groups = {group["name"]: {"Name": group["name"], "Items": group["items"]}}
        cors = _planned("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")
        origins_allowed = cors["corsConfig"]["accessControlAllowOrigins"]["items"]
        self.policies = {
            cors["name"]: {"CorsConfig": {"AccessControlAllowOrigins": _items(origins_allowed), "OriginOverride": True}}
        }
        self.listed = True

    def get_paginator(self, operation: str) -> Any:
        assert operation == "list_distributions"
        summary = {"Id": "E2EXAMPLE", "DomainName": DOMAIN, "Origins": self.config["Origins"]}
        page = {"DistributionList": {"Items": [summary] if self.listed else []}}
        return type("Paginator", (), {"paginate": lambda _self: [page]})()

    def get_distribution_config(self, Id: str) -> dict[str, Any]:
        return {"DistributionConfig": copy.deepcopy(self.config), "ETag": "E1"}

    def get_key_group(self, Id: str) -> dict[str, Any]:
        if Id not in self.key_groups:
            raise ClientError({"Error": {"Code": "NoSuchResource", "Message": "key group"}}, "GetKeyGroup")
        return {"KeyGroup": {"Id": Id, "KeyGroupConfig": self.key_groups[Id]}}

    def get_response_headers_policy(self, Id: str) -> dict[str, Any]:
        if Id not in self.policies:
            raise ClientError({"Error": {"Code": "NoSuchResponseHeadersPolicy", "Message": "x"}}, "Get")
        return {"ResponseHeadersPolicy": {"Id": Id, "ResponseHeadersPolicyConfig": self.policies[Id]}}


@pytest.fixture
def target():
    cfg = read_stack_file("prod", PROJECT_ROOT).load().config
    exp = expected(cfg, {"cloudFrontDomain": DOMAIN}, "123456789012")
    assert exp.cloudfront is not None
    return exp.cloudfront


def test_the_distribution_the_program_creates_passes(target) -> None:
    (result,) = checks.distribution(RecordedCloudFront(), target)
    assert result.status == "ok" and result.resource == f"{DOMAIN} (E2EXAMPLE)"
    assert result.message == "enabled, https-only, trusts key K2JCJMDEHXQW5F, CORS for the web apps"
    # Without the outputs' domain the distribution is found by its bucket origin.
    found = checks.distribution(RecordedCloudFront(), target.__class__(None, target.bucket, "K2JCJMDEHXQW5F", ()))
    assert found[0].status == "ok"


def _fail(cloudfront: RecordedCloudFront, target) -> list[str]:
    results = checks.distribution(cloudfront, target)
    assert all(result.status == "fail" and result.check == "cargohold downloads" for result in results)
    return [result.message for result in results]


def test_each_fault_is_named(target) -> None:
    cloudfront = RecordedCloudFront()
    cloudfront.listed = False
    assert _fail(cloudfront, target) == [
        "no such distribution: cargohold's signed download URLs point nowhere; pulumi up creates it (its new domain "
        "reaches cargohold with the release)"
    ]

    cloudfront = RecordedCloudFront()
    cloudfront.config["Enabled"] = False
    cloudfront.config["Origins"]["Items"][0]["OriginAccessControlId"] = ""
    cloudfront.config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"
    assert _fail(cloudfront, target) == [
        "disabled: every download fails; aws cloudfront update-distribution (Enabled true) or pulumi up",
        "no origin access control: CloudFront cannot read the private bucket (403); pulumi up",
        "viewer protocol allow-all, not https-only: pulumi up",
    ]

    cloudfront = RecordedCloudFront()
    cloudfront.key_groups["prod-cargohold"]["Items"] = ["KOTHERKEY"]
    cloudfront.policies["prod-cargohold-cors"]["CorsConfig"]["AccessControlAllowOrigins"] = _items(
        ["https://webapp.example.com"]
    )
    messages = _fail(cloudfront, target)
    assert messages[0].startswith("trusts no key group with K2JCJMDEHXQW5F (assets.cloudFront.keyPairId)")
    assert messages[1] == (
        "CORS answers no https://teams.example.com, https://account.example.com: that web app cannot download "
        "assets; pulumi up"
    )

    cloudfront = RecordedCloudFront()
    del cloudfront.config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    assert _fail(cloudfront, target) == [
        "no response headers policy: the web apps get no CORS headers for assets; pulumi up"
    ]
