"""A1's figures from measured runs (pure: nothing is timed here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.asset_copy import MIB, Measured, figures, parts, rclone_argv, tool_env


def _measured(tool: str, small: float, large: float) -> list[Measured]:
    by_name = {part.name: part for part in parts()}
    return [
        Measured(by_name["small"], tool, [small, small + 1], [small / 2, small / 4]),
        Measured(by_name["large"], tool, [large]),
    ]


def test_the_workload_is_the_issues() -> None:
    small, large = parts()
    assert (small.objects, small.size) == (400, 400 * 64 * 1024)
    assert (large.objects, large.size) == (66, 60 * MIB + 6 * 12 * MIB)


def test_ratios_compare_best_times_and_pass_at_one() -> None:
    found = {f.id: f for f in figures(_measured("migrate", 2.0, 1.0) + _measured("rclone", 3.0, 0.9))}
    assert found["A1.small.ratio"].value == 1.5 and found["A1.small.ratio"].passed is True
    assert found["A1.large.ratio"].passed is False
    assert found["A1.total.ratio"].value == 3.9 / 3.0
    assert found["A1.small.migrate.objects"].value == 200.0
    assert found["A1.small.migrate.cpu"].value == 0.5 and found["A1.small.migrate.cpu"].passed is None
    assert "A1.large.migrate.cpu" not in found  # no CPU measured: no figure


def test_without_rclone_the_ratio_is_skipped_and_says_why() -> None:
    found = {f.id: f for f in figures(_measured("migrate", 2.0, 1.0), "rclone not on PATH")}
    assert found["A1.total.ratio"].value == "skipped" and found["A1.total.ratio"].passed is None
    assert found["A1.total.ratio"].note == "rclone not on PATH"
    assert "A1.large.migrate.mib" in found


def test_rclone_copies_with_checksums_and_metadata() -> None:
    assert rclone_argv("rclone", "small") == ["rclone", "copy", "--checksum", "-M", "SRC:small", "DST:small"]


def test_the_tools_run_with_their_own_config_and_python_caches_its_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("AWS_PROFILE", "someone")
    env = tool_env("http://127.0.0.1:1", "http://127.0.0.1:2", tmp_path)
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "pycache")
    assert "AWS_PROFILE" not in env and env["RCLONE_CONFIG_DST_ENDPOINT"] == "http://127.0.0.1:2"
