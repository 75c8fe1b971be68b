"""The Makefile's install: the Python version gate runs before anything is installed, and a failed step
never leaves a stamp that marks the virtualenv good.

Each test runs the real Makefile in an empty directory (its requirements files copied), with a fake
interpreter: a shell script that prints the version it pretends to be and logs every call.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def fake_python(directory: Path, version: str, name: str = "python3") -> Path:
    """An interpreter that answers every command with `version` and logs its arguments."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f'#!/bin/sh\necho "$*" >> "{directory}/calls.log"\necho {version}\n')
    path.chmod(0o755)
    return path


def calls(python: Path) -> list[str]:
    log = python.parent / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    work = tmp_path / "project"
    work.mkdir()
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy2(ROOT / name, work / name)
    return work


def make(project: Path, *args: str, path: Path | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {"PATH": f"{path}:/usr/bin:/bin" if path else "/usr/bin:/bin", "HOME": str(project)}
    start = time.monotonic()
    done = subprocess.run(["make", "-C", str(project), *args], capture_output=True, text=True, env=env)
    return done, time.monotonic() - start


@pytest.mark.parametrize("target", ["plan", "test", "lint", "venv", "review"])
def test_python_3_10_is_refused_in_under_a_second_before_any_install(project: Path, target: str) -> None:
    python = fake_python(project.parent / "bin", "3.10", "python3.10")
    done, seconds = make(project, target, f"PYTHON={python}")
    assert done.returncode != 0
    assert f"'{python}' is Python 3.10; wire-infra needs Python >= 3.11" in done.stderr
    assert "make PYTHON=python3.12" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert seconds < 1.0
    assert calls(python) == ['-c import sys; print("%d.%d" % sys.version_info[:2])']  # asked its version only
    assert not (project / ".venv").exists()


def test_the_default_python3_on_path_is_checked_too(project: Path) -> None:
    bin_dir = project.parent / "bin"
    fake_python(bin_dir, "3.9")
    done, _ = make(project, "plan", path=bin_dir)
    assert done.returncode != 0
    assert "'python3' is Python 3.9; wire-infra needs Python >= 3.11" in done.stderr
    assert not (project / ".venv").exists()


def test_a_missing_interpreter_is_named(project: Path) -> None:
    done, _ = make(project, "plan", "PYTHON=python3.99")
    assert done.returncode != 0
    assert "cannot run 'python3.99'" in done.stderr
    assert not (project / ".venv").exists()


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13", "4.0"])
def test_a_new_enough_python_makes_the_venv_and_a_failed_step_leaves_no_stamp(project: Path, version: str) -> None:
    # The fake interpreter "creates" no venv, so the step after it fails: nothing may be marked done.
    python = fake_python(project.parent / "bin", version)
    done, _ = make(project, "plan", f"PYTHON={python}")
    assert done.returncode != 0
    assert "wire-infra needs" not in done.stderr
    assert "-m venv .venv" in calls(python)
    assert not list(project.glob(".venv/.*"))


def test_a_refused_interpreter_leaves_an_existing_venv_alone(project: Path) -> None:
    stamps = [project / ".venv" / name for name in (".created", ".runtime-installed", ".dev-installed")]
    for stamp in stamps:
        stamp.parent.mkdir(exist_ok=True)
        stamp.touch()
    python = fake_python(project.parent / "bin", "3.10", "python3.10")
    done, _ = make(project, "test", f"PYTHON={python}")
    assert done.returncode != 0
    assert "is Python 3.10" in done.stderr
    assert all(stamp.exists() for stamp in stamps)


def test_make_test_fails_when_no_test_ran(project: Path) -> None:
    # A ready venv (stamps newer than the requirements) whose python is ours, and a tests/ without tests.
    bin_dir = project / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    for stamp in (".created", ".dev-installed"):
        (project / ".venv" / stamp).touch()
    (project / "tests").mkdir()
    done, _ = make(project, "test")
    assert done.returncode != 0
    assert "no tests ran" in done.stdout
