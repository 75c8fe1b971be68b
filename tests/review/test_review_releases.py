"""`make review BASE_RELEASE=<release>`: what moving the stacks between two Wire releases changes, before `up`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from review.__main__ import main
from review.diff import MISSING, PropertyChange, diff_charts
from review.run import ReviewError, with_release

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "kubernetes:helm.sh/v3:Release"
WIRE = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"


def test_the_base_stack_file_gets_the_other_release() -> None:
    pinned = "config:\n  aws:region: eu-central-1\n  wire:release: 2026-q2\n  wire:domain: example.com\n"
    assert with_release(pinned, "2026-q1") == pinned.replace("2026-q2", "2026-q1")
    unpinned = "# comment\nconfig:\n  aws:region: eu-central-1\n"
    assert (
        with_release(unpinned, "2026-q1") == "# comment\nconfig:\n  wire:release: 2026-q1\n  aws:region: eu-central-1\n"
    )
    with pytest.raises(ReviewError):
        with_release("config: {}\n", "2026-q1")


def _plan(**versions: str) -> dict[str, Any]:
    resources = [
        {
            "type": RELEASE,
            "name": name,
            "inputs": {"name": name, "chart": name, "version": version, "repositoryOpts": {"repo": WIRE}},
        }
        for name, version in versions.items()
    ]
    return {"resources": resources}


def test_every_changed_chart_version_is_listed() -> None:
    base = _plan(**{"wire-server": "5.30.9", "webapp": "0.8.0-pre.2525", "account-pages": "0.9.0-pre.1"})
    head = _plan(**{"wire-server": "5.32.0", "account-pages": "0.9.0-pre.1", "team-settings": "0.16.0"})
    assert diff_charts(base, head) == [
        PropertyChange("team-settings", MISSING, f"team-settings 0.16.0 ({WIRE})"),
        PropertyChange("webapp", f"webapp 0.8.0-pre.2525 ({WIRE})", MISSING),
        PropertyChange("wire-server", f"wire-server 5.30.9 ({WIRE})", f"wire-server 5.32.0 ({WIRE})"),
    ]


def test_an_unknown_base_release_names_the_known_ones(capsys: Any) -> None:
    assert main(["--base-release", "2025-q9", "--stacks", "prod"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --base-release 2025-q9: not a Wire release this program knows; known releases: ")
    assert err.count("\n") == 1


def test_review_between_two_releases_shows_every_chart_that_moves(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "review", "--base-release", "2026-q1", "--stacks", "prod", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    comment = (tmp_path / "prod.md").read_text()
    assert "Base `wire:release 2026-q1` → head `working tree`" in comment
    assert "Wire release: `2026-q1 → 2026-q2`" in comment
    assert f"| `wire-server` | wire-server 5.30.9 ({WIRE}-develop) | wire-server 5.32.0 ({WIRE}) |" in comment
    assert "| `team-settings` | team-settings 0.12.0-pre.133" in comment
    assert "`account-pages`" not in comment  # the same in both releases
