"""The key of the topics AWS services publish to: who may use it, and which topics it encrypts."""

from __future__ import annotations

import json

from components.aws import keys, policies
from tests.components.aws.aws_support import ACCOUNT, CMK, REGION, TOPIC, config, dev_config, evaluate, push_apps

KEY = "aws:kms/key:Key"
APPS = push_apps(("com.wire.ent", "APNS"), ("wire", "GCM"))


NO_ALARMS = {"enabled": False}


def event_keys(evaluation) -> list[str]:
    return [key.name for key in evaluation.find(KEY)]


def key_statements(evaluation) -> dict[str, dict]:
    policy = json.loads(evaluation.one(KEY, "prod-event-topics").inputs["policy"])
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def test_one_key_serves_the_feedback_the_endpoint_event_and_the_alarm_topic() -> None:
    evaluation = evaluate(config(push=APPS))
    key = evaluation.one(KEY, "prod-event-topics")
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["description"] == "prod-event-topics: encrypts the topics SES, SNS and CloudWatch publish to"
    assert event_keys(evaluation) == ["prod-event-topics"]
    for topic in ("prod-brig-email-events", "prod-gundeck-events", "prod-wire-alarms"):
        assert evaluation.one(TOPIC, topic).inputs["kmsMasterKeyId"] == key.outputs["arn"]
    statements = key_statements(evaluation)
    assert set(statements) == {
        "AccountAdministers",
        "SesPublishes",
        "SnsPlatformApplicationsPublish",
        "CloudWatchPublishes",
    }
    assert statements["SesPublishes"]["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statements["SnsPlatformApplicationsPublish"]["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statements["CloudWatchPublishes"]["Principal"] == {"Service": "cloudwatch.amazonaws.com"}


def test_the_key_grants_only_the_services_that_publish_here() -> None:
    ses_only = key_statements(evaluate(config(alarms=NO_ALARMS)))
    assert set(ses_only) == {"AccountAdministers", "SesPublishes"}
    evaluation = evaluate(dev_config(environment="prod", push=APPS, alarms=NO_ALARMS))
    assert set(key_statements(evaluation)) == {"AccountAdministers", "SnsPlatformApplicationsPublish"}


def test_alarms_alone_have_the_key_for_cloudwatch_only() -> None:
    evaluation = evaluate(dev_config(environment="prod"))
    assert event_keys(evaluation) == ["prod-event-topics"]
    assert set(key_statements(evaluation)) == {"AccountAdministers", "CloudWatchPublishes"}
    key = evaluation.one(KEY, "prod-event-topics")
    assert [t.name for t in evaluation.find(TOPIC)] == ["prod-wire-alarms"]
    assert evaluation.one(TOPIC, "prod-wire-alarms").inputs["kmsMasterKeyId"] == key.outputs["arn"]


def test_no_service_fed_topic_no_key() -> None:
    evaluation = evaluate(dev_config(alarms=NO_ALARMS))
    assert event_keys(evaluation) == []
    assert evaluation.find(TOPIC) == []
    # Push without platform applications: nothing publishes to the topic; the AWS-managed key serves.
    evaluation = evaluate(dev_config(environment="prod", push={"mode": "create"}, alarms=NO_ALARMS))
    assert event_keys(evaluation) == []
    assert evaluation.one(TOPIC, "prod-gundeck-events").inputs["kmsMasterKeyId"] == "alias/aws/sns"


def test_a_configured_cmk_encrypts_every_topic_and_no_key_is_made() -> None:
    evaluation = evaluate(config(push=APPS, serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK}))
    assert event_keys(evaluation) == []
    assert {topic.inputs["kmsMasterKeyId"] for topic in evaluation.find(TOPIC)} == {CMK}


def test_topic_publishers_follow_the_modes() -> None:
    ses, sns, cloudwatch = policies.SES_PUBLISHER, policies.SNS_PUBLISHER, policies.CLOUDWATCH_PUBLISHER
    assert keys.topic_publishers(config(push=APPS)) == [ses, sns, cloudwatch]
    assert keys.topic_publishers(config(push={"mode": "disabled"}, alarms=NO_ALARMS)) == [ses]
    assert keys.topic_publishers(dev_config()) == [cloudwatch]
    assert keys.topic_publishers(dev_config(alarms=NO_ALARMS)) == []
    assert keys.topic_publishers(dev_config(push={"mode": "create"}, alarms=NO_ALARMS)) == []


def test_the_alias_is_where_the_only_previous_key_lived() -> None:
    ses, sns, cloudwatch = policies.SES_PUBLISHER, policies.SNS_PUBLISHER, policies.CLOUDWATCH_PUBLISHER
    email_key = "urn:pulumi:prod::wire::wire:aws:EmailSending$aws:kms/key:Key::prod-brig-email-events"
    alarm_key = "urn:pulumi:prod::wire::wire:aws:Alarms$aws:kms/key:Key::prod-wire-alarms"
    assert keys.previous_key_urns("prod", "wire", "prod", [ses, cloudwatch]) == [email_key]
    # With alarms alone the alarm topic's key was the stack's only key: it becomes the one key.
    assert keys.previous_key_urns("prod", "wire", "prod", [cloudwatch]) == [alarm_key]
    # With push events the one key existed already; the alarm topic's own key goes.
    assert keys.previous_key_urns("prod", "wire", "prod", [sns, cloudwatch]) == []


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
