"""Issue 13.5: a bad outputs file or stack name is one clear message and exit 2, before any AWS call."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.verify import verify_stack as vs
from verify.cli import main
from verify.outputs import mismatches

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"awsRegion": vs.REGION, "awsAccountId": "123456789012", "gundeckQueueName": "dev-gundeck-events"}


@pytest.fixture
def stack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # No AWS call may happen: unreachable endpoints and no credentials would make one fail loudly.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "never-used")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "never-used")
    vs.write_stack(tmp_path, vs.values(), "http://127.0.0.1:9")
    return tmp_path


def _write(path: Path, content: bytes) -> str:
    path.write_bytes(content)
    return str(path)


CASES = {
    "missing": (lambda d: str(d / "nope.json"), "does not exist"),
    "directory": (lambda d: str(d), "is a directory"),
    "not json": (
        lambda d: _write(d / "o.json", b"Current stack outputs (3):\n  awsRegion  eu-west-1\n"),
        "is not JSON",
    ),
    "empty": (lambda d: _write(d / "o.json", b"  \n"), "is empty"),
    "utf-16": (lambda d: _write(d / "o.json", json.dumps(GOOD).encode("utf-16")), "is UTF-16"),
    "a list": (lambda d: _write(d / "o.json", b"[1, 2]"), "holds a JSON list"),
    "another region": (
        lambda d: _write(d / "o.json", json.dumps({**GOOD, "awsRegion": "us-east-1"}).encode()),
        "awsRegion is 'us-east-1', the stack file gives 'eu-west-1'",
    ),
    "another stack": (
        lambda d: _write(d / "o.json", json.dumps({**GOOD, "gundeckQueueName": "prod-gundeck-events"}).encode()),
        "gundeckQueueName is 'prod-gundeck-events', the stack file gives 'dev-gundeck-events'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_outputs_are_one_clear_message(case: str, stack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, expected = CASES[case]
    source = make(stack_dir)
    code = main(["--stack", "test", "--stack-dir", str(stack_dir), "--outputs", source])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("verify: ") and expected in captured.err
    assert source in captured.err  # the message names the file
    assert "Traceback" not in captured.err


def test_module_entry_point_never_shows_a_traceback(stack_dir: Path) -> None:
    for args in (["--outputs", str(stack_dir)], ["--outputs", "-"]):
        proc = subprocess.run(
            [sys.executable, "-m", "verify", "--stack", "test", "--stack-dir", str(stack_dir), *args],
            input=b"\xff\xfe{\x00}\x00",
            capture_output=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 2
        assert b"Traceback" not in proc.stderr and proc.stderr.count(b"\n") == 1, proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "verify", "--stack", "nope", "--stack-dir", str(stack_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == "verify: no stack file Pulumi.nope.yaml; known stacks: test\n"


def test_outputs_of_this_stack_raise_nothing() -> None:
    cfg = vs.config(vs.values())
    outputs = {
        **GOOD,
        "assetsBucketName": cfg.bucket_name,
        "prekeyTableName": "dev-brig-prekeys",
        "pushEventsTopicArn": "arn:aws:sns:eu-west-1:123456789012:dev-gundeck-events",
        "serviceRoleArns": {"brig": "arn:aws:iam::123456789012:role/dev-brig"},
        "serviceSecretAccessKeys": {"brig": "not-compared"},
    }
    assert mismatches(cfg, outputs) == []
    assert mismatches(cfg, {}) == []
    wrong = {**outputs, "pushEventsTopicArn": "arn:aws:sns:us-east-1:111122223333:dev-gundeck-events"}
    assert mismatches(cfg, wrong) == [
        "pushEventsTopicArn is in region us-east-1, the stack's aws:region is eu-west-1",
        "pushEventsTopicArn is in account 111122223333, awsAccountId is 123456789012",
    ]
    # The account the stack file names (its OIDC provider) must be the outputs' account.
    irsa = vs.config(
        vs.values(
            serviceCredentials={
                "mode": "irsa",
                "oidcProviderArn": "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB",
            }
        )
    )
    assert mismatches(irsa, GOOD) == ["awsAccountId is '123456789012', the stack file gives '210987654321'"]
