"""SQS: a queue as the services reach it (GetQueueUrl), its encryption, dead-letter queue, FIFO type and publisher."""

from __future__ import annotations

import json
from typing import Any

from components import naming
from components.aws.queue_settings import DLQ_RETENTION_SECONDS
from verify.aws import NOT_FOUND, AwsError, describe, error_code
from verify.checks.failures import denied_or
from verify.resource_policy import publisher_may_send
from verify.results import Result, fail, ok, warn


def queue(
    sqs: Any, name: str, *, check: str, region: str, fifo: bool = False, attributes: bool = True
) -> tuple[list[Result], dict[str, str] | None]:
    """GetQueueUrl (the call every service makes at startup), then encryption, DLQ and FIFO type."""
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            message = f"not found in region {region}: create it (pulumi up) or fix the region in the stack"
            return [fail(check, name, message)], None
        return [denied_or(error, check, name, "sqs:GetQueueUrl", "cannot get the queue URL")], None
    results = [ok(check, name, f"reachable in {region} ({url})")]
    if not attributes:
        return results, None
    try:
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    except AwsError as error:
        return [*results, warn(check, name, f"cannot read the attributes ({describe(error)})")], None
    results += [queue_encryption(attrs, check, name), *dead_letter_queue(sqs, attrs, check, name)]
    if fifo:
        is_fifo = attrs.get("FifoQueue") == "true"
        results.append(
            ok(check, name, "FIFO queue")
            if is_fifo
            else fail(check, name, "not a FIFO queue: the journal needs ordering; recreate it as FIFO (.fifo)")
        )
    return results, attrs


def queue_publisher(attrs: dict[str, str] | None, name: str, topic_arn: str, *, check: str) -> Result:
    """The queue policy lets the topic deliver (SNS needs sqs:SendMessage; nothing arrives otherwise)."""
    resource = f"{topic_arn} -> {name}"
    if attrs is None:
        return fail(check, resource, "the queue is missing or unreadable, so nothing can be delivered to it")
    verdict = publisher_may_send(attrs.get("Policy"), attrs.get("QueueArn", ""), topic_arn)
    if verdict.allowed:
        return ok(check, resource, verdict.reason)
    fix = "allow sns.amazonaws.com sqs:SendMessage on the queue with aws:SourceArn = the topic (pulumi up)"
    return fail(check, resource, f"{verdict.reason}: messages are dropped; {fix}")


def queue_encryption(attrs: dict[str, str], check: str, name: str) -> Result:
    if attrs.get("KmsMasterKeyId"):
        return ok(check, name, f"encrypted with KMS key {attrs['KmsMasterKeyId']}")
    if attrs.get("SqsManagedSseEnabled") == "true":
        return ok(check, name, "encrypted (SSE-SQS)")
    return fail(check, name, "not encrypted: enable SqsManagedSseEnabled or set KmsMasterKeyId")


def dead_letter_queue(sqs: Any, attrs: dict[str, str], check: str, name: str) -> list[Result]:
    dlq_name = naming.dead_letter_queue(name)
    raw = attrs.get("RedrivePolicy")
    if not raw:
        return [fail(check, name, f"no dead-letter queue: set a RedrivePolicy to {dlq_name} (poison messages loop)")]
    try:
        target = str(json.loads(raw)["deadLetterTargetArn"]).rsplit(":", 1)[-1]
    except (ValueError, KeyError, TypeError):
        return [fail(check, name, f"RedrivePolicy is not valid JSON with deadLetterTargetArn: {raw}")]
    try:
        dlq_url = sqs.get_queue_url(QueueName=target)["QueueUrl"]
        dlq_attrs = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["MessageRetentionPeriod"])["Attributes"]
    except AwsError as error:
        return [fail(check, name, f"its dead-letter queue {target} is not reachable ({describe(error)}): create it")]
    results = [retention(attrs, dlq_attrs, check, name, target)]
    if target != dlq_name:
        return [*results, warn(check, name, f"dead-letter queue is {target}, expected {dlq_name}")]
    return [*results, ok(check, name, f"dead-letter queue {target}")]


def retention(attrs: dict[str, str], dlq_attrs: dict[str, str], check: str, name: str, dlq: str) -> Result:
    """A message lands in the DLQ with its original age: a DLQ keeping it no longer than the source loses it at once."""
    source, kept = int(attrs.get("MessageRetentionPeriod", 0)), int(dlq_attrs.get("MessageRetentionPeriod", 0))
    if kept <= source:
        return fail(
            check,
            name,
            f"its dead-letter queue {dlq} keeps messages {kept} s, not longer than the queue ({source} s): a message "
            f"that failed expires before anyone can look at it; pulumi up sets {DLQ_RETENTION_SECONDS} s",
        )
    return ok(check, name, f"the dead-letter queue keeps messages {kept} s (the queue {source} s)")
