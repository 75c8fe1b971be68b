"""Every good stack of the corpus plans through the real CLI entry, and __main__ accepts its config."""

from __future__ import annotations

from pathlib import Path

import pytest

from plan.__main__ import main as plan_main
from tests.corpus import good_stacks, project_root

GOOD = good_stacks()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_root(tmp_path_factory.mktemp("good"), GOOD)


def test_the_good_corpus_covers_the_variant_matrix() -> None:
    assert len(GOOD) >= 15


@pytest.mark.parametrize("case", sorted(GOOD))
def test_good_stack_plans(root: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = plan_main(["--stack", case, "--root", str(root), "--out", str(root / "out" / case), "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert (root / "out" / case / "plan.json").exists()
