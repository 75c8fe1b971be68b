"""The policy rules over the real offline plans of both stacks (`python -m plan`, Pulumi mocks, run as `review`
runs it: once per run for the project as it stands, review/plan_cache.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from policy import model, rules
from review.run import run_plan, stack_context

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict, model.Context]]:
    found = {}
    for stack in ("dev", "prod"):
        out = tmp_path_factory.mktemp(f"plan-{stack}")
        result = run_plan(ROOT, stack, out, here=True)
        assert result.error is None, result.error
        plan, values = rules.load_plan(out)
        found[stack] = (plan, values, stack_context(ROOT, stack))
    return found


def check(plan: dict, values: dict, ctx: model.Context) -> list[model.Violation]:
    return rules.check_plan(
        plan, irsa=ctx.irsa, production=ctx.production, values=values, static_key_exempt=ctx.static_key_exempt
    )


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_both_stacks_pass_every_policy(plans: dict, stack: str) -> None:
    plan, values, ctx = plans[stack]
    assert [str(v) for v in check(plan, values, ctx)] == []


def test_the_stack_modes_are_read_from_the_stack_files(plans: dict) -> None:
    assert plans["dev"][2] == model.Context(irsa=False, production=False)
    assert plans["prod"][2] == model.Context(irsa=True, production=True)


def test_the_rules_see_the_real_resources(plans: dict) -> None:
    # Guard against rules passing because a type token or input name drifted: each rule has work to do.
    prod, _, _ = plans["prod"]
    types = {r["type"] for r in prod["resources"]}
    assert {model.QUEUE, model.TOPIC, model.TABLE, model.BUCKET_PAB, model.BUCKET_POLICY, model.ROLE_POLICY} <= types
    assert types & model.BUCKETS and types & model.BUCKET_SSE and model.HELM_RELEASE in types


def test_dev_static_keys_would_be_flagged_under_irsa(plans: dict) -> None:
    plan, values, _ = plans["dev"]
    violations = rules.check_plan(plan, irsa=True, production=True, values=values)
    kinds = {v.policy for v in violations}
    assert kinds == {"no-static-keys-with-irsa", "stateful-protected"}
    assert any("awsKeyId" in v.message for v in violations)
    assert any("IAM access key" in v.message for v in violations)


def test_weakened_prod_plan_is_flagged(plans: dict) -> None:
    plan, values, ctx = copy.deepcopy(plans["prod"])
    for resource in plan["resources"]:
        if resource["type"] == model.BUCKET_PAB:
            resource["inputs"]["blockPublicPolicy"] = False
        if resource["type"] == model.ROLE_POLICY:
            document = json.loads(resource["inputs"]["policy"])
            document["Statement"][0]["Action"] = "*"
            resource["inputs"]["policy"] = json.dumps(document)
        if resource["type"] == model.TABLE:
            resource["protect"] = False
    kinds = {v.policy for v in check(plan, values, ctx)}
    assert kinds == {"bucket-public-access-blocked", "iam-no-wildcards", "stateful-protected"}
