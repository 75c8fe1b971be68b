"""Each rule of the policy pack, called as a plain function with passing and failing properties."""

from __future__ import annotations

import json

import pytest

from policy import rules
from policy.rules import Context, RuleOptions
from tests.policy.policy_fixtures import CARGOHOLD_POLICY, TLS_ONLY, TRUST, find, modified, secure_plan

PROD_IRSA = RuleOptions(protect=True, name="r", ctx=Context(irsa=True, production=True))


def names(violations: list[rules.Violation]) -> list[str]:
    return sorted(v.policy for v in violations)


# --- encrypted-at-rest ---


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (rules.QUEUE, {"sqsManagedSseEnabled": True}),
        (rules.QUEUE, {"kmsMasterKeyId": "arn:aws:kms:eu-central-1:123456789012:key/abc"}),
        (rules.TOPIC, {"kmsMasterKeyId": "alias/aws/sns"}),
        (rules.TABLE, {"serverSideEncryption": {"enabled": True}}),
        (rules.ROLE, {}),
    ],
)
def test_encrypted_passes(kind: str, props: dict) -> None:
    assert rules.encrypted_at_rest(kind, props, PROD_IRSA) == []


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (rules.QUEUE, {}),
        (rules.QUEUE, {"sqsManagedSseEnabled": False}),
        (rules.TOPIC, {"kmsMasterKeyId": ""}),
        (rules.TABLE, {"serverSideEncryption": {"enabled": False}}),
        (rules.TABLE, {}),
    ],
)
def test_encrypted_fails(kind: str, props: dict) -> None:
    assert len(rules.encrypted_at_rest(kind, props, PROD_IRSA)) == 1


# --- queue-has-dlq ---


def test_queue_with_redrive_passes() -> None:
    redrive = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:eu-central-1:1:q-dlq", "maxReceiveCount": 5})
    assert rules.queue_has_dlq(rules.QUEUE, {"name": "q", "redrivePolicy": redrive}, PROD_IRSA) == []


@pytest.mark.parametrize("name", ["prod-gundeck-events-dlq", "prod-user-events-dlq.fifo"])
def test_dead_letter_queues_are_exempt(name: str) -> None:
    assert rules.queue_has_dlq(rules.QUEUE, {"name": name}, PROD_IRSA) == []


@pytest.mark.parametrize("redrive", [None, "{}", json.dumps({"maxReceiveCount": 5}), "not json"])
def test_queue_without_dlq_fails(redrive: str | None) -> None:
    props = {"name": "prod-gundeck-events", "redrivePolicy": redrive}
    assert len(rules.queue_has_dlq(rules.QUEUE, props, PROD_IRSA)) == 1


def test_queue_name_falls_back_to_resource_name() -> None:
    opts = RuleOptions(name="prod-user-events-dlq.fifo")
    assert rules.queue_has_dlq(rules.QUEUE, {}, opts) == []


# --- stateful-protected ---


@pytest.mark.parametrize("kind", [rules.QUEUE, rules.TABLE, "aws:s3/bucket:Bucket"])
def test_stateful_unprotected_in_production_fails(kind: str) -> None:
    opts = RuleOptions(protect=False, name="x", ctx=Context(production=True))
    assert len(rules.stateful_protected(kind, {}, opts)) == 1
    assert rules.stateful_protected(kind, {}, RuleOptions(protect=True, ctx=Context(production=True))) == []
    assert rules.stateful_protected(kind, {}, RuleOptions(protect=False, ctx=Context(production=False))) == []


def test_stateless_resources_need_no_protection() -> None:
    assert rules.stateful_protected(rules.TOPIC, {}, RuleOptions(protect=False, ctx=Context(production=True))) == []


# --- iam-no-wildcards ---


def test_named_actions_pass() -> None:
    props = {"policy": json.dumps(CARGOHOLD_POLICY)}
    for kind in (rules.ROLE_POLICY, rules.USER_POLICY, rules.MANAGED_POLICY):
        assert rules.iam_no_wildcards(kind, props, PROD_IRSA) == []
    assert rules.iam_no_wildcards(rules.ROLE, {"assumeRolePolicy": json.dumps(TRUST)}, PROD_IRSA) == []


def test_deny_may_use_wildcards() -> None:
    assert rules.iam_no_wildcards(rules.BUCKET_POLICY, {"policy": json.dumps(TLS_ONLY)}, PROD_IRSA) == []


def allow(action: object, **extra: object) -> str:
    return json.dumps({"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*", **extra}]})


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (rules.ROLE_POLICY, {"policy": allow("*")}),
        (rules.USER_POLICY, {"policy": allow(["s3:GetObject", "*"])}),
        (rules.MANAGED_POLICY, {"policy": allow("s3:*")}),
        (rules.GROUP_POLICY, {"policy": allow("sqs:*")}),
        (rules.BUCKET_POLICY, {"policy": allow("*", Principal="*")}),
        (rules.ROLE, {"assumeRolePolicy": allow("*")}),
        (rules.ROLE, {"inlinePolicies": [{"name": "x", "policy": allow("*")}]}),
        (rules.ROLE_POLICY, {"policy": json.dumps({"Statement": {"Effect": "Allow", "NotAction": "iam:*"}})}),
        (rules.ROLE_POLICY, {"policy": "{not json"}),
    ],
)
def test_wildcards_fail(kind: str, props: dict) -> None:
    assert len(rules.iam_no_wildcards(kind, props, PROD_IRSA)) == 1


