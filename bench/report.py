"""Figures, their targets and verdicts: the printed table and build/bench/results.json."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULTS_VERSION = 1


@dataclass(frozen=True)
class Figure:
    id: str  # "P1.overhead": stable, for scripts reading the JSON
    name: str
    value: float | int | str | None
    unit: str
    target: str
    passed: bool | None  # None: informational, no target
    note: str = ""

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        if isinstance(self.value, float):
            return f"{self.value:.3g} {self.unit}".strip() if abs(self.value) < 100 else f"{self.value:.0f} {self.unit}"
        return f"{self.value} {self.unit}".strip()


def verdict(passed: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "info"}[passed]


def table(figures: Sequence[Figure]) -> str:
    """A Markdown table: readable in a terminal, pasteable into docs/development.md."""
    rows = [("Figure", "Value", "Target", "Result")] + [
        (f"{f.id} {f.name}", f.shown(), f.target or "-", verdict(f.passed)) for f in figures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def results(figures: Sequence[Figure], machine: Mapping[str, Any], details: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON document: every figure with its target and verdict; `passed` is false if any target missed."""
    return {
        "version": RESULTS_VERSION,
        "passed": all(f.passed is not False for f in figures),
        "machine": dict(machine),
        "figures": [asdict(f) | {"result": verdict(f.passed)} for f in figures],
        "details": dict(details),
    }


def write_results(document: Mapping[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.json"
    path.write_text(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")
    return path
