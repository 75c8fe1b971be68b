"""review/plan_cache.py: a plan runs once per tree, stack, interpreter and environment while the folder is set."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from review import plan_cache
from review.plan_cache import PLAN_CACHE_ENV, plan_key
from review.run import run_plan
from tests import conftest


@pytest.fixture
def python(tmp_path: Path) -> tuple[str, Path]:
    """A stand-in for `python -m plan`: writes a plan naming the stack file's text, and counts its runs."""
    calls = tmp_path / "calls"
    script = tmp_path / "python"
    script.write_text(
        "#!/bin/sh\n"
        f'echo run >> "{calls}"\n'
        'mkdir -p "$6/values"\n'
        'printf \'{"resources": [], "stack": "%s"}\' "$(cat Pulumi.$4.yaml)" > "$6/plan.json"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script), calls


def runs(calls: Path) -> int:
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def tree(root: Path, stack_text: str = "config: {}") -> Path:
    (root / "components").mkdir(parents=True)
    (root / "components" / "x.py").write_text("X = 1\n")
    (root / "Pulumi.prod.yaml").write_text(stack_text)
    return root


def test_the_same_tree_plans_once_and_every_out_gets_the_plan(
    python: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary, calls = python
    monkeypatch.setenv(PLAN_CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    first = run_plan(tree(tmp_path / "a"), "prod", tmp_path / "out-a", python=binary)
    second = run_plan(tree(tmp_path / "b"), "prod", tmp_path / "out-b", python=binary)
    assert runs(calls) == 1
    assert first == second and first.plan["stack"] == "config: {}"
    assert json.loads((tmp_path / "out-b" / "plan.json").read_text()) == first.plan


def test_another_file_or_stack_file_plans_again(
    python: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary, calls = python
    monkeypatch.setenv(PLAN_CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    run_plan(tree(tmp_path / "a"), "prod", tmp_path / "out-a", python=binary)
    other = run_plan(tree(tmp_path / "b", "config: {wire:x: 1}"), "prod", tmp_path / "out-b", python=binary)
    assert other.plan["stack"] == "config: {wire:x: 1}"
    code = tree(tmp_path / "c")
    (code / "components" / "x.py").write_text("X = 2\n")
    run_plan(code, "prod", tmp_path / "out-c", python=binary)
    assert runs(calls) == 3


def test_the_key_reads_the_program_not_its_caches_nor_pytest_s_variables(tmp_path: Path) -> None:
    root = tree(tmp_path / "a")
    key = plan_key(root, "prod", "python", {"HOME": "/root"})
    (root / "components" / "__pycache__").mkdir()
    (root / "components" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    (root / ".hypothesis").mkdir()
    (root / ".hypothesis" / "examples").write_text("drawn")
    (root / ".git").write_text("gitdir: /elsewhere")  # a worktree's
    (root / "build").mkdir()
    (root / "build" / "plan.json").write_text("{}")
    assert plan_key(root, "prod", "python", {"HOME": "/root", "PYTEST_CURRENT_TEST": "t"}) == key
    assert plan_key(root, "dev", "python", {"HOME": "/root"}) != key
    assert plan_key(root, "prod", "python3", {"HOME": "/root"}) != key
    assert plan_key(root, "prod", "python", {"HOME": "/root", "WIRE_CHARTS_DIR": "/c"}) != key
    (root / "components" / "build").mkdir()  # only the top-level build/ is the plan's output
    (root / "components" / "build" / "y.py").write_text("")
    assert plan_key(root, "prod", "python", {"HOME": "/root"}) != key


def test_a_failed_plan_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PLAN_CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    failing = tmp_path / "python"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 1\n")
    failing.chmod(failing.stat().st_mode | stat.S_IXUSR)
    result = run_plan(tree(tmp_path / "a"), "prod", tmp_path / "out", python=str(failing))
    assert result.error is not None and "broken" in result.error
    assert os.listdir(tmp_path / "cache") == []


def test_without_the_folder_every_plan_runs(
    python: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary, calls = python
    monkeypatch.delenv(PLAN_CACHE_ENV, raising=False)
    assert plan_cache.cache_dir() is None
    run_plan(tree(tmp_path / "a"), "prod", tmp_path / "out-a", python=binary)
    run_plan(tree(tmp_path / "b"), "prod", tmp_path / "out-b", python=binary)
    assert runs(calls) == 2


def test_the_test_run_sets_the_folder_review_reads() -> None:
    assert conftest.PLAN_CACHE_ENV == PLAN_CACHE_ENV
