"""IAM and resource policy documents, as pure functions of names and ARNs (no Pulumi here).

Each service policy grants exactly the calls the service makes (upstream-terraform-and-fakes.md §3.4,
chart-keys.md §2), on its own resources only. A function returns None when there is nothing to
grant, so no empty policy is ever attached.
"""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]
Statement = dict[str, Any]

VERSION = "2012-10-17"
KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]


def document(statements: list[Statement]) -> Document:
    return {"Version": VERSION, "Statement": statements}


def allow(sid: str, actions: list[str], resources: list[str], condition: dict[str, Any] | None = None) -> Statement:
    statement: Statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def partition_of(arn: str) -> str:
    """`aws`, `aws-cn`, `aws-us-gov`: the second field of any ARN."""
    return arn.split(":")[1]


def _kms(kms_key_arn: str | None) -> list[Statement]:
    # Only a customer-managed key needs grants; SSE-SQS/SSE-S3/AWS-managed keys are authorised by AWS itself.
    return [allow("UseCustomerManagedKey", KMS_ACTIONS, [kms_key_arn])] if kms_key_arn else []


def _finish(statements: list[Statement], kms_key_arn: str | None) -> Document | None:
    if not statements:
        return None
    return document(statements + _kms(kms_key_arn))


# --- service policies ------------------------------------------------------------------------------


def brig_policy(
    *,
    internal_queue_arn: str,
    ses_queue_arn: str | None = None,
    user_journal_queue_arn: str | None = None,
    ses_identity_arn: str | None = None,
    ses_configuration_set_arn: str | None = None,
    sender: str | None = None,
    prekey_table_arn: str | None = None,
    kms_key_arn: str | None = None,
) -> Document:
    statements = [
        allow(
            "InternalEvents",
            ["sqs:GetQueueUrl", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
            [internal_queue_arn],
        )
    ]
    if ses_queue_arn:
        statements.append(
            allow("EmailFeedback", ["sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage"], [ses_queue_arn])
        )
    if user_journal_queue_arn:
        statements.append(allow("UserJournal", ["sqs:GetQueueUrl", "sqs:SendMessage"], [user_journal_queue_arn]))
    if ses_identity_arn:
        if not sender:
            raise ValueError("brig's SES statement needs the sender address")
        # The identity has a default configuration set, which SES authorises as a second resource.
        resources = [ses_identity_arn] + ([ses_configuration_set_arn] if ses_configuration_set_arn else [])
        statements.append(
            allow(
                "SendEmail",
                ["ses:SendRawEmail"],
                resources,
                # brig sets Source to the sender, so this pins every mail to that one From address.
                {"StringEquals": {"ses:FromAddress": sender}},
            )
        )
    if prekey_table_arn:
        statements.append(
            allow("PrekeyLocks", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], [prekey_table_arn])
        )
    policy = _finish(statements, kms_key_arn)
    assert policy is not None
    return policy


def gundeck_policy(
    *,
    queue_arn: str,
    region: str,
    account_id: str,
    arn_env: str,
    partition: str = "aws",
    push_enabled: bool = True,
    kms_key_arn: str | None = None,
) -> Document:
    statements = [allow("PushEvents", ["sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage"], [queue_arn])]
    if push_enabled:
        prefix = f"arn:{partition}:sns:{region}:{account_id}"
        # IAM has no resource type for platform endpoints: these four actions are authorised against "*"
        # only (Service Authorization Reference; the IAM linters in tests/ check it). Scoped to ARNs they
        # are denied, and gundeck reports a denied CreatePlatformEndpoint as "app not found" with only a
        # log line: push would fail silently. See docs/security.md.
        statements.append(
            allow(
                "ManageEndpoints",
                [
                    "sns:CreatePlatformEndpoint",
                    "sns:GetEndpointAttributes",
                    "sns:SetEndpointAttributes",
                    "sns:DeleteEndpoint",
                ],
                ["*"],
            )
        )
        # Publish is authorised against its target: gundeck publishes to endpoints of this environment's
        # applications (`endpoint/<PLATFORM>/<arnEnv>-<app>/<id>`). The application pattern covers SNS
        # authorising a mobile publish against the endpoint's application (as Wire's own module did).
        statements.append(
            allow(
                "PublishToEndpoints",
                ["sns:Publish"],
                [f"{prefix}:endpoint/*/{arn_env}-*/*", f"{prefix}:app/*/{arn_env}-*"],
            )
        )
    policy = _finish(statements, kms_key_arn)
    assert policy is not None
    return policy


