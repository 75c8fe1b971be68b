"""Render tests skip with one line when helm or the pinned charts are missing (they fail instead in CI)."""

from __future__ import annotations

from typing import Any

from plan.render import ENABLE_HINT
from tests.render.render_support import SKIPPED, STAND_INS_USED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SKIPPED:
        reasons = "; ".join(sorted(SKIPPED))
        terminalreporter.write_line(f"render tests skipped ({reasons}): to run them, {ENABLE_HINT}")
    for line in sorted(STAND_INS_USED):
        terminalreporter.write_line(f"render tests: {line}")
