"""No secret from an operator's values files reaches a plan file in clear.

wire-server-deploy's secrets files layered as `secretFiles` stay secrets: none of their values appears in
any file `make plan` writes. Listed under `files` (plain values) they are refused before anything is
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from plan.__main__ import main as plan_main
from tests.corpus import VALUES_FILES, bad_stacks, good_stacks, project_root

DEPLOY = VALUES_FILES["wire-server-deploy"]
SECRETS_FILES = ("wire-server.prod-secrets.example.yaml", "team-settings.prod-secrets.example.yaml")
PLAIN_FILES = ("wire-server.prod-values.example.yaml", "team-settings.prod-values.example.yaml")


def strings(tree: Any) -> set[str]:
    if isinstance(tree, dict):
        return {text for value in tree.values() for text in strings(value)}
    if isinstance(tree, list):
        return {text for value in tree for text in strings(value)}
    return {tree} if isinstance(tree, str) else set()


def secret_values() -> set[str]:
    """The secrets files' values that could only come from them (not short, not also in a plain file)."""
    plain = "".join((DEPLOY / name).read_text() for name in PLAIN_FILES)
    found = set()
    for name in SECRETS_FILES:
        found |= strings(yaml.safe_load((DEPLOY / name).read_text()))
    return {text for text in found if len(text) >= 6 and text not in plain}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cases = ("layered-wire-server-deploy", "layered-secrets-file-under-files")
    stacks = {**good_stacks(), **bad_stacks()}
    return project_root(tmp_path_factory.mktemp("plain"), {case: stacks[case] for case in cases})


def test_the_secrets_files_hold_the_secrets_this_test_looks_for() -> None:
    values = secret_values()
    assert {"verysecurepassword", "dummyPassword", "<private key>"} <= values
    assert any("BEGIN PRIVATE KEY" in value for value in values), "the MLS removal keys"


def test_no_secret_of_a_secrets_file_reaches_a_plan_file(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = root / "out" / "good"
    assert plan_main(["--stack", "layered-wire-server-deploy", "--root", str(root), "--out", str(out), "--quiet"]) == 0
    written = [path for path in out.rglob("*") if path.is_file()]
    assert any(path.name == "plan.json" for path in written) and any(path.suffix == ".yaml" for path in written)
    text = {path.relative_to(out).as_posix(): path.read_text(encoding="utf-8") for path in written}
    leaked = {(name, value) for name, body in text.items() for value in secret_values() if value in body}
    assert not leaked, sorted(leaked)
    assert "Traceback" not in capsys.readouterr().err


def test_a_secrets_file_under_files_is_refused_before_anything_is_written(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = root / "out" / "bad"
    code = plan_main(["--stack", "layered-secrets-file-under-files", "--root", str(root), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        "list wire-server-deploy/wire-server.prod-secrets.example.yaml under wire:layeredValues.secretFiles.wireServer"
        in err
    )
    for key in (
        "galley.secrets.mlsPrivateKeys.removal.ed25519",
        "nginz.secrets.basicAuth",
        "brig.secrets.zAuth.privateKeys",
        "brig.secrets.turn.secret",
        "galley.secrets.rabbitmq.password",
    ):
        assert f"{key} (line " in err, key
    assert not out.exists() or not any(out.rglob("*"))
    assert "verysecurepassword" not in err
