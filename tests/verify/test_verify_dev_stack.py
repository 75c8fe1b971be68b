"""Issue 11.9: `make verify STACK=dev` against the emulator, with the stack file's own endpoints and keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.stackfile import PROJECT_ROOT, read_stack_file
from tests.verify import verify_stack as vs
from verify.cli import main

pytestmark = pytest.mark.moto
README_ENDPOINT = "http://localhost:4566"


def test_dev_stack_passes_its_own_verify(moto: str, tmp_path: Path, monkeypatch, capsys) -> None:
    text = (PROJECT_ROOT / "Pulumi.dev.yaml").read_text()
    assert README_ENDPOINT in text and "moto_server -H 0.0.0.0 -p 4566" in text
    # The README's emulator on its fixed port is this test's moto_server on a free one.
    (tmp_path / "Pulumi.dev.yaml").write_text(text.replace(README_ENDPOINT, moto.replace("127.0.0.1", "localhost")))
    cfg = read_stack_file("dev", tmp_path).load().config
    # With the TLS-only bucket policy of components/aws/assets.py (see the warning below).
    created = vs.provision(moto, cfg)
    # No ambient credentials at all: the stack's aws:accessKey/aws:secretKey must be what verify uses.
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(key, raising=False)

    code = main(["--stack", "dev", "--stack-dir", str(tmp_path), "--json"])
    results = json.loads(capsys.readouterr().out)
    assert [r for r in results if r["status"] == "fail"] == [] and code == 0
    warnings = {r["resource"]: r["message"] for r in results if r["status"] == "warn"}
    assert set(warnings) == {created.bucket, "dev"}
    assert "TLS-only Deny cannot be met over" in warnings[created.bucket]
    assert "no push.apps" in warnings["dev"]
    checked = {r["check"] for r in results}
    assert {"credentials", "gundeck queue", "brig internal queue", "brig prekeys", "cargohold bucket"} <= checked


def test_without_the_stack_keys_nothing_authenticates(moto: str, tmp_path: Path, monkeypatch, capsys) -> None:
    """The control for the test above: without the stack file's keys, the same run has no credentials."""
    text = (PROJECT_ROOT / "Pulumi.dev.yaml").read_text()
    text = text.replace("  aws:accessKey: test\n", "").replace("  aws:secretKey: test\n", "")
    (tmp_path / "Pulumi.dev.yaml").write_text(text.replace(README_ENDPOINT, moto))
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(key, raising=False)
    code = main(["--stack", "dev", "--stack-dir", str(tmp_path), "--json"])
    results = json.loads(capsys.readouterr().out)
    assert code == 1 and len(results) == 1
    assert results[0]["check"] == "credentials" and "NoCredentialsError" in results[0]["message"]
