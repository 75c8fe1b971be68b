"""The key policy evaluator on hand-written policies (offline): which grants let a publishing service use a key."""

from __future__ import annotations

import json

from components.aws import policies
from components.aws.policies import KMS_ACTIONS
from verify.resource_policy import service_may_use_key

ACCOUNT = "123456789012"
SES_SOURCE = f"arn:aws:ses:eu-west-1:{ACCOUNT}:identity/wire.test"
SNS_SOURCE = f"arn:aws:sns:eu-west-1:{ACCOUNT}:app/GCM/dev-wiretest"


def _policy(*publishers: str) -> dict:
    return policies.topic_key_policy(
        account_id=ACCOUNT, partition="aws", region="eu-west-1", publishers=list(publishers)
    )


def _may(policy: dict, service: str, source: str) -> tuple[bool, str]:
    verdict = service_may_use_key(json.dumps(policy), service, list(KMS_ACTIONS), source)
    return verdict.allowed, verdict.reason


def test_the_programs_grants_admit_their_publisher_only_from_this_account_and_region() -> None:
    policy = _policy("ses", "sns")
    assert _may(policy, "ses.amazonaws.com", SES_SOURCE) == (
        True,
        "the key policy lets ses.amazonaws.com use kms:Decrypt, kms:GenerateDataKey",
    )
    # IfExists conditions (SNS's endpoint events) are evaluated as their base operator.
    assert _may(policy, "sns.amazonaws.com", SNS_SOURCE)[0]
    assert not _may(policy, "cloudwatch.amazonaws.com", f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:a")[0]
    assert not _may(policy, "ses.amazonaws.com", SES_SOURCE.replace("eu-west-1", "us-east-1"))[0]
    # The account's own administration statement grants no service.
    assert not _may(_policy(), "ses.amazonaws.com", SES_SOURCE)[0]


def test_a_deny_or_a_condition_it_cannot_evaluate_is_named() -> None:
    policy = _policy("ses")
    deny = {"Sid": "NoSes", "Effect": "Deny", "Principal": {"Service": "ses.amazonaws.com"}, "Action": "kms:*"}
    allowed, reason = _may(
        {**policy, "Statement": [*policy["Statement"], {**deny, "Resource": "*"}]}, "ses.amazonaws.com", SES_SOURCE
    )
    assert not allowed and reason == "statement NoSes of the key policy denies kms:Decrypt to ses.amazonaws.com"

    via = {
        "Sid": "Via",
        "Effect": "Allow",
        "Principal": {"Service": "ses.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": "ses.eu-west-1.amazonaws.com"}},
    }
    allowed, reason = _may(policies.document([via]), "ses.amazonaws.com", SES_SOURCE)
    assert not allowed
    assert "kms:Decrypt (statement Via has conditions verify cannot evaluate)" in reason
    # A wildcard action and no condition: an operator's CMK written more broadly still grants.
    broad = {**via, "Condition": {}, "Action": "kms:*"}
    assert _may(policies.document([broad]), "ses.amazonaws.com", SES_SOURCE)[0]
    assert not service_may_use_key("not json", "ses.amazonaws.com", ["kms:Decrypt"], SES_SOURCE).allowed
