"""The review rules of the wire-infra policy pack, as plain functions, and how they run over an offline plan.

Every rule is a pure function over plain data, so the same code runs in three places:
  * the Pulumi policy pack (`policy/__main__.py`, `pulumi preview --policy-pack policy`),
  * the offline plan (`check_plan` over `plan.json`, used by the tests and by `python -m review`),
  * the unit tests (each rule called with passing and failing properties).

A resource rule is `(resource_type, props, opts) -> list[str]` (one message per problem, empty when
the resource passes); a stack rule is `(resources, ctx) -> list[Violation]`, for checks that need more
than one resource (a bucket and the resources that secure it). The resource rules are in resource_rules.py,
the stack rules in bucket_rules.py, what they see and report in model.py, policy documents in documents.py.

Two facts about the stack change what is allowed; they travel in `Context`:
  * `irsa`: the services authenticate with IAM roles for service accounts, so no helm release may carry
    static AWS keys (`awsKeyId` / `awsSecretKey`);
  * `production`: stateful resources (bucket, table, queues) must be `protect`ed.
`context_from_stack_config` derives both from the stack's `wire:` config exactly as the program does
(components/config/); the pack and the review command use it, or take explicit overrides.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from plan.files import load_plan
from policy.bucket_rules import STACK_RULES
from policy.model import HELM_RELEASE, Context, Resource, RuleOptions, Violation
from policy.resource_rules import RESOURCE_RULES

# --- stack facts -------------------------------------------------------------------------------------


def context_from_stack_config(wire: Mapping[str, Any]) -> Context:
    """The Context of a stack from its `wire:` config (keys without the prefix; objects parsed or JSON).

    Mirrors components/config/: `serviceCredentials.mode` defaults to irsa when the section is absent,
    `production` is stated by the stack (the program refuses a stack without it; here the strict
    default, production, stands in) and never follows the environment's name; external push carries
    Wire's static key.
    """
    credentials = _object(wire.get("serviceCredentials"))
    mode = credentials.get("mode", "irsa") if credentials is not None else "irsa"
    production = _boolean(wire.get("production"))
    if production is None:
        production = True
    push = _object(wire.get("push")) or {}
    exempt = frozenset({"gundeck"}) if push.get("mode") == "external" else frozenset()
    return Context(irsa=mode == "irsa", production=production, static_key_exempt=exempt)


def _object(value: Any) -> dict[str, Any] | None:
    # The Pulumi runtime hands objects over as JSON strings; a stack file read with YAML gives dicts.
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return dict(value) if isinstance(value, Mapping) else None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


# --- the offline plan --------------------------------------------------------------------------------


def plan_resources(plan: Mapping[str, Any]) -> list[Resource]:
    return [
        Resource(
            urn=r["urn"],
            type=r["type"],
            name=r.get("name", ""),
            props=r.get("inputs") or {},
            parent=r.get("parent"),
            dependencies=tuple(r.get("dependencies") or ()),
            protect=bool(r.get("protect")),
        )
        for r in plan.get("resources", [])
    ]


def release_name(resource: Resource) -> str:
    name = resource.props.get("name")
    return name if isinstance(name, str) and name else resource.name


def check_plan(
    plan: Mapping[str, Any],
    *,
    irsa: bool,
    production: bool,
    values: Mapping[str, Any] | None = None,
    static_key_exempt: Collection[str] = (),
) -> list[Violation]:
    """Every rule over an offline plan.

    `values` maps release name -> the release's values tree (the plan's per-leaf redacted
    `values/<release>.yaml`); it replaces a release's `values` input that is redacted as a whole.
    """
    ctx = Context(irsa=irsa, production=production, static_key_exempt=frozenset(static_key_exempt))
    resources = plan_resources(plan)
    violations: list[Violation] = []
    for resource in resources:
        props = resource.props
        if resource.type == HELM_RELEASE and values and release_name(resource) in values:
            props = {**props, "values": values[release_name(resource)]}
        opts = RuleOptions(protect=resource.protect, name=resource.name, ctx=ctx)
        for rule in RESOURCE_RULES:
            violations += [Violation(rule.name, m, resource.urn) for m in rule.check(resource.type, props, opts)]
    for stack_rule in STACK_RULES:
        violations += stack_rule.check(resources, ctx)
    return violations


def check_plan_dir(plan_dir: Path, ctx: Context) -> list[Violation]:
    plan, values = load_plan(plan_dir)
    return check_plan(
        plan, irsa=ctx.irsa, production=ctx.production, values=values, static_key_exempt=ctx.static_key_exempt
    )
