"""SNS: a topic's subscription to a queue, and gundeck's platform applications (events, credentials)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected import AppTarget
from verify.results import Result, fail, ok, warn

# SNS platform application attributes naming the topic of each endpoint event gundeck handles.
EVENT_ATTRIBUTES = ("EventEndpointCreated", "EventEndpointDeleted", "EventEndpointUpdated", "EventDeliveryFailure")
CERTIFICATE_WARNING = timedelta(days=30)


def subscription(sns: Any, topic_arn: str, queue_name: str, queue_arn: str | None, *, check: str) -> Result:
    """The topic delivers to the queue with raw message delivery (the services parse the raw JSON)."""
    resource = f"{topic_arn} -> {queue_name}"
    if queue_arn is None:
        return fail(check, resource, "the queue is missing or unreadable, so nothing can be delivered to it")
    try:
        subscriptions = [
            sub
            for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
            for sub in page.get("Subscriptions", [])
        ]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, resource, "the topic does not exist: create it (pulumi up)")
        return denied_or(error, check, resource, "sns:ListSubscriptionsByTopic", "cannot list subscriptions")
    matching = [sub for sub in subscriptions if sub.get("Protocol") == "sqs" and sub.get("Endpoint") == queue_arn]
    if not matching:
        return fail(check, resource, "the topic does not deliver to the queue: subscribe it (protocol sqs, raw)")
    sub_arn = str(matching[0]["SubscriptionArn"])
    if not sub_arn.startswith("arn:"):
        return fail(check, resource, f"the subscription is {sub_arn}: confirm it")
    try:
        attrs = sns.get_subscription_attributes(SubscriptionArn=sub_arn)["Attributes"]
    except AwsError as error:
        return denied_or(error, check, resource, "sns:GetSubscriptionAttributes", "cannot read the subscription")
    if attrs.get("RawMessageDelivery") != "true":
        return fail(
            check,
            resource,
            "subscription without raw message delivery: the service parses the raw JSON; set RawMessageDelivery=true",
        )
    return ok(check, resource, "subscribed with raw message delivery")


def platform_application(sns: Any, app: AppTarget, arn_env: str, topic_arn: str | None, *, check: str) -> list[Result]:
    """gundeck's view of an application: its name, platform, state, event topics and credentials."""
    name = app.name
    results: list[Result] = []
    if not name.startswith(f"{arn_env}-"):
        results.append(
            fail(
                check,
                name,
                f"named '{name}': gundeck finds applications as `<arnEnv>-<app>` ({arn_env}-<app>), so it never "
                f"uses this one; rename it {arn_env}-{name.split('-', 1)[-1]} (push.apps[].name without the prefix)",
            )
        )
    arn_platform = app.arn.split(":app/", 1)[-1].split("/", 1)[0] if ":app/" in app.arn else None
    if app.platform and arn_platform and arn_platform != app.platform:
        results.append(
            fail(
                check,
                name,
                f"platform {arn_platform}, but push.apps configures {app.platform}: recreate it (pulumi up)",
            )
        )
    try:
        attrs = sns.get_platform_application_attributes(PlatformApplicationArn=app.arn)["Attributes"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return [
                *results,
                fail(check, name, f"platform application {app.arn} does not exist: add it to push.apps and pulumi up"),
            ]
        return [*results, denied_or(error, check, name, "sns:GetPlatformApplicationAttributes", "cannot read it")]
    # AWS disables an application when APNS/FCM rejects its credentials.
    if str(attrs.get("Enabled", "true")).lower() == "false":
        results.append(
            fail(check, name, "disabled: the push credentials were rejected or expired; renew them and pulumi up")
        )
    if topic_arn:
        missing = [key for key in EVENT_ATTRIBUTES if attrs.get(key) != topic_arn]
        if missing:
            results.append(
                fail(
                    check,
                    name,
                    f"{', '.join(missing)} not sent to {topic_arn}: gundeck never learns of new, updated, deleted or "
                    "failing endpoints; set the event topics (pulumi up)",
                )
            )
    results += _push_credentials(attrs, app, check)
    if not any(result.status.value == "fail" for result in results):
        results.append(ok(check, name, f"{arn_platform or 'exists'}, enabled, endpoint events to the topic"))
    return results


def _push_credentials(attrs: dict[str, str], app: AppTarget, check: str) -> list[Result]:
    """APNS authenticates with a certificate (push.apps[].principal) or a token signing key; they must agree."""
    if not app.platform or not app.platform.startswith("APNS"):
        return []
    token_based = bool(attrs.get("ApplePlatformTeamID") or attrs.get("ApplePlatformBundleID"))
    expiry = attrs.get("AppleCertificateExpirationDate")
    if app.certificate and token_based:
        return [
            fail(
                check,
                app.name,
                "uses token (signing key) authentication, but push.apps[].principal configures a certificate",
            )
        ]
    if not app.certificate and expiry:
        return [
            fail(check, app.name, "uses certificate authentication, but push.apps[] has no principal (certificate)")
        ]
    if expiry:
        try:
            expires = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
        except ValueError:
            return []
        left = expires - datetime.now(UTC)
        if left <= timedelta(0):
            return [
                fail(check, app.name, f"the APNS certificate expired on {expiry}: renew it (push.apps[].principal)")
            ]
        if left < CERTIFICATE_WARNING:
            return [warn(check, app.name, f"the APNS certificate expires on {expiry}: renew it soon")]
    return []
