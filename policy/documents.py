"""Policy documents (identity and resource policies) as the rules read them: statements, wildcards, principals."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policy.model import REDACTED, UNKNOWN


def parse_document(value: Any) -> Mapping[str, Any] | None:
    """A policy document from a JSON string or an object; None when absent, unknown or redacted."""
    if isinstance(value, Mapping):
        return value
    if not isinstance(value, str) or value in (UNKNOWN, REDACTED, ""):
        return None
    parsed = json.loads(value)  # a malformed document is a bug the caller reports
    return parsed if isinstance(parsed, Mapping) else None


def statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = document.get("Statement", [])
    if isinstance(found, Mapping):
        return [found]
    return [s for s in found if isinstance(s, Mapping)] if isinstance(found, list) else []


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def wildcard_actions(document: Mapping[str, Any]) -> list[str]:
    """Problems with the Allow statements of a document: `*`, `service:*` and `NotAction`.

    `service:*` is flagged too: a Wire service needs a handful of named actions, and `s3:*` on the assets
    bucket would also grant `s3:PutBucketPolicy` / `s3:DeleteBucket`. Deny statements may use wildcards
    (the TLS-only bucket policy denies `s3:*`).
    """
    problems = []
    for index, statement in enumerate(statements(document)):
        if statement.get("Effect") != "Allow":
            continue
        sid = statement.get("Sid") or f"Statement[{index}]"
        if "NotAction" in statement:
            problems.append(f"{sid} allows NotAction {statement['NotAction']!r} (everything except a list)")
        for action in as_list(statement.get("Action")):
            if not isinstance(action, str):
                continue
            if action == "*":
                problems.append(f"{sid} allows Action '*'")
            elif action.endswith(":*"):
                problems.append(f"{sid} allows every action of a service: '{action}'")
    return problems


def public_principals(document: Mapping[str, Any]) -> list[str]:
    """Allow statements of a trust policy that anyone can use: Principal `*` without a Condition."""
    problems = []
    for index, statement in enumerate(statements(document)):
        if statement.get("Effect") != "Allow" or statement.get("Condition"):
            continue
        principal = statement.get("Principal")
        values = as_list(principal)
        if isinstance(principal, Mapping):
            values = [v for value in principal.values() for v in as_list(value)]
        if "*" in values:
            sid = statement.get("Sid") or f"Statement[{index}]"
            problems.append(f"{sid} lets any principal assume the role (Principal '*' without a Condition)")
    return problems


def denies_insecure_transport(document: Mapping[str, Any]) -> bool:
    """A Deny statement conditioned on `aws:SecureTransport` being false (Bool or BoolIfExists)."""
    for statement in statements(document):
        if statement.get("Effect") != "Deny":
            continue
        condition = statement.get("Condition")
        if not isinstance(condition, Mapping):
            continue
        for operator in ("Bool", "BoolIfExists"):
            test = condition.get(operator)
            if isinstance(test, Mapping) and str(test.get("aws:SecureTransport")).lower() == "false":
                return True
    return False
