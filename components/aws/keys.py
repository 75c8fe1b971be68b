"""The one KMS key for the topics AWS services publish to (SES feedback, SNS endpoint events)."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.common import child, tags
from components.config import EmailMode, PushMode, StackConfig

COMPONENT = "wire-server"


def previous_email_key_urn(stack: str, project: str, environment: str) -> str:
    """Where the SES topic's own key lived before one key served every service-fed topic.

    As an alias it keeps a deployed key (no replacement; its policy and description are updated in place).
    """
    return f"urn:pulumi:{stack}::{project}::wire:aws:EmailSending$aws:kms/key:Key::{environment}-brig-email-events"


def topic_publishers(cfg: StackConfig) -> list[str]:
    """The AWS services that publish to a topic of this stack."""
    publishers = []
    if cfg.email.mode == EmailMode.SES:
        publishers.append(policies.SES_PUBLISHER)  # bounce and complaint notifications
    if cfg.push.mode == PushMode.CREATE and cfg.push.apps:
        publishers.append(policies.SNS_PUBLISHER)  # the platform applications' endpoint events
    return publishers


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
        email_key = previous_email_key_urn(pulumi.get_stack(), pulumi.get_project(), cfg.environment)
        self.key = aws.kms.Key(
            key_name,
            description=f"{key_name}: encrypts the topics {' and '.join(p.upper() for p in publishers)} publish to",
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
            opts=child(self, aliases=[email_key] if policies.SES_PUBLISHER in publishers else None),
        )
        self.arn = self.key.arn
        self.register_outputs({"keyArn": self.arn})


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
