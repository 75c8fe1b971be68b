"""The key of the topics AWS services publish to: who may use it, and which topics it encrypts."""

from __future__ import annotations

import json

from components.aws import keys, policies
from tests.components.aws.aws_support import ACCOUNT, CMK, REGION, TOPIC, config, dev_config, evaluate, push_apps

KEY = "aws:kms/key:Key"
APPS = push_apps(("com.wire.ent", "APNS"), ("wire", "GCM"))


def event_keys(evaluation) -> list[str]:
    """The keys of service-fed topics (the alarm topic has its own, components/aws/alarms.py)."""
    return [key.name for key in evaluation.find(KEY) if "wire-alarms" not in key.name]


def key_statements(evaluation) -> dict[str, dict]:
    policy = json.loads(evaluation.one(KEY, "prod-event-topics").inputs["policy"])
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def test_one_key_serves_the_feedback_topic_and_the_endpoint_event_topic() -> None:
    evaluation = evaluate(config(push=APPS))
    key = evaluation.one(KEY, "prod-event-topics")
    assert key.inputs["enableKeyRotation"] is True
    assert event_keys(evaluation) == ["prod-event-topics"]
    for topic in ("prod-brig-email-events", "prod-gundeck-events"):
        assert evaluation.one(TOPIC, topic).inputs["kmsMasterKeyId"] == key.outputs["arn"]
    statements = key_statements(evaluation)
    assert set(statements) == {"AccountAdministers", "SesPublishes", "SnsPlatformApplicationsPublish"}
    assert statements["SesPublishes"]["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statements["SnsPlatformApplicationsPublish"]["Principal"] == {"Service": "sns.amazonaws.com"}


def test_the_key_grants_only_the_services_that_publish_here() -> None:
    ses_only = key_statements(evaluate(config()))
    assert set(ses_only) == {"AccountAdministers", "SesPublishes"}
    evaluation = evaluate(dev_config(environment="prod", push=APPS))
    assert set(key_statements(evaluation)) == {"AccountAdministers", "SnsPlatformApplicationsPublish"}


def test_no_service_fed_topic_no_key() -> None:
    evaluation = evaluate(dev_config())
    assert event_keys(evaluation) == []
    assert [t.name for t in evaluation.find(TOPIC) if "wire-alarms" not in t.name] == []
    # Push without platform applications: nothing publishes to the topic; the AWS-managed key serves.
    evaluation = evaluate(dev_config(environment="prod", push={"mode": "create"}))
    assert event_keys(evaluation) == []
    assert evaluation.one(TOPIC, "prod-gundeck-events").inputs["kmsMasterKeyId"] == "alias/aws/sns"


def test_a_configured_cmk_encrypts_every_topic_and_no_key_is_made() -> None:
    evaluation = evaluate(config(push=APPS, serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK}))
    assert event_keys(evaluation) == []
    assert {topic.inputs["kmsMasterKeyId"] for topic in evaluation.find(TOPIC)} == {CMK}


def test_topic_publishers_follow_the_modes() -> None:
    assert keys.topic_publishers(config(push=APPS)) == [policies.SES_PUBLISHER, policies.SNS_PUBLISHER]
    assert keys.topic_publishers(config(push={"mode": "disabled"})) == [policies.SES_PUBLISHER]
    assert keys.topic_publishers(dev_config()) == []
    assert keys.topic_publishers(dev_config(push={"mode": "create"})) == []


def test_the_alias_is_where_the_ses_key_lived() -> None:
    assert keys.previous_email_key_urn("prod", "wire", "prod") == (
        "urn:pulumi:prod::wire::wire:aws:EmailSending$aws:kms/key:Key::prod-brig-email-events"
    )


def test_key_policy_conditions() -> None:
    document = policies.topic_key_policy(
        account_id=ACCOUNT, partition="aws-cn", region=REGION, publishers=[policies.SES_PUBLISHER, "sns"]
    )
    ses, sns = document["Statement"][1], document["Statement"][2]
    assert ses["Action"] == sns["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert ses["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws-cn:ses:{REGION}:{ACCOUNT}:*"},
    }
    assert sns["Condition"] == {
        "StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT},
        "ArnLikeIfExists": {"aws:SourceArn": f"arn:aws-cn:sns:{REGION}:{ACCOUNT}:*"},
    }
    assert document["Statement"][0]["Principal"] == {"AWS": f"arn:aws-cn:iam::{ACCOUNT}:root"}


def test_key_policy_refuses_an_unknown_publisher() -> None:
    try:
        policies.topic_key_policy(account_id=ACCOUNT, partition="aws", region=REGION, publishers=["s3"])
    except ValueError as error:
        assert "s3" in str(error)
    else:
        raise AssertionError("an unknown publisher was accepted")
