"""Does a queue's resource policy let a publisher (an SNS topic) send to it? A small, explicit evaluator.

Only what a queue policy for SNS delivery uses is understood: Principal (`*`, `{"AWS": "*"}`,
`{"Service": "sns.amazonaws.com"}`), Action and Resource with `*`/`?` wildcards, and conditions on
`aws:SourceArn` (ArnEquals, ArnLike, StringEquals, StringLike) and `aws:SourceAccount`. A statement
with any other condition is reported as not understood rather than guessed.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policy.documents import statements

SNS_PRINCIPAL = "sns.amazonaws.com"
_EXACT = ("ArnEquals", "StringEquals")
_LIKE = ("ArnLike", "StringLike")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def _matches(patterns: list[str], value: str, *, case_sensitive: bool = True) -> bool:
    if not case_sensitive:
        return any(fnmatch.fnmatchcase(value.lower(), pattern.lower()) for pattern in patterns)
    return any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns)


def _principal_is_sns(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return "*" in _as_list(principal.get("AWS")) or SNS_PRINCIPAL in _as_list(principal.get("Service"))
    return False


def _condition_holds(condition: Any, topic_arn: str) -> bool | None:
    """True/False when every condition is understood, None when one is not."""
    if not condition:
        return True
    if not isinstance(condition, Mapping):
        return None
    account = topic_arn.split(":")[4] if topic_arn.count(":") >= 5 else ""
    context = {"aws:sourcearn": topic_arn, "aws:sourceaccount": account}
    for operator, tests in condition.items():
        if operator not in _EXACT + _LIKE or not isinstance(tests, Mapping):
            return None
        for key, values in tests.items():
            actual = context.get(str(key).lower())
            if actual is None:
                return None
            wanted = _as_list(values)
            if operator in _EXACT and actual not in wanted:
                return False
            if operator in _LIKE and not _matches(wanted, actual):
                return False
    return True


def _applies(statement: Mapping[str, Any], queue_arn: str) -> bool:
    actions = _as_list(statement.get("Action"))
    resources = _as_list(statement.get("Resource")) or ["*"]
    return (
        _principal_is_sns(statement.get("Principal"))
        and _matches(actions, "sqs:SendMessage", case_sensitive=False)
        and _matches(resources, queue_arn)
    )


def publisher_may_send(policy_text: str | None, queue_arn: str, topic_arn: str) -> Verdict:
    if not policy_text:
        return Verdict(False, "the queue has no policy, so no SNS topic may send to it")
    try:
        document = json.loads(policy_text)
    except ValueError:
        return Verdict(False, "the queue policy is not valid JSON")
    allowing: list[str] = []
    unclear: list[str] = []
    for index, statement in enumerate(statements(document)):
        if not _applies(statement, queue_arn):
            continue
        sid = str(statement.get("Sid") or f"#{index}")
        holds = _condition_holds(statement.get("Condition"), topic_arn)
        if statement.get("Effect") == "Deny" and holds is not False:
            return Verdict(False, f"statement {sid} of the queue policy denies sqs:SendMessage from SNS")
        if statement.get("Effect") == "Allow":
            if holds:
                allowing.append(sid)
            elif holds is None:
                unclear.append(sid)
    if allowing:
        return Verdict(True, f"the queue policy (statement {allowing[0]}) lets {topic_arn} send")
    if unclear:
        return Verdict(
            False, f"statement {unclear[0]} has conditions verify cannot evaluate; allow {topic_arn} plainly"
        )
    return Verdict(
        False,
        f"no statement of the queue policy allows sns.amazonaws.com sqs:SendMessage with aws:SourceArn {topic_arn}",
    )


def denying_statement(policy_text: str | None, action: str, resource: str) -> str | None:
    """The statement of a resource policy that denies `action` on `resource` to everyone, described; or None.

    AWS's own message does not always say that a bucket policy denied (S3's plain "Access Denied"),
    so verify reads the policy and names the statement.
    """
    try:
        document = json.loads(policy_text or "")
    except ValueError:
        return None
    for index, statement in enumerate(statements(document)):
        principal = statement.get("Principal")
        everyone = principal == "*" or (isinstance(principal, Mapping) and "*" in _as_list(principal.get("AWS")))
        if statement.get("Effect") != "Deny" or not everyone:
            continue
        if not _matches(_as_list(statement.get("Action")), action, case_sensitive=False):
            continue
        if not _matches(_as_list(statement.get("Resource")) or ["*"], resource):
            continue
        sid = str(statement.get("Sid") or f"#{index}")
        condition = statement.get("Condition")
        when = f" when {json.dumps(condition, sort_keys=True)}" if condition else ""
        return f"statement {sid} of the bucket policy denies {action}{when}"
    return None
