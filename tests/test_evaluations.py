"""tests/evaluations.py: a kept evaluation is the evaluation, and every caller gets a copy of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from plan import runner
from tests import evaluations


def test_a_kept_evaluation_is_the_evaluation_and_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(evaluations.EVALUATION_CACHE_ENV, str(tmp_path))
    first = evaluations.evaluate("dev", preview=True)
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    evaluated = []
    monkeypatch.setattr(runner, "evaluate", lambda *args, **kwargs: evaluated.append(args))
    second = evaluations.evaluate("dev", preview=True)
    assert not evaluated  # read from the folder
    assert second is not first and second.document() == first.document() and second.values == first.values
    assert second.preview and second.warnings == first.warnings
    second.values.clear()
    assert evaluations.evaluate("dev", preview=True).values == first.values