def cargohold_policy(*, bucket_arn: str, kms_key_arn: str | None = None) -> Document:
    statements = [
        # Multipart streaming uploads need PutObject (+Abort on failure); HEAD and COPY ride on Get/Put.
        allow(
            "Assets",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            [f"{bucket_arn}/*"],
        ),
        # Lets a missing key answer 404 instead of 403.
        allow("ListAssets", ["s3:ListBucket"], [bucket_arn]),
    ]
    policy = _finish(statements, kms_key_arn)
    assert policy is not None
    return policy


def galley_policy(*, team_events_queue_arn: str | None = None, kms_key_arn: str | None = None) -> Document | None:
    statements = []
    if team_events_queue_arn:
        statements.append(allow("TeamEvents", ["sqs:GetQueueUrl", "sqs:SendMessage"], [team_events_queue_arn]))
    return _finish(statements, kms_key_arn)


# --- trust and resource policies ---------------------------------------------------------------------


def irsa_trust_policy(*, oidc_provider_arn: str, issuer: str, namespace: str, service_account: str) -> Document:
    """Only the pods of one service account in one namespace may assume the role."""
    return document(
        [
            {
                "Effect": "Allow",
                "Principal": {"Federated": oidc_provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{issuer}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                        f"{issuer}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ]
    )


def sns_to_sqs_policy(*, queue_arn: str, topic_arn: str) -> Document:
    """The queue accepts messages from its one topic and from nothing else."""
    return document(
        [
            {
                "Sid": "FromTopic",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
            }
        ]
    )


def asset_bucket_policy(*, bucket_arn: str, distribution_arn: str | None = None) -> Document:
    statements: list[Statement] = [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    if distribution_arn:
        statements.append(
            {
                "Sid": "CloudFrontRead",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"{bucket_arn}/*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            }
        )
    return document(statements)


# AWS services that publish to a topic of ours: the service principal and the resources it publishes for.
SES_PUBLISHER = "ses"
SNS_PUBLISHER = "sns"
CLOUDWATCH_PUBLISHER = "cloudwatch"
TOPIC_PUBLISHERS = (SES_PUBLISHER, SNS_PUBLISHER, CLOUDWATCH_PUBLISHER)


def topic_key_policy(*, account_id: str, partition: str, region: str, publishers: list[str]) -> Document:
    """Key policy of the key encrypting the topics AWS services publish to (docs/security.md).

    A service can only publish to an encrypted topic whose key policy lets its service principal use
    the key, and the AWS-managed `alias/aws/sns` key's policy cannot be changed: without this key (or a
    CMK that grants the same), SES bounces and SNS endpoint events are dropped without an error.
    """
    unknown = sorted(set(publishers) - set(TOPIC_PUBLISHERS))
    if unknown:
        raise ValueError(f"unknown topic publishers {unknown}; known: {list(TOPIC_PUBLISHERS)}")
    statements: list[Statement] = [
        {
            "Sid": "AccountAdministers",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            # In a key policy "*" means this key: the policy is attached to the key itself.
            "Resource": "*",
        }
    ]
    statements += [_publisher_statement(p, account_id, partition, region) for p in TOPIC_PUBLISHERS if p in publishers]
    return document(statements)


# Publisher -> (Sid, condition operator suffix, its resources). SES and CloudWatch document the source
# context they publish with, so their conditions are strict. SNS itself publishes the platform
# applications' endpoint events and AWS documents no source context for these: "IfExists" pins account
# and region whenever SNS supplies them and can never make the key unusable (the events would be
# dropped without an error).
_PUBLISHER_STATEMENTS = {
    SES_PUBLISHER: ("SesPublishes", "", "*"),
    SNS_PUBLISHER: ("SnsPlatformApplicationsPublish", "IfExists", "*"),
    CLOUDWATCH_PUBLISHER: ("CloudWatchPublishes", "", "alarm:*"),
}


def _publisher_statement(publisher: str, account_id: str, partition: str, region: str) -> Statement:
    """The service may use the key on behalf of its resources in this account and region only."""
    sid, operator, resources = _PUBLISHER_STATEMENTS[publisher]
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": f"{publisher}.amazonaws.com"},
        "Action": list(KMS_ACTIONS),
        # In a key policy "*" means this key.
        "Resource": "*",
        "Condition": {
            f"StringEquals{operator}": {"aws:SourceAccount": account_id},
            f"ArnLike{operator}": {"aws:SourceArn": f"arn:{partition}:{publisher}:{region}:{account_id}:{resources}"},
        },
    }
