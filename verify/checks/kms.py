"""KMS: the key of each topic an AWS service publishes to is usable, and its policy lets that service use it.

A topic whose key the publisher may not use drops every message without an error anywhere.
"""

from __future__ import annotations

from typing import Any

from components.aws.policies import KMS_ACTIONS
from verify.aws import NOT_FOUND, AwsError, describe, error_code
from verify.checks.failures import denied_or
from verify.expected_resources import TopicKeyTarget
from verify.resource_policy import service_may_use_key
from verify.results import Result, fail, ok

# The key SNS uses when a topic names none: its policy admits principals of the account only.
SNS_MANAGED_KEY = "alias/aws/sns"


def topic_key(sns: Any, kms: Any, target: TopicKeyTarget, *, check: str) -> Result:
    resource = f"{target.topic} key"
    try:
        key = sns.get_topic_attributes(TopicArn=target.topic_arn)["Attributes"].get("KmsMasterKeyId")
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, resource, f"the topic {target.topic_arn} does not exist: pulumi up")
        return denied_or(error, check, resource, "sns:GetTopicAttributes", "cannot read the topic")
    if not key:
        return fail(check, resource, "the topic is not encrypted: pulumi up sets the stack's topic key")
    if key.endswith(SNS_MANAGED_KEY):
        return fail(
            check,
            resource,
            f"encrypted with {SNS_MANAGED_KEY}, whose policy cannot admit {target.publisher}.amazonaws.com: "
            f"{target.use} are dropped; pulumi up sets the stack's topic key",
        )
    try:
        meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, key, f"the key of {target.topic} does not exist: {target.use} are dropped; pulumi up")
        return denied_or(error, check, key, "kms:DescribeKey", "cannot read the key", "the key policy")
    key_id, state = meta["KeyId"], meta.get("KeyState")
    if state == "PendingDeletion":
        return fail(
            check,
            key,
            f"scheduled for deletion ({meta.get('DeletionDate')}): {target.use} are dropped, and lost for good once "
            f"it is deleted; aws kms cancel-key-deletion --key-id {key_id} && aws kms enable-key --key-id {key_id}",
        )
    if state != "Enabled" or not meta.get("Enabled", True):
        return fail(check, key, f"{state}: {target.use} are dropped; aws kms enable-key --key-id {key_id}")
    try:
        policy = kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    except AwsError as error:
        return fail(check, key, f"cannot read the key policy ({describe(error)})")
    verdict = service_may_use_key(policy, f"{target.publisher}.amazonaws.com", list(KMS_ACTIONS), target.source_arn)
    if not verdict.allowed:
        return fail(
            check,
            key,
            f"{verdict.reason}: {target.use} are dropped without an error; pulumi up restores the key policy "
            "(a serviceCredentials.kmsKeyArn key needs the same grant, docs/security.md)",
        )
    return ok(check, key, f"enabled; {verdict.reason} ({target.use})")
