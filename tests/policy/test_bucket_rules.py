"""The bucket stack rules: a bucket and the resources that secure it, over the offline plan."""

from __future__ import annotations

import json

import pytest

from policy import model, rules
from tests.policy.policy_fixtures import TLS_ONLY, find, modified, names, secure_plan


def test_public_bucket_is_flagged() -> None:
    plan = modified(secure_plan())
    find(plan, "prod-assets-pab")["inputs"]["blockPublicPolicy"] = False
    violations = rules.check_plan(plan, irsa=True, production=True)
    assert names(violations) == ["bucket-public-access-blocked"]
    assert "blockPublicPolicy" in violations[0].message


@pytest.mark.parametrize(
    ("removed", "policy"),
    [
        ("prod-assets-pab", "bucket-public-access-blocked"),
        ("prod-assets-sse", "bucket-encrypted"),
        ("prod-assets-tls", "bucket-denies-insecure-transport"),
        ("prod-assets-versioning", "bucket-versioned"),
    ],
)
def test_missing_bucket_companion_is_flagged(removed: str, policy: str) -> None:
    plan = modified(secure_plan())
    plan["resources"].remove(find(plan, removed))
    assert names(rules.check_plan(plan, irsa=True, production=True)) == [policy]


def test_companion_of_another_bucket_does_not_count() -> None:
    plan = modified(secure_plan())
    find(plan, "prod-assets-sse")["inputs"]["bucket"] = "some-other-bucket"
    assert names(rules.check_plan(plan, irsa=True, production=True)) == ["bucket-encrypted"]


def test_bucket_policy_without_tls_condition_is_flagged() -> None:
    plan = modified(secure_plan())
    document = json.loads(json.dumps(TLS_ONLY))
    document["Statement"][0]["Condition"] = {"Bool": {"aws:SecureTransport": "true"}}
    find(plan, "prod-assets-tls")["inputs"]["policy"] = json.dumps(document)
    assert names(rules.check_plan(plan, irsa=True, production=True)) == ["bucket-denies-insecure-transport"]


def test_companion_matched_by_parent_when_bucket_input_is_unknown() -> None:
    plan = modified(secure_plan())
    find(plan, "prod-assets-pab")["inputs"]["bucket"] = model.UNKNOWN
    find(plan, "prod-assets-pab")["dependencies"] = []
    assert rules.check_plan(plan, irsa=True, production=True) == []


def test_suspended_versioning_is_flagged_in_production_only() -> None:
    plan = modified(secure_plan())
    find(plan, "prod-assets-versioning")["inputs"]["versioningConfiguration"]["status"] = "Suspended"
    violations = rules.check_plan(plan, irsa=True, production=True)
    assert names(violations) == ["bucket-versioned"] and "cannot be undone" in violations[0].message
    assert rules.check_plan(plan, irsa=True, production=False) == []
