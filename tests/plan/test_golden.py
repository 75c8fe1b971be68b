"""Golden copies of everything `make plan` writes for the committed stacks: plan.json, graph.mmd, values/.

A refactoring must leave these byte-identical. After an intended change, regenerate with

    UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/plan/test_golden.py

and review the diff of tests/plan/golden/ as a reviewer of the stack's preview would before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.evaluations import evaluate

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_plan_files_match_golden_copies(stack: str, tmp_path: Path) -> None:
    evaluate(stack).write(tmp_path)
    written = files_under(tmp_path)
    golden = GOLDEN / stack
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(tmp_path, golden)
    stored = files_under(golden)
    assert sorted(written) == sorted(stored), "files differ; UPDATE_GOLDEN=1 regenerates after review"
    for name, content in written.items():
        assert content == stored[name], f"{stack}/{name} differs from its golden copy; UPDATE_GOLDEN=1 regenerates"
