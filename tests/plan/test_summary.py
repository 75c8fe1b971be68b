"""The plan summary: what an operator reads at a glance after `make plan`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from components.config import StackConfig
from components.reference import rows
from components.stackfile import PROJECT_ROOT
from plan.__main__ import main as plan_main
from plan.summary import SECRET_HINTS, counts, hint_key, plain, secret_command, summary


@pytest.fixture(scope="module")
def prod_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("prod")
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--stack", "prod", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout, result.stderr, json.loads((out / "plan.json").read_text())


def test_each_warning_is_printed_once(prod_output: tuple[str, str, dict[str, Any]]) -> None:
    stdout, stderr, document = prod_output
    assert document["warnings"], "the prod example should carry a warning for this test to mean anything"
    for warning in document["warnings"]:
        assert (stdout + stderr).count(warning) == 1, warning


def test_providers_and_reads_are_not_counted_or_listed(prod_output: tuple[str, str, dict[str, Any]]) -> None:
    stdout, _, document = prod_output
    created, providers, reads = counts(document["resources"])
    # aws, aws-replica (the assets replica's region), kubernetes and random (the managed stores' passwords).
    assert providers == 4 and reads == 2
    assert created == sum(r["custom"] for r in document["resources"]) - 6
    assert f"stack 'prod': {created} resources in " in stdout.splitlines()[0]
    assert "counted as `make review` counts: AWS and Kubernetes resources; components, providers" in stdout
    assert "- aws aws" not in stdout and "- kubernetes kubernetes" not in stdout and "- random random" not in stdout
    assert "- Service (read) envoy-wire" in stdout


def test_dns_records_show_their_targets(prod_output: tuple[str, str, dict[str, Any]]) -> None:
    stdout, _, document = prod_output
    record = next(r for r in document["resources"] if r["inputs"].get("name") == "nginz-ssl.example.com")
    target = record["inputs"]["records"][0]
    assert f"  nginz-ssl.example.com CNAME -> {target}  (load balancer of Service cannon-nginz)" in stdout
    # The prod example deploys no federation: no federator record, no SRV record.
    assert "_wire-server-federator" not in stdout and "federator.example.com" not in stdout


def test_the_idle_cost_comes_from_the_bench_cost_model(prod_output: tuple[str, str, dict[str, Any]]) -> None:
    from bench.cost import idle_cost
    from bench.prices import load_prices

    stdout, _, document = prod_output
    values = {release: {} for release in document["values"]}
    cost = idle_cost(document, values, load_prices())
    unasked = cost.monthly(asked_for_by_config=False)
    assert f"  not asked for: {plain(unasked)} USD" in stdout
    assert "Monthly idle cost: " in stdout and "Network Load Balancer" in stdout


def test_the_storage_versions_and_the_replica_add_is_shown(prod_output: tuple[str, str, dict[str, Any]]) -> None:
    from bench.prices import load_prices
    from bench.storage_cost import storage_lines

    stdout, _, document = prod_output
    assert document["assetStorage"]["replica"] == {"region": "eu-west-1", "storageClass": "STANDARD"}
    lines = storage_lines(document["assetStorage"], load_prices(), plain)
    assert lines[0].startswith("Assets storage added by recovery (wire:assets.expectedStorage: 2000000 objects")
    assert all(line in stdout.splitlines() for line in lines)


def test_numbers_are_plain() -> None:
    assert plain(2e6) == "2000000"
    assert plain(20.0) == "20"
    assert plain(0.0008) == "0.0008"
    assert plain(True) == "true"
    assert plain([1.0, "a"]) == "1, a"


def _document(**overrides: Any) -> dict[str, Any]:
    provider = {
        "urn": "urn:p",
        "type": "pulumi:providers:aws",
        "name": "aws",
        "parent": None,
        "dependencies": [],
        "custom": True,
        "protect": False,
        "retainOnDelete": False,
        "read": False,
        "inputs": {},
    }
    document = {
        "stack": "edge",
        "resources": [provider],
        "outputs": {},
        "values": {},
        "warnings": ["w1"],
        "secretsToSet": [],
        "drain": "cannon drains at least 2000000 connections/s, 2000000 within the 1 s grace period",
    }
    return document | overrides


def test_a_warning_logged_by_the_program_and_in_the_plan_is_shown_once() -> None:
    text = summary(_document(), logged=["w1", "w2"])
    assert text.count("! w1") == 1 and text.count("! w2") == 1
    assert "2e+06" not in text


def test_secret_commands_name_the_stack_and_how_to_make_the_value() -> None:
    text = summary(_document(secretsToSet=["secrets.turnSecret", "push.apps[3].credential"]))
    assert "pulumi config set --secret --path 'wire:secrets.turnSecret' -s edge '<value>'" in text
    assert "openssl rand -hex 32" in text
    assert "pulumi config set --secret --path 'wire:push.apps[3].credential' -s edge < <file>" in text
    assert secret_command("assets.cloudFront.privateKey", "prod").endswith("-s prod < <file>")


def test_every_secret_of_the_configuration_has_a_hint() -> None:
    secret_paths = {key.removeprefix("wire:") for key, kind, _, _ in rows(StackConfig) if kind == "secret"}
    assert secret_paths == set(SECRET_HINTS), "add or drop a hint in plan/summary.py SECRET_HINTS"
    assert hint_key("push.apps[12].principal") == "push.apps[].principal"


def test_the_plan_does_not_import_the_cost_model_until_it_prints(tmp_path: Path, capsys: Any) -> None:
    probe = (
        "import sys, plan.__main__, plan.runner, plan.summary; print(any(m.startswith('bench') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
    assert plan_main(["--stack", "dev", "--out", str(tmp_path), "--quiet"]) == 0
    assert "Monthly idle cost" not in capsys.readouterr().out


def test_the_summary_names_the_wire_release_and_every_chart_that_differs_from_it() -> None:
    manifest = "https://github.com/wireapp/wire-builds/blob/abc/build.json"
    release = {"name": "2026-q2", "manifest": manifest, "chartOverrides": []}
    assert f"Wire release 2026-q2 ({manifest}): charts as released" in summary(_document(wireRelease=release))
    held = "wire-server: 5.29.5 from https://x (release: 5.32.0 from https://x)"
    text = summary(_document(wireRelease={**release, "chartOverrides": [held]}))
    assert "1 chart(s) differ from the release:" in text
    assert f"  ~ {held}" in text


def test_a_held_back_chart_is_in_the_plan(tmp_path: Path) -> None:
    from plan.runner import evaluate
    from tests.corpus import good_stacks, project_root

    root = project_root(tmp_path, {"held": good_stacks()["release-with-override"]})
    document = evaluate("held", root).document()
    assert document["wireRelease"]["name"] == "2026-q1"
    assert [line.split(":")[0] for line in document["wireRelease"]["chartOverrides"]] == ["wire-server"]
