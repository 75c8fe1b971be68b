"""Does a resource policy let a publisher in? A queue's policy an SNS topic, a KMS key's policy an AWS service.

A small, explicit evaluator. Only what such policies use is understood: Principal (`*`, `{"AWS": "*"}`,
`{"Service": "<service>.amazonaws.com"}`), Action and Resource with `*`/`?` wildcards, and conditions on
`aws:SourceArn` (ArnEquals, ArnLike, StringEquals, StringLike, also `...IfExists`) and `aws:SourceAccount`.
A statement with any other condition is reported as not understood rather than guessed.
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


def _principal_is_service(principal: Any, service: str) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return "*" in _as_list(principal.get("AWS")) or service in _as_list(principal.get("Service"))
    return False


def _condition_holds(condition: Any, context: Mapping[str, str]) -> bool | None:
    """True/False when every condition is understood, None when one is not.

    `context` holds the request's keys in lower case (aws:sourcearn, aws:sourceaccount). `...IfExists`
    operators are evaluated as their base operator: the publishers verify asks about send these keys.
    """
    if not condition:
        return True
    if not isinstance(condition, Mapping):
        return None
    for operator, tests in condition.items():
        base = str(operator).removesuffix("IfExists")
        if base not in _EXACT + _LIKE or not isinstance(tests, Mapping):
            return None
        for key, values in tests.items():
            actual = context.get(str(key).lower())
            if actual is None:
                return None
            wanted = _as_list(values)
            if base in _EXACT and actual not in wanted:
                return False
            if base in _LIKE and not _matches(wanted, actual):
                return False
    return True


def _source(topic_arn: str) -> dict[str, str]:
    account = topic_arn.split(":")[4] if topic_arn.count(":") >= 5 else ""
    return {"aws:sourcearn": topic_arn, "aws:sourceaccount": account}


def _applies(statement: Mapping[str, Any], queue_arn: str) -> bool:
    actions = _as_list(statement.get("Action"))
    resources = _as_list(statement.get("Resource")) or ["*"]
    return (
        _principal_is_service(statement.get("Principal"), SNS_PRINCIPAL)
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
        holds = _condition_holds(statement.get("Condition"), _source(topic_arn))
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


def service_may_use_key(policy_text: str | None, service: str, actions: list[str], source_arn: str) -> Verdict:
    """Does a KMS key policy let `service` (a publisher such as ses.amazonaws.com) make every one of `actions`?

    Evaluated for a request from `source_arn` in its account, as the service sends it on our behalf.
    """
    try:
        document = json.loads(policy_text or "")
    except ValueError:
        return Verdict(False, "the key policy is not valid JSON")
    context = _source(source_arn)
    missing = []
    for action in actions:
        allowing = unclear = None
        for index, statement in enumerate(statements(document)):
            if not _principal_is_service(statement.get("Principal"), service):
                continue
            if not _matches(_as_list(statement.get("Action")), action, case_sensitive=False):
                continue
            sid = str(statement.get("Sid") or f"#{index}")
            holds = _condition_holds(statement.get("Condition"), context)
            if statement.get("Effect") == "Deny" and holds is not False:
                return Verdict(False, f"statement {sid} of the key policy denies {action} to {service}")
            if statement.get("Effect") == "Allow":
                if holds:
                    allowing = allowing or sid
                elif holds is None:
                    unclear = unclear or sid
        if allowing is None:
            missing.append(
                f"{action} (statement {unclear} has conditions verify cannot evaluate)" if unclear else action
            )
    if missing:
        return Verdict(False, f"the key policy does not let {service} use {', '.join(missing)} for {source_arn}")
    return Verdict(True, f"the key policy lets {service} use {', '.join(actions)}")
