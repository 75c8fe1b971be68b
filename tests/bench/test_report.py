"""Pure parts of the benchmark: scaling fit and verdicts, figures, results JSON, P3 details, stack generation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.__main__ import (
    cost_figures,
    critical_path_details,
    critical_path_figures,
    evaluation_figures,
    scaling_figures,
)
from bench.cost import CostItem, IdleCost
from bench.measure import extra_records, floor_argv, plan_argv, scaled_root, sdk_modules, with_extra_records
from bench.report import Figure, results, table, write_results
from bench.scaling import fit_line, scaling
from components.stackfile import PROJECT_ROOT


def test_fit_line_recovers_slope_and_r2() -> None:
    fit = fit_line([(0, 1.0), (10, 1.1), (50, 1.5), (200, 3.0)])
    assert fit.slope == pytest.approx(0.01)
    assert fit.intercept == pytest.approx(1.0)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.max_residual == pytest.approx(0.0, abs=1e-12)
    assert fit_line([(0, 2.0), (10, 2.0)]).r2 == 1.0
    with pytest.raises(ValueError):
        fit_line([(0, 1.0)])
    with pytest.raises(ValueError):
        fit_line([(5, 1.0), (5, 2.0)])


def test_scaling_verdicts_linear_quadratic_and_flat_noise() -> None:
    floor = 1.0
    linear = scaling([(0, 2.0), (10, 2.01), (50, 2.05), (200, 2.2)], floor)
    assert linear.linear
    assert linear.ms_per_item == pytest.approx(1.0)
    assert linear.growth_at_50 == pytest.approx(1.05)

    quadratic = scaling([(n, 2.0 + (n / 20) ** 2) for n in (0, 10, 50, 200)], floor)
    assert not quadratic.linear
    assert quadratic.growth_at_50 == pytest.approx(7.25)

    # A few ms of jitter on a flat line: R^2 means nothing, the residuals say "within noise".
    flat = scaling([(0, 2.0), (10, 2.03), (50, 1.99), (200, 2.01)], floor)
    assert flat.linear

    with pytest.raises(ValueError, match="base"):
        scaling([(10, 2.0), (50, 2.1)], floor)


def test_evaluation_and_scaling_figures_apply_the_targets() -> None:
    passed = {f.id: f.passed for f in evaluation_figures(plan=1.5, floor=1.2, modules=400)}
    assert passed == {"P1.plan": None, "P1.floor": None, "P1.overhead": True, "P1.ratio": True}
    failed = {f.id: f.passed for f in evaluation_figures(plan=3.0, floor=1.5, modules=400)}
    assert failed["P1.overhead"] is False
    assert failed["P1.ratio"] is False
    figures = {f.id: f for f in scaling_figures(scaling([(0, 2.0), (10, 2.1), (50, 2.5), (200, 4.0)], 1.0))}
    assert set(figures) == {"P2.plan+10", "P2.plan+50", "P2.plan+200", "P2.per_item", "P2.growth50", "P2.linear"}
    assert figures["P2.growth50"].value == pytest.approx(1.5)
    assert figures["P2.growth50"].passed is True
    assert figures["P2.linear"].passed is True


def _resource(
    type_: str, name: str, deps: tuple[str, ...] = (), inputs: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:t::wire::{type_}::{name}",
        "type": type_,
        "name": name,
        "parent": None,
        "dependencies": list(deps),
        "custom": True,
        "read": False,
        "inputs": inputs or {},
    }


def test_critical_path_details_flag_ses_and_dns_on_any_longest_chain() -> None:
    identity = _resource("aws:sesv2/emailIdentity:EmailIdentity", "example.com")
    policy = _resource("aws:iam/rolePolicy:RolePolicy", "brig", (identity["urn"],))
    record = _resource("aws:route53/record:Record", "www")
    release = _resource("kubernetes:helm.sh/v3:Release", "wire-server", (policy["urn"],), {"name": "wire-server"})
    details = critical_path_details({"resources": [identity, policy, record, release]})
    assert details["before_release"] == 2
    assert details["ses_or_dns_on_it"] == [identity["urn"]]
    assert details["shown"] == "EmailIdentity example.com -> RolePolicy brig -> Release wire-server"
    chain, ses = critical_path_figures(details)
    assert (chain.value, chain.passed) == (2, True)
    assert (ses.value, ses.passed) == (1, False)

    missing = critical_path_details({"resources": [record]})
    assert missing["chain"] == []
    assert critical_path_figures(missing)[0].passed is False


def test_cost_figures_fail_on_unrequested_or_unpriced_items() -> None:
    nlb = CostItem("release x: svc", "nlb", "NLB", 30.0, True, "values")
    key = CostItem("urn:key", "kms_key", "KMS key", 1.0, False, "a key")
    ok = {f.id: f for f in cost_figures(IdleCost(idle=[nlb], usage_only={}, unpriced=[]))}
    assert (ok["P4.idle"].value, ok["P4.idle"].passed) == (0, True)
    assert ok["P4.asked"].value == 30.0
    bad = {f.id: f for f in cost_figures(IdleCost(idle=[nlb, key], usage_only={}, unpriced=[]))}
    assert (bad["P4.idle"].value, bad["P4.idle"].passed) == (1.0, False)
    assert "urn:key" in bad["P4.idle"].note
    unknown = {f.id: f for f in cost_figures(IdleCost(idle=[], usage_only={}, unpriced=["urn:x"]))}
    assert unknown["P4.idle"].passed is False


def test_results_json_shape_and_table(tmp_path: Path) -> None:
    figures = [
        Figure("P1.overhead", "evaluation overhead", 0.42, "s", "<= 0.5 s", True),
        Figure("P1.floor", "import floor", 1.234, "s", "", None, "note"),
        Figure("P5.tests", "test suite", 61.0, "s", "<= 60 s", False),
    ]
    document = results(figures, {"nproc": 2, "cpu": "x", "python": "3.11.7"}, {"stack": "prod"})
    path = write_results(document, tmp_path / "bench")
    loaded = json.loads(path.read_text())
    assert path.name == "results.json"
    assert loaded["version"] == 1
    assert loaded["passed"] is False
    assert loaded["machine"]["nproc"] == 2
    assert loaded["details"] == {"stack": "prod"}
    assert [f["id"] for f in loaded["figures"]] == ["P1.overhead", "P1.floor", "P5.tests"]
    assert set(loaded["figures"][0]) == {"id", "name", "value", "unit", "target", "passed", "note", "result"}
    assert [f["result"] for f in loaded["figures"]] == ["pass", "info", "FAIL"]
    assert results(figures[:2], {}, {})["passed"] is True

    lines = table(figures).splitlines()
    assert len(lines) == 2 + len(figures)
    assert len({len(line) for line in lines}) == 1  # aligned columns
    assert "| FAIL" in lines[-1]
    assert "0.42 s" in lines[2]


def test_generated_stack_adds_records_and_keeps_secure_values(tmp_path: Path) -> None:
    document = {"config": {"wire:dns": {"zoneId": "Z1", "extraRecords": [{"name": "x"}]}, "wire:s": {"secure": "v1"}}}
    scaled = with_extra_records(document, 3)
    assert len(scaled["config"]["wire:dns"]["extraRecords"]) == 4
    assert scaled["config"]["wire:s"] == {"secure": "v1"}
    assert len(document["config"]["wire:dns"]["extraRecords"]) == 1  # the input is not modified
    assert len({r["name"] for r in extra_records(300)}) == 300
    with pytest.raises(ValueError, match="dns"):
        with_extra_records({"config": {}}, 1)

    root = scaled_root(tmp_path, "prod", 5)
    assert (root / "__main__.py").resolve() == (PROJECT_ROOT / "__main__.py").resolve()
    generated = yaml.safe_load((root / "Pulumi.prod.yaml").read_text())
    original = yaml.safe_load((PROJECT_ROOT / "Pulumi.prod.yaml").read_text())
    added = len(generated["config"]["wire:dns"].get("extraRecords", []))
    assert added == len(original["config"]["wire:dns"].get("extraRecords", [])) + 5


def test_command_lines() -> None:
    assert plan_argv("prod", Path("/o"), python="py") == [
        "py",
        "-m",
        "plan",
        "--stack",
        "prod",
        "--out",
        "/o",
        "--quiet",
    ]
    assert plan_argv("prod", Path("/o"), Path("/r"), python="py")[-2:] == ["--root", "/r"]
    argv = floor_argv(["pulumi", "pulumi_aws.s3"], python="py")
    assert argv[:2] == ["py", "-c"]
    compile(argv[2], "<floor>", "exec")  # a valid script that names every module
    assert "'pulumi_aws.s3'" in argv[2]


def test_the_import_floor_imports_what_the_plan_executed() -> None:
    # pulumi_aws.config (an _ExportableConfig once run) must come before its submodules, or they fail to import.
    modules = sdk_modules("dev")
    assert {"pulumi_aws.config", "pulumi_aws.config.vars"} <= set(modules)
    done = subprocess.run(floor_argv(modules), cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_cli_help_smoke() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    for flag in ("--runs", "--skip-tests", "--sizes", "--out", "--strict"):
        assert flag in done.stdout
