"""Every bad stack of the corpus is refused through the real CLI entry with one report naming every problem.

`make plan` (plan.__main__.main, in process; a few through a fresh process) and `make verify`
(verify.cli.main) must both exit non-zero without a traceback; the plan's report must name exactly the
problems of `<case>.expected`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plan.__main__ import main as plan_main
from tests.corpus import bad_stacks, expected_problems, project_root
from verify.cli import main as verify_main

BAD = bad_stacks()
HEADER = "The stack configuration has "


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_root(tmp_path_factory.mktemp("bad"), BAD)


def reported(err: str) -> list[str]:
    """The problem lines of a ConfigError report."""
    return [line.removeprefix("  - ") for line in err.splitlines() if line.startswith("  - ")]


def unmatched(expected: list[str], problems: list[str]) -> list[str]:
    """Expected lines without a problem of their own (each problem matches at most one expected line)."""
    left = list(problems)
    missing = []
    for line in expected:
        match = next((problem for problem in left if line in problem), None)
        if match is None:
            missing.append(line)
        else:
            left.remove(match)
    return missing


def test_the_bad_corpus_covers_every_section() -> None:
    assert len(BAD) >= 60
    for name, path in BAD.items():
        assert path.with_suffix(".expected").exists(), name
        assert expected_problems(path), name


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_stack_gets_one_report_naming_every_problem(
    root: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = plan_main(["--stack", case, "--root", str(root), "--out", str(root / "out" / case), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.count(HEADER) == 1, err
    expected = expected_problems(BAD[case])
    problems = reported(err)
    assert not unmatched(expected, problems), f"not reported: {unmatched(expected, problems)}\n{err}"
    assert len(problems) == len(expected), f"unexpected problems in the report:\n{err}"


@pytest.mark.parametrize("case", sorted(BAD))
def test_verify_refuses_the_bad_stack_without_a_traceback(
    root: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify_main(["--stack", case, "--stack-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and HEADER in err


@pytest.mark.parametrize("case", ["yaml-tab", "encoding-latin1", "many-problems-at-once", "guide-gundeck-aws"])
def test_a_fresh_process_reports_without_a_traceback(root: Path, case: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--stack", case, "--root", str(root), "--out", str(root / "fresh" / case)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not unmatched(expected_problems(BAD[case]), reported(result.stderr)), result.stderr
