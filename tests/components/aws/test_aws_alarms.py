"""CloudWatch alarms: which exist per mode (pure specs), and the component under the mocks."""

from __future__ import annotations

import json

import pytest

from components.aws.alarm_specs import alarm_specs
from components.aws.alarms import Alarms
from plan.mocks import run_program
from tests.components.aws.aws_support import ACCOUNT, CMK, REGION, TOPIC, config, dev_config, evaluate, push_apps

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def by_name(cfg) -> dict:
    return {spec.name: spec for spec in alarm_specs(cfg)}


def test_every_dead_letter_queue_alarms_on_its_first_message() -> None:
    specs = by_name(dev_config(features={"prekeyTable": True, "teamEventsJournal": True, "userJournal": True}))
    dead_letters = {n: s for n, s in specs.items() if n.endswith("-dlq-messages") or n.endswith("-dlq.fifo-messages")}
    assert {s.dimensions["QueueName"] for s in dead_letters.values()} == {
        "dev-brig-events-internal-dlq",
        "dev-gundeck-events-dlq",
        "dev-user-events-dlq.fifo",
        "dev-team-events-dlq.fifo",
    }
    for spec in dead_letters.values():
        assert (spec.metric, spec.statistic, spec.threshold) == ("ApproximateNumberOfMessagesVisible", "Maximum", 1)
        assert spec.comparison == "GreaterThanOrEqualToThreshold" and spec.treat_missing_data == "notBreaching"


def test_backlog_alarms_watch_only_the_queues_wire_consumes() -> None:
    specs = by_name(config(features={"userJournal": True}, alarms={"oldestMessageAgeSeconds": 900}))
    backlog = {s.dimensions["QueueName"]: s for s in specs.values() if s.metric == "ApproximateAgeOfOldestMessage"}
    # The FIFO journals are read outside Wire: their age says nothing about brig or galley.
    assert sorted(backlog) == ["prod-brig-email-events", "prod-brig-events-internal", "prod-gundeck-events"]
    assert {s.threshold for s in backlog.values()} == {900}


def test_ses_reputation_alarms_only_in_ses_mode() -> None:
    specs = by_name(config(alarms={"sesBounceRate": 0.03}))
    bounce, complaint = specs["prod-ses-bounce-rate"], specs["prod-ses-complaint-rate"]
    assert (bounce.namespace, bounce.metric, bounce.threshold) == ("AWS/SES", "Reputation.BounceRate", 0.03)
    assert (complaint.metric, complaint.threshold) == ("Reputation.ComplaintRate", 0.0008)
    assert bounce.dimensions == {} and complaint.dimensions == {}
    assert not [n for n in by_name(dev_config()) if "-ses-" in n]


def test_push_failure_alarm_per_platform_application() -> None:
    cfg = config(push=push_apps(("com.example.wire", "APNS"), ("wireexample", "GCM")))
    failures = {n: s for n, s in by_name(cfg).items() if s.metric == "NumberOfNotificationsFailed"}
    assert failures["prod-com.example.wire-apns-push-failures"].dimensions == {
        "Application": "prod-com.example.wire",
        "Platform": "APNS",
    }
    assert failures["prod-wireexample-gcm-push-failures"].statistic == "Sum"
    # Wire's own push account (external) is not ours to watch; disabled push has no applications.
    assert not [s for s in alarm_specs(dev_config()) if s.namespace == "AWS/SNS"]


def test_disabled_alarms_create_nothing() -> None:
    assert alarm_specs(config(alarms={"enabled": False})) == []
    evaluation = evaluate(config(alarms={"enabled": False}))
    assert not evaluation.find(ALARM) and not evaluation.find("wire:aws:Alarms")
    assert "alarmTopicArn" not in evaluation.stack_outputs


def test_alarms_notify_their_topic_when_firing_and_clearing() -> None:
    cfg = config(alarms={"email": "ops@example.com"})
    evaluation = evaluate(cfg)
    topic = evaluation.one(TOPIC, "prod-wire-alarms")
    alarms = evaluation.find(ALARM)
    assert {a.inputs["name"] for a in alarms} == {spec.name for spec in alarm_specs(cfg)}
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic.outputs["arn"]]
        assert alarm.inputs["okActions"] == [topic.outputs["arn"]]
        assert alarm.inputs["evaluationPeriods"] == 1
    email = evaluation.one("aws:sns/topicSubscription:TopicSubscription", "prod-wire-alarms-email")
    assert (email.inputs["protocol"], email.inputs["endpoint"]) == ("email", "ops@example.com")
    assert evaluation.stack_outputs["alarmTopicArn"] == topic.outputs["arn"]
    assert evaluation.stack_outputs["alarmNames"] == sorted(a.inputs["name"] for a in alarms)


def test_the_alarm_topic_key_lets_cloudwatch_of_this_account_publish() -> None:
    evaluation = evaluate(config())
    # The one key of the topics AWS services publish to (components/aws/keys.py).
    key = evaluation.one("aws:kms/key:Key", "prod-event-topics")
    assert key.inputs["enableKeyRotation"] is True
    policy = json.loads(key.inputs["policy"])
    publish = next(s for s in policy["Statement"] if s["Sid"] == "CloudWatchPublishes")
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert publish["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert publish["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:*"},
    }
    assert evaluation.one(TOPIC, "prod-wire-alarms").inputs["kmsMasterKeyId"] == key.outputs["arn"]
    [without_alarms] = evaluate(config(alarms={"enabled": False})).find("aws:kms/key:Key")
    assert "CloudWatchPublishes" not in {s["Sid"] for s in json.loads(without_alarms.inputs["policy"])["Statement"]}


def test_with_a_cmk_the_alarm_topic_uses_it() -> None:
    evaluation = evaluate(config(serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK}))
    assert evaluation.one(TOPIC, "prod-wire-alarms").inputs["kmsMasterKeyId"] == CMK
    assert not evaluation.find("aws:kms/key:Key")


def test_alarms_never_wait_for_the_resources_they_watch() -> None:
    evaluation = evaluate(config())
    component = evaluation.one("wire:aws:Alarms")
    urns = {r.urn for r in evaluation.resources if r.type.startswith("aws:sqs") or r.type.startswith("aws:sns/platf")}
    for alarm in evaluation.find(ALARM):
        assert alarm.parent == component.urn
        assert not set(alarm.dependencies) & urns


def test_the_alarm_topic_is_never_left_without_a_key_cloudwatch_may_use() -> None:
    # alias/aws/sns would drop every alarm notification without an error: a missing key is refused.
    with pytest.raises(ValueError, match="needs a key CloudWatch may use"):
        run_program(lambda: Alarms("alarms", config(), topic_key=None))
