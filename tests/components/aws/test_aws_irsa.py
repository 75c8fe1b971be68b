"""One IRSA role builder for Wire's services and the cluster add-ons: trust in one service account, inline policy."""

from __future__ import annotations

import json

import pulumi

from components.aws.irsa import irsa_role
from plan.mocks import run_program
from tests.components.aws.aws_support import OIDC, config

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


class Holder(pulumi.ComponentResource):
    def __init__(self, policy: str | None) -> None:
        super().__init__("test:Holder", "holder")
        self.irsa = irsa_role(
            self, config(), name="thing", description="a thing", namespace="ns", service_account="sa", policy=policy
        )


def test_the_role_trusts_exactly_one_service_account_and_carries_the_policy() -> None:
    evaluation = run_program(lambda: Holder(POLICY))
    role = evaluation.one(ROLE, "prod-thing")
    assert role.parent == evaluation.one("test:Holder").urn
    assert role.inputs["description"] == "a thing (IRSA, service account ns/sa)"
    assert role.inputs["tags"] == {"Component": "thing"}
    [statement] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Federated": OIDC}
    assert "system:serviceaccount:ns:sa" in json.dumps(statement["Condition"])
    policy = evaluation.one(ROLE_POLICY, "prod-thing")
    assert (policy.inputs["name"], policy.inputs["policy"]) == ("prod-thing", POLICY)


def test_without_a_policy_only_the_role_is_made() -> None:
    evaluation = run_program(lambda: Holder(None))
    assert [r.name for r in evaluation.find(ROLE)] == ["prod-thing"]
    assert evaluation.find(ROLE_POLICY) == []
