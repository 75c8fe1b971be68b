"""The wire-infra policy pack: `pulumi preview --policy-pack policy` (locally or in CI).

The rules live in `policy/resource_rules.py` and `policy/bucket_rules.py` as plain functions (how they run:
`policy/rules.py`); this module only adapts them to the policy SDK.

How the pack knows the stack's mode (IRSA or static keys; production or not):
  1. pack config, when given: `pulumi preview --policy-pack policy --policy-pack-config cfg.json` with
     `{"no-static-keys-with-irsa": {"irsa": false}, "stateful-protected": {"production": true}}`;
  2. otherwise the stack's own config, which the engine hands to the pack: `wire:serviceCredentials.mode`,
     `wire:production`, `wire:push.mode` (read with `pulumi.Config`, interpreted by
     `rules.context_from_stack_config` exactly like the program does);
  3. without either, the strict default: IRSA and production.
The offline plan (`rules.check_plan`) takes the same two facts as explicit arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

# The CLI runs this file with `policy/` as the working directory; the rules are imported as the
# `policy` package (as the tests and `python -m review` do), so the project root goes on the path.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from policy import bucket_rules, model, resource_rules, rules  # noqa: E402

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "irsa": {"type": "boolean", "description": "The services use IRSA (no static keys allowed)."},
        "production": {"type": "boolean", "description": "Production stack (stateful resources protected)."},
    }
)


def plain(value: Any) -> Any:
    """Copy of the SDK's props with unknown values (preview) as `model.UNKNOWN` instead of raising."""
    if isinstance(value, Mapping):
        copy = {}
        for key in value:
            try:
                copy[key] = plain(value[key])
            except UnknownValueError:
                copy[key] = model.UNKNOWN
        return copy
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items = []
        for index in range(len(value)):
            try:
                items.append(plain(value[index]))
            except UnknownValueError:
                items.append(model.UNKNOWN)
        return items
    return value


def stack_context(policy_config: Mapping[str, Any]) -> model.Context:
    """Stack config first, pack config overriding; see the module docstring."""
    wire = pulumi.Config("wire")
    stack_config = {
        key: wire.get(key) for key in ("serviceCredentials", "production", "environment", "push") if wire.get(key)
    }
    ctx = rules.context_from_stack_config(stack_config) if stack_config else model.Context()
    return model.Context(
        irsa=bool(policy_config.get("irsa", ctx.irsa)),
        production=bool(policy_config.get("production", ctx.production)),
        static_key_exempt=ctx.static_key_exempt,
    )


def resource_policy(rule: model.ResourceRule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        opts = model.RuleOptions(protect=args.opts.protect, name=args.name, ctx=stack_context(args.get_config()))
        for message in rule.check(args.resource_type, plain(args.props), opts):
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=CONFIG_SCHEMA,
    )


def to_resource(resource: PolicyResource) -> model.Resource:
    return model.Resource(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        props=plain(resource.props),
        parent=resource.opts.parent,
        dependencies=tuple(dependency.urn for dependency in resource.dependencies),
        protect=resource.opts.protect,
    )


def stack_policy(rule: model.StackRule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [to_resource(resource) for resource in args.resources]
        for violation in rule.check(resources, stack_context(args.get_config())):
            report_violation(violation.message, violation.urn)

    return StackValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=CONFIG_SCHEMA,
    )


POLICIES: list[Policy] = [
    *(resource_policy(rule) for rule in resource_rules.RESOURCE_RULES),
    *(stack_policy(rule) for rule in bucket_rules.STACK_RULES),
]

# Only when the CLI runs the pack: importing this module (tests) must not start the analyzer server.
if __name__ == "__main__":
    PolicyPack(name="wire-infra", policies=POLICIES, enforcement_level=EnforcementLevel.MANDATORY)
