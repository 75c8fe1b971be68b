"""A failed AWS call as a check result: access denied names the policy that denied it."""

from __future__ import annotations

from verify.aws import ACCESS_DENIED, denial_cause, describe, error_code
from verify.results import Result, fail


def denied_or(
    error: Exception,
    check: str,
    resource: str,
    action: str,
    otherwise: str,
    resource_policy: str = "the resource's policy",
) -> Result:
    if error_code(error) in ACCESS_DENIED:
        return fail(check, resource, f"access denied ({action}): {denial_cause(error, resource_policy)}")
    return fail(check, resource, f"{otherwise}: {describe(error)}")
