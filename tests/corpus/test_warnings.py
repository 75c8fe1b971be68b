"""Good stacks that must plan with particular warnings (`good/<case>.warnings`): valid input is never refused,
and a key with no effect, or a value left over from the examples, gets a warning naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from plan.runner import evaluate
from tests.corpus import expected_warnings, good_stacks, project_root
from tests.corpus.test_bad import unmatched

GOOD = good_stacks()
WITH_WARNINGS = sorted(case for case, path in GOOD.items() if expected_warnings(path))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_root(tmp_path_factory.mktemp("warned"), GOOD)


def warnings_of(root: Path, case: str) -> list[str]:
    """The plan's warnings: the configuration's, and those only the computed values tell (overrides)."""
    return evaluate(case, root).warnings


def test_some_good_stacks_expect_warnings() -> None:
    assert len(WITH_WARNINGS) >= 4


@pytest.mark.parametrize("case", WITH_WARNINGS)
def test_good_stack_warns_about_each_expected_key(root: Path, case: str) -> None:
    warnings = warnings_of(root, case)
    missing = unmatched(expected_warnings(GOOD[case]), warnings)
    assert not missing, f"not warned: {missing}\nwarnings: {warnings}"
