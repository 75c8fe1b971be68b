"""The one KMS key for the topics AWS services publish to (SES feedback, SNS endpoint events, CloudWatch alarms)."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.alarm_specs import alarm_topic
from components.aws.common import child, tags
from components.aws.topic_publishers import topic_publishers
from components.config import StackConfig

COMPONENT = "wire-server"
PUBLISHER_NAMES = {
    policies.SES_PUBLISHER: "SES",
    policies.SNS_PUBLISHER: "SNS",
    policies.CLOUDWATCH_PUBLISHER: "CloudWatch",
}


def previous_key_urns(stack: str, project: str, environment: str, publishers: list[str]) -> list[str]:
    """Where a topic's own key lived before one key served every service-fed topic.

    The SES topic had its own key, and so had the alarm topic (when nothing else published to a topic of
    the stack, it was the only key). As an alias it keeps a deployed key: no replacement, its policy and
    description are updated in place. Never two aliases: a stack that had both keys keeps the SES one.
    """
    if policies.SES_PUBLISHER in publishers:
        return [
            f"urn:pulumi:{stack}::{project}::wire:aws:EmailSending$aws:kms/key:Key::{environment}-brig-email-events"
        ]
    if publishers == [policies.CLOUDWATCH_PUBLISHER]:
        return [f"urn:pulumi:{stack}::{project}::wire:aws:Alarms$aws:kms/key:Key::{alarm_topic(environment)}"]
    return []


class EventTopicsKey(pulumi.ComponentResource):
    """A customer key whose policy lets exactly the publishing services use it.

    `alias/aws/sns` cannot serve these topics (its policy admits principals of this account only, and
    cannot be changed), and one key serves all of them: a KMS key costs about 1 USD a month.
    """

    key: aws.kms.Key
    arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        account_id: pulumi.Output[str],
        partition: pulumi.Output[str],
        publishers: list[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:EventTopicsKey", name, None, opts)
        key_name = f"{cfg.environment}-event-topics"
        self.key = aws.kms.Key(
            key_name,
            description=f"{key_name}: encrypts the topics {_names(publishers)} publish to",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=pulumi.Output.all(account_id, partition).apply(
                lambda args: json.dumps(
                    policies.topic_key_policy(
                        account_id=args[0], partition=args[1], region=cfg.region, publishers=publishers
                    )
                )
            ),
            tags=tags(COMPONENT),
            opts=child(
                self,
                aliases=previous_key_urns(pulumi.get_stack(), pulumi.get_project(), cfg.environment, publishers)
                or None,
            ),
        )
        self.arn = self.key.arn
        self.register_outputs({"keyArn": self.arn})


def _names(publishers: list[str]) -> str:
    names = [PUBLISHER_NAMES[publisher] for publisher in publishers]
    return " and ".join(names) if len(names) <= 2 else f"{', '.join(names[:-1])} and {names[-1]}"


def event_topics_key(
    cfg: StackConfig,
    *,
    account_id: pulumi.Output[str],
    partition: pulumi.Output[str],
    opts: pulumi.ResourceOptions | None = None,
) -> pulumi.Input[str] | None:
    """The key of the service-fed topics: the configured CMK, a new EventTopicsKey, or None without such topics."""
    if cfg.service_credentials.kms_key_arn:
        return cfg.service_credentials.kms_key_arn
    publishers = topic_publishers(cfg)
    if not publishers:
        return None
    return EventTopicsKey(
        "event-topics-key", cfg, account_id=account_id, partition=partition, publishers=publishers, opts=opts
    ).arn
