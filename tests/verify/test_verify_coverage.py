"""Coverage by construction: every AWS type the program creates has a verify check (or a reason it needs none),
and what verify expects is what the offline plan registers.

The types come from the offline plans (tests/plan/golden/<stack>/plan.json, byte-identical to `python -m plan`
output, tests/plan/test_golden.py), so a new resource kind in any example stack fails here until it is covered.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from components import naming
from components.aws.policies import KMS_ACTIONS
from components.stackfile import PROJECT_ROOT, read_stack_file
from verify import checks, coverage
from verify.expected import expected
from verify.resource_policy import service_may_use_key

GOLDEN = Path(__file__).resolve().parents[1] / "plan" / "golden"
STACKS = sorted(path.parent.name for path in GOLDEN.glob("*/plan.json"))
ACCOUNT = "123456789012"  # the plan's mocked account


@functools.cache
def plan(stack: str) -> dict[str, Any]:
    return json.loads((GOLDEN / stack / "plan.json").read_text())


def resources(stack: str, aws_type: str) -> list[dict[str, Any]]:
    return [resource for resource in plan(stack)["resources"] if resource["type"] == aws_type]


def aws_types() -> dict[str, list[str]]:
    """AWS type -> the example stacks whose plan creates it."""
    found: dict[str, list[str]] = {}
    for stack in STACKS:
        for resource in plan(stack)["resources"]:
            if resource["type"].startswith("aws:"):
                found.setdefault(resource["type"], [])
                if stack not in found[resource["type"]]:
                    found[resource["type"]].append(stack)
    return found


def test_every_aws_type_of_the_plans_has_a_check_or_a_reason() -> None:
    assert STACKS, f"no plans under {GOLDEN}"
    missing = [
        f"{aws_type} (plan of {', '.join(stacks)}): no verify check. Write one in verify/checks/<service>.py, export "
        "it in verify/checks/__init__.py, call it from verify/run.py and map the type to it in verify/coverage.py "
        "CHECKED; or, when nothing can drift there that Wire or the stack relies on, add one line to NO_CHECK in "
        f'verify/coverage.py: "{aws_type}": "needs no check because ..."'
        for aws_type, stacks in sorted(aws_types().items())
        if coverage.coverage_of(aws_type) is None
    ]
    assert not missing, "\n".join(missing)


def test_the_registry_names_real_checks_and_real_reasons() -> None:
    assert not set(coverage.CHECKED) & set(coverage.NO_CHECK), "a type is either checked or needs no check"
    for aws_type, names in coverage.CHECKED.items():
        assert names, aws_type
        for name in names:
            assert name in checks.__all__ and callable(getattr(checks, name)), f"{aws_type}: no check {name}"
    for aws_type, reason in coverage.NO_CHECK.items():
        assert reason.startswith("needs no check because "), f"{aws_type}: say why it needs no check"


def test_the_registry_lists_only_types_the_program_creates() -> None:
    stale = sorted((set(coverage.CHECKED) | set(coverage.NO_CHECK)) - set(aws_types()))
    assert not stale, f"in verify/coverage.py but in no plan (remove them): {stale}"


# --- what verify expects is what the plan registers ------------------------------------------------------------


def expectation(stack: str):
    cfg = read_stack_file(stack, PROJECT_ROOT).load(allow_missing_secrets=True).config
    return cfg, expected(cfg, {}, ACCOUNT)


@pytest.mark.parametrize("stack", STACKS)
def test_identities_are_the_plans(stack: str) -> None:
    _, exp = expectation(stack)
    # The roles AWS services assume for recovery (S3 replication, AWS Backup) are checked by `replication`/`backup`.
    recovery_roles = {naming.assets_replication_role(exp.environment), naming.backup(exp.environment)}
    roles = {
        r["inputs"]["name"]: json.loads(r["inputs"]["assumeRolePolicy"])
        for r in resources(stack, "aws:iam/role:Role")
        if r["inputs"]["name"] not in recovery_roles
    }
    assert {t.name: t.trust for t in exp.identities if t.kind == "role"} == roles
    role_policies = {
        r["inputs"]["name"]: json.loads(r["inputs"]["policy"])
        for r in resources(stack, "aws:iam/rolePolicy:RolePolicy")
        if r["inputs"]["name"] not in recovery_roles
    }
    assert {t.policy: t.document for t in exp.identities if t.kind == "role" and t.policy} == role_policies
    users = {r["inputs"]["name"] for r in resources(stack, "aws:iam/user:User")}
    assert {t.name for t in exp.identities if t.kind == "user"} == users
    user_policies = {
        r["inputs"]["name"]: json.loads(r["inputs"]["policy"])
        for r in resources(stack, "aws:iam/userPolicy:UserPolicy")
    }
    assert {t.policy: t.document for t in exp.identities if t.kind == "user" and t.policy} == user_policies


@pytest.mark.parametrize("stack", STACKS)
def test_alarms_and_topic_keys_are_the_plans(stack: str) -> None:
    _, exp = expectation(stack)
    alarms = resources(stack, "aws:cloudwatch/metricAlarm:MetricAlarm")
    assert exp.alarms is not None
    assert {a.spec.name for a in exp.alarms.alarms} == {r["inputs"]["name"] for r in alarms}
    assert exp.alarms.topic_arn == plan(stack)["outputs"]["alarmTopicArn"]
    assert all(r["inputs"]["alarmActions"] == [exp.alarms.topic_arn] for r in alarms)
    # The request context verify evaluates is one the program's key policy admits, for every publisher.
    (key,) = [r for r in resources(stack, "aws:kms/key:Key") if r["name"] == f"{stack}-event-topics"]
    assert exp.topic_keys
    for target in exp.topic_keys:
        service = f"{target.publisher}.amazonaws.com"
        verdict = service_may_use_key(key["inputs"]["policy"], service, list(KMS_ACTIONS), target.source_arn)
        assert verdict.allowed, verdict.reason
        other_account = target.source_arn.replace(ACCOUNT, "111122223333")
        assert not service_may_use_key(key["inputs"]["policy"], service, list(KMS_ACTIONS), other_account).allowed


def _api_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle rule of the plan (the provider's camelCase inputs) in S3's API shape."""
    found: dict[str, Any] = {
        "ID": rule["id"],
        "Status": rule["status"],
        "Filter": {"Prefix": rule["filter"].get("prefix", "")},
    }
    if "days" in rule.get("expiration", {}):
        found["Expiration"] = {"Days": int(rule["expiration"]["days"])}
    if "transitions" in rule:
        found["Transitions"] = [
            {"Days": int(t["days"]), "StorageClass": t["storageClass"]} for t in rule["transitions"]
        ]
    if "abortIncompleteMultipartUpload" in rule:
        days = int(rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"])
        found["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": days}
    if rule.get("expiration", {}).get("expiredObjectDeleteMarker"):
        found["Expiration"] = {"ExpiredObjectDeleteMarker": True}
    if "noncurrentVersionExpiration" in rule:
        found["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": int(rule["noncurrentVersionExpiration"]["noncurrentDays"])
        }
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_bucket_rules_are_the_plans(stack: str) -> None:
    _, exp = expectation(stack)
    assert exp.bucket_rules is not None
    (cors,) = resources(stack, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration")
    (rule,) = cors["inputs"]["corsRules"]
    assert tuple(rule["allowedOrigins"]) == exp.bucket_rules.origins
    assert tuple(rule["allowedMethods"]) == exp.bucket_rules.methods
    # The assets bucket and (with wire:assets.replication) its replica: the same rules, so a deletion ends there too.
    lifecycles = resources(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert len(lifecycles) == (2 if exp.recovery and exp.recovery.replica else 1)
    for lifecycle in lifecycles:
        assert [_api_rule(r) for r in lifecycle["inputs"]["rules"]] == [r.api() for r in exp.bucket_rules.lifecycle]
    groups = resources(stack, "aws:cloudfront/keyGroup:KeyGroup")
    assert (exp.cloudfront is not None) == bool(groups)
    if exp.cloudfront:
        assert groups[0]["inputs"]["items"] == [exp.cloudfront.key_pair_id]


def test_ses_records_are_the_plans() -> None:
    """The prod example publishes MAIL FROM and DMARC in Route53: verify looks for exactly those."""
    _, exp = expectation("prod")
    assert exp.ses is not None and exp.ses.records
    planned = {
        (r["inputs"]["name"], r["inputs"]["type"]): tuple(r["inputs"]["records"])
        for r in resources("prod", "aws:route53/record:Record")
        if r["inputs"]["type"] in ("MX", "TXT")
    }
    assert {(r.name, r.types[0]): r.targets for r in exp.ses.records} == planned


def test_the_kubernetes_registry_names_real_checks_of_types_the_plans_create() -> None:
    planned = {resource["type"] for stack in STACKS for resource in plan(stack)["resources"]}
    for kube_type, names in coverage.KUBERNETES_CHECKED.items():
        assert kube_type in planned, f"{kube_type}: in no plan"
        assert all(name in checks.__all__ for name in names), kube_type
    assert all(name in checks.__all__ for name in coverage.CLUSTER_CHECKS)
