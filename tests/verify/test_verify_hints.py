"""Hints that name the cause: which policy denied (from AWS's access-denied messages), which addressing
style was tried, which naming rule an application breaks. Offline: errors as botocore raises them."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from verify.aws import denial_cause
from verify.probes import addressing_hint, allowed

PRINCIPAL = "User: arn:aws:sts::123456789012:assumed-role/prod-cargohold/pod is not authorized to perform"


def _denied(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "PutObject")


# AWS's messages (IAM "enhanced access denied" wording) -> the policy verify names.
CASES = [
    (
        f"{PRINCIPAL}: s3:PutObject on resource: arn:aws:s3:::b/k with an explicit deny in a resource-based policy",
        "an explicit Deny in the bucket policy",
    ),
    (
        f"{PRINCIPAL}: s3:PutObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the "
        "s3:PutObject action",
        "no statement of the caller's role/user policy allows it",
    ),
    (
        f"{PRINCIPAL}: s3:PutObject on resource: arn:aws:s3:::b/k with an explicit deny in a service control policy",
        "an explicit Deny in a service control policy (SCP) of your organization",
    ),
    (
        f"{PRINCIPAL}: s3:PutObject on resource: arn:aws:s3:::b/k because no permissions boundary allows the "
        "s3:PutObject action",
        "the permissions boundary of the role/user does not allow it",
    ),
    ("Access Denied", "AWS does not say which policy: check the caller's role/user policy, then the bucket policy"),
]


@pytest.mark.parametrize(("message", "cause"), CASES)
def test_the_policy_that_denied_is_named(message: str, cause: str) -> None:
    assert denial_cause(_denied("AccessDenied", message), "the bucket policy") == cause


def test_a_kms_denial_names_the_key_policy() -> None:
    error = _denied("KMS.AccessDeniedException", "The ciphertext refers to a customer master key that does not exist")
    assert denial_cause(error).startswith("the KMS key policy")


def test_a_probe_denial_carries_the_cause() -> None:
    message = f"{PRINCIPAL}: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:1:q with an explicit deny in a "
    message += "resource-based policy"

    def call() -> None:
        raise _denied("AccessDenied", message)

    result = allowed("brig permissions", "q", "sqs:SendMessage", call, resource_policy="the queue policy")
    assert result.status == "fail"
    assert result.message == "sqs:SendMessage denied: an explicit Deny in the queue policy"


def test_the_addressing_style_tried_is_named() -> None:
    error = EndpointConnectionError(endpoint_url="http://assets.localhost:4566/")
    assert addressing_hint(error, "virtual").startswith(
        "cannot connect with virtual addressing (http://assets.localhost:4566/)"
    )
    assert "assets.s3AddressingStyle: path" in addressing_hint(error, "auto")
    assert addressing_hint(error, "path").startswith("cannot connect with path addressing")
    assert addressing_hint(_denied("AccessDenied", "x"), "virtual") == ""
