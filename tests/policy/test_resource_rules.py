"""Each resource rule of the policy pack, called as a plain function with passing and failing properties."""

from __future__ import annotations

import json

import pytest

from policy import model, resource_rules
from policy.model import Context, RuleOptions
from tests.policy.policy_fixtures import CARGOHOLD_POLICY, STATIC, TLS_ONLY, TRUST, allow

PROD_IRSA = RuleOptions(protect=True, name="r", ctx=Context(irsa=True, production=True))


# --- encrypted-at-rest ---


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (model.QUEUE, {"sqsManagedSseEnabled": True}),
        (model.QUEUE, {"kmsMasterKeyId": "arn:aws:kms:eu-central-1:123456789012:key/abc"}),
        (model.TOPIC, {"kmsMasterKeyId": "alias/aws/sns"}),
        (model.TABLE, {"serverSideEncryption": {"enabled": True}}),
        (model.ROLE, {}),
    ],
)
def test_encrypted_passes(kind: str, props: dict) -> None:
    assert resource_rules.encrypted_at_rest(kind, props, PROD_IRSA) == []


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (model.QUEUE, {}),
        (model.QUEUE, {"sqsManagedSseEnabled": False}),
        (model.TOPIC, {"kmsMasterKeyId": ""}),
        (model.TABLE, {"serverSideEncryption": {"enabled": False}}),
        (model.TABLE, {}),
    ],
)
def test_encrypted_fails(kind: str, props: dict) -> None:
    assert len(resource_rules.encrypted_at_rest(kind, props, PROD_IRSA)) == 1


# --- queue-has-dlq ---


def test_queue_with_redrive_passes() -> None:
    redrive = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:eu-central-1:1:q-dlq", "maxReceiveCount": 5})
    assert resource_rules.queue_has_dlq(model.QUEUE, {"name": "q", "redrivePolicy": redrive}, PROD_IRSA) == []


@pytest.mark.parametrize("name", ["prod-gundeck-events-dlq", "prod-user-events-dlq.fifo"])
def test_dead_letter_queues_are_exempt(name: str) -> None:
    assert resource_rules.queue_has_dlq(model.QUEUE, {"name": name}, PROD_IRSA) == []


@pytest.mark.parametrize("redrive", [None, "{}", json.dumps({"maxReceiveCount": 5}), "not json"])
def test_queue_without_dlq_fails(redrive: str | None) -> None:
    props = {"name": "prod-gundeck-events", "redrivePolicy": redrive}
    assert len(resource_rules.queue_has_dlq(model.QUEUE, props, PROD_IRSA)) == 1


def test_queue_name_falls_back_to_resource_name() -> None:
    opts = RuleOptions(name="prod-user-events-dlq.fifo")
    assert resource_rules.queue_has_dlq(model.QUEUE, {}, opts) == []


# --- stateful-protected ---


@pytest.mark.parametrize("kind", [model.QUEUE, model.TABLE, "aws:s3/bucket:Bucket"])
def test_stateful_unprotected_in_production_fails(kind: str) -> None:
    opts = RuleOptions(protect=False, name="x", ctx=Context(production=True))
    assert len(resource_rules.stateful_protected(kind, {}, opts)) == 1
    assert resource_rules.stateful_protected(kind, {}, RuleOptions(protect=True, ctx=Context(production=True))) == []
    assert resource_rules.stateful_protected(kind, {}, RuleOptions(protect=False, ctx=Context(production=False))) == []


def test_stateless_resources_need_no_protection() -> None:
    assert (
        resource_rules.stateful_protected(model.TOPIC, {}, RuleOptions(protect=False, ctx=Context(production=True)))
        == []
    )


# --- iam-no-wildcards ---


def test_named_actions_pass() -> None:
    props = {"policy": json.dumps(CARGOHOLD_POLICY)}
    for kind in (model.ROLE_POLICY, model.USER_POLICY, model.MANAGED_POLICY):
        assert resource_rules.iam_no_wildcards(kind, props, PROD_IRSA) == []
    assert resource_rules.iam_no_wildcards(model.ROLE, {"assumeRolePolicy": json.dumps(TRUST)}, PROD_IRSA) == []


def test_deny_may_use_wildcards() -> None:
    assert resource_rules.iam_no_wildcards(model.BUCKET_POLICY, {"policy": json.dumps(TLS_ONLY)}, PROD_IRSA) == []


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (model.ROLE_POLICY, {"policy": allow("*")}),
        (model.USER_POLICY, {"policy": allow(["s3:GetObject", "*"])}),
        (model.MANAGED_POLICY, {"policy": allow("s3:*")}),
        (model.GROUP_POLICY, {"policy": allow("sqs:*")}),
        (model.BUCKET_POLICY, {"policy": allow("*", Principal="*")}),
        (model.ROLE, {"assumeRolePolicy": allow("*")}),
        (model.ROLE, {"inlinePolicies": [{"name": "x", "policy": allow("*")}]}),
        (model.ROLE_POLICY, {"policy": json.dumps({"Statement": {"Effect": "Allow", "NotAction": "iam:*"}})}),
        (model.ROLE_POLICY, {"policy": "{not json"}),
    ],
)
def test_wildcards_fail(kind: str, props: dict) -> None:
    assert len(resource_rules.iam_no_wildcards(kind, props, PROD_IRSA)) == 1


def test_trust_policy_open_to_everyone_fails() -> None:
    trust = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    assert len(resource_rules.iam_no_wildcards(model.ROLE, {"assumeRolePolicy": trust}, PROD_IRSA)) == 1


def test_policy_as_object_and_unknown() -> None:
    assert len(resource_rules.iam_no_wildcards(model.ROLE_POLICY, {"policy": json.loads(allow("*"))}, PROD_IRSA)) == 1
    assert resource_rules.iam_no_wildcards(model.ROLE_POLICY, {"policy": model.UNKNOWN}, PROD_IRSA) == []


# --- no-static-keys-with-irsa ---


def test_static_keys_fail_with_irsa() -> None:
    problems = resource_rules.no_static_keys_with_irsa(model.HELM_RELEASE, {"values": STATIC}, PROD_IRSA)
    assert problems == [
        "static AWS key in helm values at gundeck.secrets.awsKeyId although the stack uses IRSA",
        "static AWS key in helm values at gundeck.secrets.awsSecretKey although the stack uses IRSA",
    ]


def test_static_keys_pass_without_irsa() -> None:
    opts = RuleOptions(ctx=Context(irsa=False))
    assert resource_rules.no_static_keys_with_irsa(model.HELM_RELEASE, {"values": STATIC}, opts) == []
    assert resource_rules.no_static_keys_with_irsa(model.ACCESS_KEY, {"user": "u"}, opts) == []


def test_external_push_key_is_exempt() -> None:
    opts = RuleOptions(ctx=Context(irsa=True, static_key_exempt=frozenset({"gundeck"})))
    assert resource_rules.no_static_keys_with_irsa(model.HELM_RELEASE, {"values": STATIC}, opts) == []


def test_access_key_fails_with_irsa_and_redacted_values_cannot_pass() -> None:
    assert len(resource_rules.no_static_keys_with_irsa(model.ACCESS_KEY, {"user": "u"}, PROD_IRSA)) == 1
    assert len(resource_rules.no_static_keys_with_irsa(model.HELM_RELEASE, {"values": "[secret]"}, PROD_IRSA)) == 1
    clean = {"values": {"brig": {"config": {"aws": {"region": "eu-central-1"}}}}}
    assert resource_rules.no_static_keys_with_irsa(model.HELM_RELEASE, clean, PROD_IRSA) == []
