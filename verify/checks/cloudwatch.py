"""CloudWatch: the stack's alarms exist, are enabled, watch what the program set and notify the alarm topic."""

from __future__ import annotations

from typing import Any

from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected_resources import AlarmsTarget, AlarmTarget
from verify.results import Result, fail, ok, warn

# DescribeAlarms takes at most 100 names per call.
_NAMES_PER_CALL = 100


def alarms(cloudwatch: Any, sns: Any, target: AlarmsTarget, *, check: str = "alarms") -> list[Result]:
    results = [alarm_topic(sns, target, check=check)]
    names = [alarm.spec.name for alarm in target.alarms]
    try:
        found = {
            alarm["AlarmName"]: alarm
            for start in range(0, len(names), _NAMES_PER_CALL)
            for alarm in cloudwatch.describe_alarms(AlarmNames=names[start : start + _NAMES_PER_CALL])["MetricAlarms"]
        }
    except AwsError as error:
        return [*results, denied_or(error, check, target.topic, "cloudwatch:DescribeAlarms", "cannot read the alarms")]
    return results + [_alarm(found.get(alarm.spec.name), alarm, target.topic_arn, check) for alarm in target.alarms]


def _alarm(live: dict[str, Any] | None, alarm: AlarmTarget, topic_arn: str, check: str) -> Result:
    spec, name = alarm.spec, alarm.spec.name
    if live is None:
        return fail(check, name, f"missing: nobody learns that {alarm.service} fails ({spec.description}); pulumi up")
    if not live.get("ActionsEnabled", True):
        return fail(
            check,
            name,
            f"actions disabled: it fires for {alarm.service} but notifies nobody; "
            f"aws cloudwatch enable-alarm-actions --alarm-names {name} (or pulumi up)",
        )
    if topic_arn not in live.get("AlarmActions", []):
        return fail(
            check,
            name,
            f"does not notify the alarm topic {topic_arn} when {alarm.service} fails: pulumi up restores its actions",
        )
    dimensions = {item["Name"]: item["Value"] for item in live.get("Dimensions", [])}
    watched = (live.get("Namespace"), live.get("MetricName"), dimensions, float(live.get("Threshold", -1)))
    wanted = (spec.namespace, spec.metric, spec.dimensions, float(spec.threshold))
    if watched != wanted:
        return fail(
            check,
            name,
            f"watches {watched[0]} {watched[1]} {watched[2]} >= {watched[3]:g}, the program sets "
            f"{spec.namespace} {spec.metric} {spec.dimensions} >= {spec.threshold:g}: pulumi up restores it",
        )
    return ok(check, name, f"enabled, notifies the alarm topic ({alarm.service})")


def alarm_topic(sns: Any, target: AlarmsTarget, *, check: str = "alarms") -> Result:
    """The topic exists and, with alarms.email, mails that address."""
    try:
        sns.get_topic_attributes(TopicArn=target.topic_arn)
        subscriptions = [
            sub
            for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=target.topic_arn)
            for sub in page.get("Subscriptions", [])
        ]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, target.topic_arn, "the alarm topic does not exist: no alarm reaches anyone; pulumi up")
        return denied_or(error, check, target.topic_arn, "sns:GetTopicAttributes", "cannot read the alarm topic")
    if not target.email:
        return ok(check, target.topic_arn, "the alarm topic exists (no alarms.email: subscribe your own receiver)")
    mails = [sub for sub in subscriptions if sub.get("Protocol") == "email" and sub.get("Endpoint") == target.email]
    if not mails:
        return fail(
            check,
            target.topic_arn,
            f"{target.email} (alarms.email) is not subscribed: no alarm reaches it; pulumi up subscribes it again "
            "(then follow the link SNS mails)",
        )
    if not str(mails[0].get("SubscriptionArn", "")).startswith("arn:"):
        return warn(check, target.topic_arn, f"{target.email} has not confirmed: follow the link SNS mailed to it")
    return ok(check, target.topic_arn, f"the alarm topic mails {target.email}")
