"""IAM: each Wire service's and add-on's identity exists, carries its policy and (IRSA) trusts exactly its pods."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from verify.aws import AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected_resources import IdentityTarget
from verify.results import Result, fail, ok

NO_SUCH_ENTITY = "NoSuchEntity"


def _canonical(value: Any) -> Any:
    """A policy document compared by meaning: one-element lists as their element, lists in any order."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return items[0] if len(items) == 1 else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _document(raw: Any) -> Any:
    # boto3 decodes IAM's URL-encoded documents; a raw response may still be the encoded string.
    return json.loads(unquote(raw)) if isinstance(raw, str) else raw


def identity(iam: Any, target: IdentityTarget, *, access_key_id: str | None = None) -> list[Result]:
    check = f"{target.owner} identity"
    if target.kind == "role":
        return _role(iam, target, check)
    return _user(iam, target, check, access_key_id)


def _who(target: IdentityTarget) -> str:
    return f"{target.owner}'s pods" if target.kind == "role" else f"{target.owner}'s access key"


def _role(iam: Any, target: IdentityTarget, check: str) -> list[Result]:
    try:
        role = iam.get_role(RoleName=target.name)["Role"]
    except AwsError as error:
        if error_code(error) == NO_SUCH_ENTITY:
            return [fail(check, target.name, f"role missing: {_who(target)} get no AWS credentials; pulumi up")]
        return [denied_or(error, check, target.name, "iam:GetRole", "cannot read the role")]
    results = [_trust(role, target, check), *_inline_policy(iam, target, check)]
    return results


def _trust(role: dict[str, Any], target: IdentityTarget, check: str) -> Result:
    live = _document(role.get("AssumeRolePolicyDocument"))
    if _canonical(live) == _canonical(target.trust):
        return ok(check, target.name, f"trusts only {_subject(target.trust)}")
    return fail(
        check,
        target.name,
        f"the trust policy is not the program's: it trusts {_subject(live)}, {target.owner} needs exactly "
        f"{_subject(target.trust)}; its pods cannot assume the role (or others can); pulumi up restores it",
    )


def _subject(document: Any) -> str:
    """`<provider> for <sub>` of each statement: what decides who may assume the role."""
    parts = []
    for statement in _canonical_statements(document):
        provider = (statement.get("Principal") or {}).get("Federated", statement.get("Principal"))
        conditions = statement.get("Condition") or {}
        subs = [value for tests in conditions.values() for key, value in tests.items() if str(key).endswith(":sub")]
        parts.append(f"{provider} for {', '.join(map(str, subs)) or 'any subject'}")
    return "; ".join(parts) or "nobody"


def _canonical_statements(document: Any) -> list[dict[str, Any]]:
    found = (document or {}).get("Statement", []) if isinstance(document, dict) else []
    return [item for item in (found if isinstance(found, list) else [found]) if isinstance(item, dict)]


def _inline_policy(iam: Any, target: IdentityTarget, check: str) -> list[Result]:
    if target.policy is None:
        return [ok(check, target.name, "no policy, as the program sets it (no AWS calls)")]
    try:
        if target.kind == "role":
            found = iam.get_role_policy(RoleName=target.name, PolicyName=target.policy)
        else:
            found = iam.get_user_policy(UserName=target.name, PolicyName=target.policy)
    except AwsError as error:
        if error_code(error) == NO_SUCH_ENTITY:
            return [
                fail(
                    check,
                    target.name,
                    f"inline policy {target.policy} missing: every AWS call of {target.owner} is denied; pulumi up",
                )
            ]
        return [denied_or(error, check, target.name, f"iam:Get{target.kind.title()}Policy", "cannot read the policy")]
    live = _document(found.get("PolicyDocument"))
    if target.document is not None and _canonical(live) != _canonical(target.document):
        return [
            fail(
                check,
                target.name,
                f"inline policy {target.policy} is not the program's ({_difference(live, target.document)}): "
                f"calls of {target.owner} may be denied, or more allowed than it needs; pulumi up restores it",
            )
        ]
    return [ok(check, target.name, f"carries its policy {target.policy}")]


def _actions(document: Any) -> set[str]:
    actions: set[str] = set()
    for statement in _canonical_statements(document):
        if statement.get("Effect") == "Allow":
            found = statement.get("Action", [])
            actions |= set(found if isinstance(found, list) else [found])
    return actions


def _difference(live: Any, wanted: Any) -> str:
    missing, extra = sorted(_actions(wanted) - _actions(live)), sorted(_actions(live) - _actions(wanted))
    parts = ([f"lacks {', '.join(missing)}"] if missing else []) + ([f"adds {', '.join(extra)}"] if extra else [])
    return "; ".join(parts) or "other resources or conditions"


def _user(iam: Any, target: IdentityTarget, check: str, access_key_id: str | None) -> list[Result]:
    try:
        iam.get_user(UserName=target.name)
        keys = iam.list_access_keys(UserName=target.name)["AccessKeyMetadata"]
    except AwsError as error:
        if error_code(error) == NO_SUCH_ENTITY:
            return [fail(check, target.name, f"user missing: {_who(target)} is refused; pulumi up")]
        return [denied_or(error, check, target.name, "iam:GetUser", "cannot read the user")]
    active = [key["AccessKeyId"] for key in keys if key.get("Status") == "Active"]
    wanted = access_key_id or (active[0] if active else None)
    if wanted not in active:
        state = "inactive or deleted" if wanted else "none is active"
        key_result = fail(
            check,
            target.name,
            f"access key {wanted or ''} {state}: {target.owner} is refused; pulumi up (a new key rolls the release)",
        )
    else:
        key_result = ok(check, target.name, f"access key {wanted} active")
    return [key_result, *_inline_policy(iam, target, check)]