def test_trust_policy_open_to_everyone_fails() -> None:
    trust = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    assert len(rules.iam_no_wildcards(rules.ROLE, {"assumeRolePolicy": trust}, PROD_IRSA)) == 1


def test_policy_as_object_and_unknown() -> None:
    assert len(rules.iam_no_wildcards(rules.ROLE_POLICY, {"policy": json.loads(allow("*"))}, PROD_IRSA)) == 1
    assert rules.iam_no_wildcards(rules.ROLE_POLICY, {"policy": rules.UNKNOWN}, PROD_IRSA) == []


# --- no-static-keys-with-irsa ---

STATIC = {"gundeck": {"secrets": {"awsKeyId": "AKIA", "awsSecretKey": "[secret]"}}, "brig": {"config": {}}}


def test_static_keys_fail_with_irsa() -> None:
    problems = rules.no_static_keys_with_irsa(rules.HELM_RELEASE, {"values": STATIC}, PROD_IRSA)
    assert problems == [
        "static AWS key in helm values at gundeck.secrets.awsKeyId although the stack uses IRSA",
        "static AWS key in helm values at gundeck.secrets.awsSecretKey although the stack uses IRSA",
    ]


def test_static_keys_pass_without_irsa() -> None:
    opts = RuleOptions(ctx=Context(irsa=False))
    assert rules.no_static_keys_with_irsa(rules.HELM_RELEASE, {"values": STATIC}, opts) == []
    assert rules.no_static_keys_with_irsa(rules.ACCESS_KEY, {"user": "u"}, opts) == []


def test_external_push_key_is_exempt() -> None:
    opts = RuleOptions(ctx=Context(irsa=True, static_key_exempt=frozenset({"gundeck"})))
    assert rules.no_static_keys_with_irsa(rules.HELM_RELEASE, {"values": STATIC}, opts) == []


def test_access_key_fails_with_irsa_and_redacted_values_cannot_pass() -> None:
    assert len(rules.no_static_keys_with_irsa(rules.ACCESS_KEY, {"user": "u"}, PROD_IRSA)) == 1
    assert len(rules.no_static_keys_with_irsa(rules.HELM_RELEASE, {"values": "[secret]"}, PROD_IRSA)) == 1
    clean = {"values": {"brig": {"config": {"aws": {"region": "eu-central-1"}}}}}
    assert rules.no_static_keys_with_irsa(rules.HELM_RELEASE, clean, PROD_IRSA) == []


# --- the stack context ---


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ({"environment": "prod"}, Context(irsa=True, production=True)),
        # Never from the environment's name: unstated is the strict default.
        ({"environment": "dev", "serviceCredentials": {"mode": "staticKeys"}}, Context(irsa=False, production=True)),
        ({"environment": "dev", "production": False}, Context(irsa=True, production=False)),
        ({"environment": "production", "production": "true"}, Context(irsa=True, production=True)),
        ({"environment": "prod", "production": "false"}, Context(irsa=True, production=False)),
        ({"environment": "stg", "production": True, "serviceCredentials": '{"mode": "irsa"}'}, Context()),
        ({"push": {"mode": "external"}}, Context(production=True, static_key_exempt=frozenset({"gundeck"}))),
    ],
)
def test_context_from_stack_config(wire: dict, expected: Context) -> None:
    assert rules.context_from_stack_config(wire) == expected


# --- stack rules and check_plan over a plan ---


def test_secure_plan_passes() -> None:
    assert rules.check_plan(secure_plan(), irsa=True, production=True) == []


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
    find(plan, "prod-assets-pab")["inputs"]["bucket"] = rules.UNKNOWN
    find(plan, "prod-assets-pab")["dependencies"] = []
    assert rules.check_plan(plan, irsa=True, production=True) == []


def test_widened_iam_and_unprotected_table_are_flagged() -> None:
    plan = modified(secure_plan())
    find(plan, "prod-cargohold", rules.ROLE_POLICY)["inputs"]["policy"] = allow("s3:*")
    find(plan, "prod-brig-prekeys")["protect"] = False
    assert names(rules.check_plan(plan, irsa=True, production=True)) == ["iam-no-wildcards", "stateful-protected"]
    assert rules.check_plan(plan, irsa=True, production=False)[0].policy == "iam-no-wildcards"


def test_static_keys_found_in_values_file_when_release_values_are_redacted() -> None:
    plan = modified(secure_plan())
    find(plan, "wire-server")["inputs"]["values"] = "[secret]"
    violations = rules.check_plan(plan, irsa=True, production=True, values={"wire-server": STATIC})
    assert names(violations) == ["no-static-keys-with-irsa"] * 2
    assert rules.check_plan(plan, irsa=False, production=True, values={"wire-server": STATIC}) == []


def test_violation_str_names_policy_and_urn() -> None:
    text = str(rules.Violation("p", "m", "urn:x"))
    assert text == "[p] m (urn:x)"
