"""P5: the whole test suite exactly as `make test` runs it (parallel workers), timed once.

One run, not the best of several: the suite takes a minute or more, and a developer waits for one run. The
run starts from nothing kept by an earlier one (the render cache lives for one run, tests/conftest.py), so
the figure is what a fresh `make test` costs. Wall time is the target; the CPU time of every process of the
run (user + sys of the workers, helm, moto) says how much of it was other load on a shared machine.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.measure import children_cpu, user_env
from bench.report import Figure
from components.stackfile import PROJECT_ROOT

TESTS_MAX = 90.0  # seconds of wall time on the 2-core development machine
MAKE_TEST = ("make", "--no-print-directory", "-s", "test")
_SUMMARY = re.compile(r"\b(passed|failed|errors?|skipped|no tests ran)\b")


@dataclass(frozen=True)
class SuiteRun:
    wall: float
    cpu: float  # user + sys of every process of the run
    returncode: int
    summary: str  # pytest's last line: "5371 passed, 1 skipped in 80.12s"


def run_suite(command: Sequence[str] = MAKE_TEST, cwd: Path = PROJECT_ROOT) -> SuiteRun:
    before = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, check=False, env=user_env())
    wall = time.perf_counter() - start
    return SuiteRun(wall, children_cpu() - before, done.returncode, summary_line(done.stdout, done.stderr))


def summary_line(stdout: str, stderr: str = "") -> str:
    """pytest's closing line (counts and time), else the last line of the output."""
    lines = [line.strip("= ").strip() for line in (stdout + "\n" + stderr).splitlines() if line.strip()]
    found = [line for line in lines if _SUMMARY.search(line) and " in " in line]
    return (found or lines or ["no output"])[-1]


def suite_figures(run: SuiteRun, nproc: int | None) -> list[Figure]:
    """Wall time against the target (a failing suite fails it too), and the CPU time beside it."""
    ok = run.returncode == 0
    verdict = f"make test {'passed' if ok else f'exited {run.returncode}'}: {run.summary}"
    return [
        Figure(
            "P5.tests",
            "test suite (make test, wall)",
            run.wall,
            "s",
            f"<= {TESTS_MAX:g} s",
            ok and run.wall <= TESTS_MAX,
            f"{verdict}; {nproc or '?'} CPUs",
        ),
        Figure(
            "P5.tests_cpu",
            "test suite CPU time (user + sys, all processes)",
            run.cpu,
            "s",
            "",
            None,
            f"{run.cpu / run.wall:.2f} CPUs busy on average" if run.wall else "",
        ),
    ]
