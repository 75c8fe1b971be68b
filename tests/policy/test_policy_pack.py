"""The pack's wiring: the SDK policies call the rules, with unknown preview values and the stack context."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import unknown_checking_proxy

import policy.__main__ as pack
from policy import bucket_rules, model, resource_rules
from tests.policy.policy_fixtures import TLS_ONLY

UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown-string sentinel


def options(protect: bool = False, parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], parent)


def run_resource_policy(name: str, kind: str, props: dict, config: dict, protect: bool = False) -> list[str]:
    policy = next(p for p in pack.POLICIES if p.name == name)
    args = ResourceValidationArgs(
        kind, unknown_checking_proxy(props), f"urn:pulumi:prod::wire::{kind}::r", "r", options(protect), None, config
    )
    found: list[str] = []
    policy.validate(args, lambda message, urn=None: found.append(message))  # type: ignore[attr-defined]
    return found


def test_every_rule_is_a_mandatory_policy() -> None:
    expected = {r.name for r in resource_rules.RESOURCE_RULES} | {r.name for r in bucket_rules.STACK_RULES}
    assert {p.name for p in pack.POLICIES} == expected
    assert all(p.enforcement_level == EnforcementLevel.MANDATORY for p in pack.POLICIES)


def test_resource_policy_reports_and_pack_config_overrides_the_mode() -> None:
    values = {"values": {"gundeck": {"secrets": {"awsKeyId": "AKIA", "awsSecretKey": "s"}}}}
    assert len(run_resource_policy("no-static-keys-with-irsa", model.HELM_RELEASE, values, {"irsa": True})) == 2
    assert run_resource_policy("no-static-keys-with-irsa", model.HELM_RELEASE, values, {"irsa": False}) == []
    queue = {"name": "q", "sqsManagedSseEnabled": True}
    assert run_resource_policy("stateful-protected", model.QUEUE, queue, {"production": True}) != []
    assert run_resource_policy("stateful-protected", model.QUEUE, queue, {"production": True}, protect=True) == []


def test_unknown_values_in_a_preview_do_not_crash() -> None:
    # A new queue's redrive policy depends on the DLQ's ARN: unknown during the first preview.
    props = {"name": "q", "redrivePolicy": UNKNOWN_STRING, "kmsMasterKeyId": UNKNOWN_STRING}
    assert run_resource_policy("queue-has-dlq", model.QUEUE, props, {}) == []
    assert run_resource_policy("encrypted-at-rest", model.QUEUE, props, {}) == []


def test_stack_policy_matches_companions_by_dependency() -> None:
    bucket = PolicyResource(
        "aws:s3/bucket:Bucket", {"bucket": "b"}, "urn:b", "b", options(True, "urn:c"), None, None, [], {}
    )
    pab_props = {"bucket": UNKNOWN_STRING, **dict.fromkeys(bucket_rules.PAB_FLAGS, True)}
    pab = PolicyResource(
        model.BUCKET_PAB, unknown_checking_proxy(pab_props), "urn:p", "p", options(), None, None, [bucket], {}
    )
    tls = PolicyResource(
        model.BUCKET_POLICY,
        {"bucket": "b", "policy": json.dumps(TLS_ONLY)},
        "urn:t",
        "t",
        options(),
        None,
        None,
        [],
        {},
    )
    found: list[tuple[str, str | None]] = []
    for name in ("bucket-public-access-blocked", "bucket-denies-insecure-transport", "bucket-encrypted"):
        policy = next(p for p in pack.POLICIES if p.name == name)
        args = StackValidationArgs([bucket, pab, tls], {})
        policy.validate(args, lambda message, urn=None: found.append((message, urn)))  # type: ignore[attr-defined]
    assert found == [("bucket b has no server-side encryption configuration", "urn:b")]


def test_pack_starts_as_the_cli_runs_it() -> None:
    # The CLI runs `python -m pulumi.policy <engine> <pack dir>` in the pack directory; the pack then
    # serves the analyzer and prints its port. This catches import-path mistakes a unit test cannot.
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "pulumi.policy", "127.0.0.1:1", "."]
    process = subprocess.Popen(command, cwd=root / "policy", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.isdigit(), (line, process.stderr.read() if process.poll() is not None and process.stderr else "")
    finally:
        process.kill()
        process.wait(timeout=10)
