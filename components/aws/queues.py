"""An SQS queue as Wire needs it, written once: encrypted, with a dead-letter queue and long polling."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws import policies
from components.aws.common import adopted, child, stateful
from components.aws.queue_settings import (
    DLQ_RETENTION_SECONDS,
    MAX_RECEIVE_COUNT,
    RECEIVE_WAIT_SECONDS,
    RETENTION_SECONDS,
    VISIBILITY_TIMEOUT_SECONDS,
)
from components.config import StackConfig


class EncryptedQueue(pulumi.ComponentResource):
    """`name` and its DLQ `naming.dead_letter_queue(name)`; a `.fifo` name makes both FIFO queues.

    `role` names both for `wire:adopt.aws`: `<role>Queue` and `<role>DeadLetterQueue`.
    """

    queue: aws.sqs.Queue
    dead_letter_queue: aws.sqs.Queue
    name: str
    arn: pulumi.Output[str]
    url: pulumi.Output[str]
    dead_letter_arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        component: str,
        role: str,
        visibility_timeout_seconds: int = VISIBILITY_TIMEOUT_SECONDS,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:EncryptedQueue", name, None, opts)
        self.name = name
        self._cfg = cfg
        cmk = cfg.service_credentials.kms_key_arn

        def sqs_queue(queue_name: str, queue_role: str, retention_seconds: int, **extra: Any) -> aws.sqs.Queue:
            args: dict[str, Any] = dict(
                name=queue_name,
                fifo_queue=name.endswith(".fifo") or None,
                message_retention_seconds=retention_seconds,
                visibility_timeout_seconds=visibility_timeout_seconds,
                receive_wait_time_seconds=RECEIVE_WAIT_SECONDS,
                tags={"Component": component},
                kms_master_key_id=cmk,  # a CMK replaces SSE-SQS: the two are exclusive
                sqs_managed_sse_enabled=None if cmk else True,
                **extra,
            )
            return aws.sqs.Queue(queue_name, **args, opts=stateful(self, cfg, **adopted(cfg, queue_role, args)))

        self.dead_letter_queue = sqs_queue(
            naming.dead_letter_queue(name), f"{role}DeadLetterQueue", DLQ_RETENTION_SECONDS
        )
        self.queue = sqs_queue(
            name,
            f"{role}Queue",
            RETENTION_SECONDS,
            redrive_policy=self.dead_letter_queue.arn.apply(
                lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
            ),
        )
        self.arn = self.queue.arn
        self.url = self.queue.url
        self.dead_letter_arn = self.dead_letter_queue.arn
        self.register_outputs({"name": name, "arn": self.arn, "url": self.url, "deadLetterArn": self.dead_letter_arn})

    def subscribe_raw(self, topic: aws.sns.Topic) -> aws.sns.TopicSubscription:
        """Deliver the topic's messages unwrapped: brig and gundeck parse the original JSON at top level."""
        policy = aws.sqs.QueuePolicy(
            f"{self.name}-from-topic",
            queue_url=self.queue.url,
            policy=pulumi.Output.all(self.queue.arn, topic.arn).apply(
                lambda arns: json.dumps(policies.sns_to_sqs_policy(queue_arn=arns[0], topic_arn=arns[1]))
            ),
            opts=child(self),
        )
        # After the policy, or the first messages would be refused.
        return aws.sns.TopicSubscription(
            f"{self.name}-subscription",
            topic=topic.arn,
            protocol="sqs",
            endpoint=self.queue.arn,
            raw_message_delivery=True,
            opts=child(self, depends_on=[policy]),
        )
