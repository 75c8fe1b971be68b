"""`python -m plan` refuses bad arguments with one line on stderr and exit 2, before the evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plan.__main__ import main as plan_main
from plan.__main__ import unwritable


def run(capsys: Any, *args: str) -> tuple[int, str]:
    status = plan_main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.err


def test_out_pointing_at_a_file_is_refused(tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "plan.json"
    target.write_text("{}")
    status, err = run(capsys, "--stack", "dev", "--out", str(target))
    assert status == 2
    assert err == f"error: --out {target}: is a file, not a directory; give a directory (it is created if missing)\n"
    assert target.read_text() == "{}"


def test_out_below_a_file_is_refused(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "file").write_text("")
    status, err = run(capsys, "--stack", "dev", "--out", str(tmp_path / "file" / "plan"))
    assert status == 2
    assert err.startswith(f"error: --out {tmp_path / 'file' / 'plan'}: cannot create the directory (")
    assert err.count("\n") == 1


def test_an_unknown_stack_names_the_known_ones(tmp_path: Path, capsys: Any) -> None:
    status, err = run(capsys, "--stack", "staging", "--out", str(tmp_path))
    assert status == 2
    assert err == "error: no stack file Pulumi.staging.yaml; known stacks: dev, prod\n"


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_usable_out_directory_is_accepted_and_created(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "a" / "b" if kind == "missing" else tmp_path
    assert unwritable(out) is None
    assert out.is_dir()
