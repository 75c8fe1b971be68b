"""P1 registration floor: the figures from raw timings, finding the floor script, counting what it registers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import measure
from bench.__main__ import REGISTRATION_RATIO_MAX, cpu_note, custom_resources, registration_floor_figures


def test_registration_floor_figures_apply_the_target() -> None:
    figures = {f.id: f for f in registration_floor_figures(plan=1.2, floor=1.0, resources=64)}
    assert set(figures) == {"P1.registration_floor", "P1.registration_ratio"}
    assert figures["P1.registration_floor"].value == 1.0
    assert figures["P1.registration_floor"].passed is None
    assert "64 custom resources" in figures["P1.registration_floor"].note
    assert figures["P1.registration_ratio"].value == pytest.approx(1.2)
    assert figures["P1.registration_ratio"].target == f"<= {REGISTRATION_RATIO_MAX}x"
    assert figures["P1.registration_ratio"].passed is True

    missed = {f.id: f for f in registration_floor_figures(plan=1.6, floor=1.0, cpu="CPU time: 2.00 s")}
    assert missed["P1.registration_ratio"].value == pytest.approx(1.6)
    assert missed["P1.registration_ratio"].passed is False
    assert missed["P1.registration_ratio"].note == "CPU time: 2.00 s"
    # Exactly on the target passes.
    assert registration_floor_figures(plan=1.3, floor=1.0)[1].passed is True


def test_registration_floor_figures_say_skipped_without_a_script() -> None:
    figures = registration_floor_figures(plan=1.2, floor=None, skipped="no floor script (set P1_FLOOR)")
    assert [f.value for f in figures] == ["skipped", "skipped"]
    assert all(f.passed is None for f in figures)
    assert all(f.note == "skipped: no floor script (set P1_FLOOR)" for f in figures)
    assert figures[1].shown() == "skipped"


def test_cpu_note() -> None:
    assert cpu_note(2.6, 2.0) == "CPU time: 2.60 s / 2.00 s = 1.30x"
    assert cpu_note(None, 2.0) == ""
    assert cpu_note(2.0, 0.0) == ""


def test_floor_script_from_option_env_or_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "p1_floor.py"
    script.write_text("print('0.1 1')\n")
    missing = tmp_path / "nope.py"
    monkeypatch.setattr(measure, "P1_FLOOR_CANDIDATES", (missing,))

    assert measure.p1_floor_script(script, environ={}) == script
    assert measure.p1_floor_script(None, environ={"P1_FLOOR": str(script)}) == script
    # The option wins over the environment.
    assert measure.p1_floor_script(missing, environ={"P1_FLOOR": str(script)}) == f"--p1-floor {missing} is not a file"
    assert measure.p1_floor_script(None, environ={"P1_FLOOR": str(missing)}) == f"$P1_FLOOR {missing} is not a file"
    absent = measure.p1_floor_script(None, environ={})
    assert isinstance(absent, str)
    assert "P1_FLOOR" in absent

    monkeypatch.setattr(measure, "P1_FLOOR_CANDIDATES", (missing, script))
    assert measure.p1_floor_script(None, environ={}) == script
    assert measure.p1_floor_argv(script, tmp_path / "plan.json", "py") == [
        "py",
        str(script),
        str(tmp_path / "plan.json"),
    ]


def test_custom_resources_counts_what_the_floor_registers() -> None:
    document = {
        "resources": [
            {"type": "aws:sqs/queue:Queue", "custom": True},
            {"type": "kubernetes:helm.sh/v3:Release", "custom": True},
            {"type": "pulumi:providers:aws", "custom": True},
            {"type": "wire:aws:EncryptedQueue", "custom": False},
        ]
    }
    assert custom_resources(document) == 2
    assert custom_resources({}) == 0


def test_alternate_records_wall_and_cpu_per_run() -> None:
    quick = [sys.executable, "-c", "pass"]
    busy = [sys.executable, "-c", "sum(range(3_000_000))"]
    timings = measure.alternate([quick, busy], runs=2)
    assert [len(t.runs) for t in timings] == [2, 2]
    assert [len(t.cpu) for t in timings] == [2, 2]
    assert all(t.best_cpu is not None and t.best_cpu > 0 for t in timings)
    assert timings[1].best_cpu > timings[0].best_cpu  # type: ignore[operator]
    assert measure.Timing([1.0, 0.5]).best_cpu is None


def test_floor_plan_leaves_out_only_what_the_floor_cannot_import(tmp_path: Path) -> None:
    import json

    resources = [
        {"type": "aws:sqs/queue:Queue", "custom": True},
        {"type": "kubernetes:helm.sh/v3:Release", "custom": True},
        {"type": "kubernetes:core/v1:Service", "custom": True},
        {"type": "kubernetes:cert-manager.io/v1:ClusterIssuer", "custom": True},
        {"type": "kubernetes:metallb.io/v1beta1:IPAddressPool", "custom": True},
        {"type": "pulumi:providers:aws", "custom": True},
        {"type": "wire:aws:Queues", "custom": False},
    ]
    source, dest = tmp_path / "plan.json", tmp_path / "floor.json"
    source.write_text(json.dumps({"resources": resources, "outputs": {}}))
    assert measure.floor_plan(source, dest) == 2
    kept = json.loads(dest.read_text())
    assert [r["type"] for r in kept["resources"]] == [
        r["type"] for r in resources if r["type"].split(":")[1].split("/")[0] not in ("cert-manager.io", "metallb.io")
    ]
    assert kept["outputs"] == {}
    assert measure.floor_importable("aws:s3/bucket:Bucket")
    assert not measure.floor_importable("kubernetes:cert-manager.io/v1:ClusterIssuer")
    note = registration_floor_figures(plan=1.2, floor=1.0, resources=64, left_out=2)[0].note
    assert "64 custom resources less 2" in note
