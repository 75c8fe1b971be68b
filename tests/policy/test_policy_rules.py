"""The stack facts (`context_from_stack_config`) and every rule run over an offline plan (`check_plan`)."""

from __future__ import annotations

import pytest

from policy import model, rules
from policy.model import Context
from tests.policy.policy_fixtures import STATIC, allow, find, modified, names, secure_plan

# --- the stack context ---


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ({"environment": "prod"}, Context(irsa=True, production=True)),
        # Never from the environment's name: unstated is the strict default.
        ({"environment": "dev", "serviceCredentials": {"mode": "staticKeys"}}, Context(irsa=False, production=True)),
        ({"environment": "dev", "production": False}, Context(irsa=True, production=False)),
        ({"environment": "production", "production": "true"}, Context(irsa=True, production=True)),
        ({"environment": "prod", "production": "false"}, Context(irsa=True, production=False)),
        ({"environment": "stg", "production": True, "serviceCredentials": '{"mode": "irsa"}'}, Context()),
        ({"push": {"mode": "external"}}, Context(production=True, static_key_exempt=frozenset({"gundeck"}))),
    ],
)
def test_context_from_stack_config(wire: dict, expected: Context) -> None:
    assert rules.context_from_stack_config(wire) == expected


# --- stack rules and check_plan over a plan ---


def test_secure_plan_passes() -> None:
    assert rules.check_plan(secure_plan(), irsa=True, production=True) == []


def test_widened_iam_and_unprotected_table_are_flagged() -> None:
    plan = modified(secure_plan())
    find(plan, "prod-cargohold", model.ROLE_POLICY)["inputs"]["policy"] = allow("s3:*")
    find(plan, "prod-brig-prekeys")["protect"] = False
    assert names(rules.check_plan(plan, irsa=True, production=True)) == ["iam-no-wildcards", "stateful-protected"]
    assert rules.check_plan(plan, irsa=True, production=False)[0].policy == "iam-no-wildcards"


def test_static_keys_found_in_values_file_when_release_values_are_redacted() -> None:
    plan = modified(secure_plan())
    find(plan, "wire-server")["inputs"]["values"] = "[secret]"
    violations = rules.check_plan(plan, irsa=True, production=True, values={"wire-server": STATIC})
    assert names(violations) == ["no-static-keys-with-irsa"] * 2
    assert rules.check_plan(plan, irsa=False, production=True, values={"wire-server": STATIC}) == []


def test_violation_str_names_policy_and_urn() -> None:
    text = str(model.Violation("p", "m", "urn:x"))
    assert text == "[p] m (urn:x)"
