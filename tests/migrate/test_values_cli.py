"""`python -m migrate values` on the command line: files written, and one clear line for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.cli import main
from plan.registrations import reveal_secrets
from plan.runner import evaluate


@pytest.fixture(scope="module")
def prod_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "outputs.json"
    path.write_text(json.dumps(reveal_secrets(evaluate("prod").evaluation.stack_outputs)))
    return path


def test_writes_the_files_without_secrets(prod_outputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["values", "--stack", "prod", "--outputs", str(prod_outputs), "--out", str(tmp_path), "--no-secrets"])
    assert code == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "wire-server.yaml" in written and not [name for name in written if name.endswith(".secrets.yaml")]
    assert "secrets left out" in capsys.readouterr().out


def test_encrypted_secrets_without_decrypted_config_are_refused(
    prod_outputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["values", "--stack", "prod", "--outputs", str(prod_outputs), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "still encrypted" in err and "--config" in err and "Traceback" not in err


def test_another_stacks_outputs_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outputs = tmp_path / "dev.json"
    outputs.write_text(json.dumps(reveal_secrets(evaluate("dev").evaluation.stack_outputs)))
    assert main(["values", "--stack", "prod", "--outputs", str(outputs), "--out", str(tmp_path / "v")]) == 2
    err = capsys.readouterr().err
    assert "not stack prod's" in err and "awsRegion" in err


def test_bad_config_file_is_named(prod_outputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = tmp_path / "config.json"
    config.write_text("not json")
    argv = ["values", "--stack", "prod", "--outputs", str(prod_outputs), "--config", str(config), "--out", "x"]
    assert main(argv) == 2
    assert f"config file {config}" in capsys.readouterr().err
