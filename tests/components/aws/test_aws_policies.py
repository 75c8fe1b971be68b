"""The pure policy builders: exact actions, resources and conditions; nothing broader."""

from __future__ import annotations

import pytest

from components.aws import policies
from tests.components.aws.aws_support import ACCOUNT, CMK, ISSUER, OIDC, REGION, actions, statement

Q = f"arn:aws:sqs:{REGION}:{ACCOUNT}"


def all_statements_are_scoped(document: dict) -> None:
    for item in document["Statement"]:
        assert item["Action"] != "*" and "*" not in item["Action"], item
        assert item["Resource"] != "*" and "*" not in item["Resource"], item


def test_brig_minimal_policy_is_the_internal_queue_only() -> None:
    document = policies.brig_policy(internal_queue_arn=f"{Q}:prod-brig-events-internal")
    assert document["Version"] == "2012-10-17"
    assert document["Statement"] == [
        {
            "Sid": "InternalEvents",
            "Effect": "Allow",
            "Action": ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"],
            "Resource": [f"{Q}:prod-brig-events-internal"],
        }
    ]


def test_brig_full_policy() -> None:
    identity = f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/example.com"
    config_set = f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/prod-brig"
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/prod-brig-prekeys"
    document = policies.brig_policy(
        internal_queue_arn=f"{Q}:internal",
        ses_queue_arn=f"{Q}:ses",
        user_journal_queue_arn=f"{Q}:journal.fifo",
        ses_identity_arn=identity,
        ses_configuration_set_arn=config_set,
        sender="no-reply@example.com",
        prekey_table_arn=table,
        kms_key_arn=CMK,
    )
    all_statements_are_scoped(document)
    feedback = statement(document, "EmailFeedback")
    assert feedback["Action"] == ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"]
    assert feedback["Resource"] == [f"{Q}:ses"]
    journal = statement(document, "UserJournal")
    assert journal["Action"] == ["sqs:GetQueueUrl", "sqs:SendMessage"]
    ses = statement(document, "SendEmail")
    assert ses["Action"] == ["ses:SendRawEmail"]
    assert ses["Resource"] == [identity, config_set]
    assert ses["Condition"] == {"StringEquals": {"ses:FromAddress": "no-reply@example.com"}}
    table_statement = statement(document, "PrekeyLocks")
    assert table_statement["Action"] == ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"]
    assert table_statement["Resource"] == [table]
    kms = statement(document, "UseCustomerManagedKey")
    assert kms["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"] and kms["Resource"] == [CMK]


def test_brig_ses_statement_needs_the_sender() -> None:
    with pytest.raises(ValueError, match="sender"):
        policies.brig_policy(internal_queue_arn="q", ses_identity_arn="arn:aws:ses:r:1:identity/x")


def test_gundeck_policy_grants_endpoint_actions_as_iam_authorises_them() -> None:
    document = policies.gundeck_policy(
        queue_arn=f"{Q}:prod-gundeck-events", region=REGION, account_id=ACCOUNT, arn_env="prod"
    )
    assert statement(document, "PushEvents")["Action"] == ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"]
    # No resource-level permissions exist for these: scoped to ARNs, CreatePlatformEndpoint is denied.
    manage = statement(document, "ManageEndpoints")
    assert set(manage["Action"]) == {
        "sns:CreatePlatformEndpoint",
        "sns:GetEndpointAttributes",
        "sns:SetEndpointAttributes",
        "sns:DeleteEndpoint",
    }
    assert manage["Resource"] == ["*"]
    publish = statement(document, "PublishToEndpoints")
    assert publish["Action"] == ["sns:Publish"]
    assert publish["Resource"] == [
        f"arn:aws:sns:{REGION}:{ACCOUNT}:endpoint/*/prod-*/*",
        f"arn:aws:sns:{REGION}:{ACCOUNT}:app/*/prod-*",
    ]
    # gundeck never calls these (services/gundeck/src/Gundeck/Aws.hs), so they are not granted.
    assert not actions(document) & {"sns:GetPlatformApplicationAttributes", "sns:ListEndpointsByPlatformApplication"}
    assert not any(a.startswith("kms:") for a in actions(document))


def test_gundeck_policy_without_push_is_the_queue_only() -> None:
    document = policies.gundeck_policy(
        queue_arn="q", region=REGION, account_id=ACCOUNT, arn_env="dev", push_enabled=False, partition="aws-cn"
    )
    assert actions(document) == {"sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage"}


def test_gundeck_policy_uses_the_partition() -> None:
    document = policies.gundeck_policy(
        queue_arn="q", region="cn-north-1", account_id=ACCOUNT, arn_env="p", partition="aws-cn"
    )
    assert statement(document, "PublishToEndpoints")["Resource"][0].startswith("arn:aws-cn:sns:cn-north-1:")


def test_cargohold_policy() -> None:
    document = policies.cargohold_policy(bucket_arn="arn:aws:s3:::assets")
    assert document["Statement"] == [
        {
            "Sid": "Assets",
            "Effect": "Allow",
            "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Resource": ["arn:aws:s3:::assets/*"],
        },
        {"Sid": "ListAssets", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::assets"]},
    ]


def test_galley_policy_is_none_without_the_journal_even_with_a_cmk() -> None:
    assert policies.galley_policy(kms_key_arn=CMK) is None
    document = policies.galley_policy(team_events_queue_arn=f"{Q}:prod-team-events.fifo", kms_key_arn=CMK)
    assert document is not None
    assert statement(document, "TeamEvents")["Action"] == ["sqs:GetQueueUrl", "sqs:SendMessage"]
    assert statement(document, "UseCustomerManagedKey")["Resource"] == [CMK]


def test_irsa_trust_policy_is_one_service_account() -> None:
    document = policies.irsa_trust_policy(
        oidc_provider_arn=OIDC, issuer=ISSUER, namespace="wire", service_account="brig"
    )
    (only,) = document["Statement"]
    assert only["Principal"] == {"Federated": OIDC}
    assert only["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert only["Condition"] == {
        "StringEquals": {
            f"{ISSUER}:sub": "system:serviceaccount:wire:brig",
            f"{ISSUER}:aud": "sts.amazonaws.com",
        }
    }


def test_queue_policy_allows_only_sns_from_the_topic() -> None:
    document = policies.sns_to_sqs_policy(queue_arn="arn:q", topic_arn="arn:t")
    (only,) = document["Statement"]
    assert only["Principal"] == {"Service": "sns.amazonaws.com"}
    assert only["Action"] == "sqs:SendMessage" and only["Resource"] == "arn:q"
    assert only["Condition"] == {"ArnEquals": {"aws:SourceArn": "arn:t"}}


def test_bucket_policy_denies_plain_http_and_allows_only_the_distribution() -> None:
    document = policies.asset_bucket_policy(bucket_arn="arn:aws:s3:::b")
    (deny,) = document["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Resource"] == ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    with_cdn = policies.asset_bucket_policy(bucket_arn="arn:aws:s3:::b", distribution_arn="arn:cf")
    allow = statement(with_cdn, "CloudFrontRead")
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert allow["Condition"] == {"StringEquals": {"AWS:SourceArn": "arn:cf"}}


def test_partition_of() -> None:
    assert policies.partition_of("arn:aws-us-gov:iam::1:user/x") == "aws-us-gov"
