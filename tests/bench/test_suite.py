"""P5: the test-suite figure (bench/suite.py), without running the suite."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.suite import TESTS_MAX, SuiteRun, run_suite, suite_figures, summary_line


def test_the_summary_is_pytests_closing_line() -> None:
    out = "....\n[gw0] node down\n==== 5371 passed, 2 skipped in 81.20s (0:01:21) ====\n"
    assert summary_line(out) == "5371 passed, 2 skipped in 81.20s (0:01:21)"
    assert summary_line("", "no tests ran in 2.1s\n") == "no tests ran in 2.1s"
    assert summary_line("make: *** [Makefile:70: test] Error 2\n") == "make: *** [Makefile:70: test] Error 2"
    assert summary_line("") == "no output"


def test_the_target_is_wall_time_and_a_failing_suite_fails_it() -> None:
    fast = {f.id: f for f in suite_figures(SuiteRun(80.0, 150.0, 0, "5371 passed in 80s"), 2)}
    assert fast["P5.tests"].passed is True
    assert fast["P5.tests"].target == f"<= {TESTS_MAX:g} s"
    assert "5371 passed" in fast["P5.tests"].note
    assert fast["P5.tests_cpu"].value == 150.0
    assert "1.88 CPUs" in fast["P5.tests_cpu"].note
    slow = {f.id: f for f in suite_figures(SuiteRun(TESTS_MAX + 1, 150.0, 0, ""), 2)}
    assert slow["P5.tests"].passed is False
    failing = {f.id: f for f in suite_figures(SuiteRun(10.0, 15.0, 1, "1 failed, 5370 passed in 10s"), 2)}
    assert failing["P5.tests"].passed is False
    assert "exited 1" in failing["P5.tests"].note


def test_a_run_is_timed_with_its_children_cpu(tmp_path: Path) -> None:
    spin = "import time\nend = time.process_time() + 0.2\nwhile time.process_time() < end: pass\n"
    spin += "print('1 passed in 0.2s')"
    run = run_suite([sys.executable, "-c", spin], cwd=tmp_path)
    assert run.returncode == 0
    assert run.summary == "1 passed in 0.2s"
    assert run.cpu >= 0.15
    assert run.wall >= run.cpu * 0.5
