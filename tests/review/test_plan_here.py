"""review/run.py: a tree whose program is the code running the review is planned in the review's own process,
with the same result as `python -m plan` in a process of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import plan.__main__
from review import run
from review.plan_cache import PLAN_CACHE_ENV
from review.run import release_tree, run_plan, runs_this_code

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def release_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with every stack's wire:release changed: the same code, other stack files."""
    return release_tree(ROOT, "2026-q1", tmp_path_factory.mktemp("release") / "tree")


def test_a_tree_with_this_code_and_other_stack_files_runs_this_code(release_copy: Path, tmp_path: Path) -> None:
    assert runs_this_code(ROOT)
    assert runs_this_code(release_copy)
    changed = release_tree(ROOT, "2026-q1", tmp_path / "changed")
    policies = changed / "components" / "aws" / "policies.py"
    policies.write_text(policies.read_text() + "\n")
    assert not runs_this_code(changed)


def test_a_plan_here_is_the_plan_of_its_own_process(
    release_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PLAN_CACHE_ENV, raising=False)  # both must run, not one restore the other
    here = run_plan(release_copy, "dev", tmp_path / "here", here=True)
    own_process = run_plan(release_copy, "dev", tmp_path / "process")
    assert here.error is None and here.plan["stack"] == "dev"
    assert here == own_process
    assert (tmp_path / "here" / "graph.mmd").read_text() == (tmp_path / "process" / "graph.mmd").read_text()


def test_a_failing_plan_here_reports_what_its_own_process_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PLAN_CACHE_ENV, raising=False)
    tree = release_tree(ROOT, "2026-q1", tmp_path / "tree")
    stack = tree / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text().replace("config:\n", "config:\n  wire:domian: example.com\n", 1))
    here = run_plan(tree, "dev", tmp_path / "out", here=True)
    own_process = run_plan(tree, "dev", tmp_path / "out")
    assert here.error is not None and "wire:domian is not a known key" in here.error
    assert here.error == own_process.error


def test_a_plan_that_raises_here_runs_in_its_own_process(
    release_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(argv: list[str]) -> int:
        raise RuntimeError("not this way")

    monkeypatch.setattr(plan.__main__, "main", broken)
    assert run.plan_here(release_copy, "dev", tmp_path / "out") is None
    ran: list[list[str]] = []
    monkeypatch.setattr(run.subprocess, "run", lambda command, **_: ran.append(command) or _Done())
    monkeypatch.delenv(PLAN_CACHE_ENV, raising=False)
    assert (
        run_plan(release_copy, "dev", tmp_path / "out", here=True).error
        == "$ -m plan --stack dev --out " + str(tmp_path / "out") + f"  (in {release_copy.name})\nboom"
    )
    assert ran and ran[0][0] == sys.executable


class _Done:
    returncode = 1
    stdout = ""
    stderr = "boom"
