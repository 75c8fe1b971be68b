"""`python -m migrate assets` as an operator runs it: killed and resumed, destination from the stack, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from migrate.cli import main
from tests.migrate.s3_support import DEST_REGION, PART, Asset, Buckets, data, few, next_second, uid
from tests.moto_support import free_port

pytestmark = pytest.mark.moto
ROOT = Path(__file__).resolve().parents[2]


def run_json(s3: Buckets, capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_killed_run_resumes_without_copying_a_finished_object_again(
    s3: Buckets, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two multipart objects first (keys sort first), then many small ones: the kill lands mid-run.
    items = [Asset(f"a/{uid(n)}", data(PART + 1, n)) for n in range(2)]
    items += [Asset(f"v3/eternal/{uid(n)}", data(10 * 1024, n), metadata={"user": uid(n)}) for n in range(2, 22)]
    s3.fill(items)
    process = subprocess.Popen(
        [sys.executable, "-m", "migrate", *s3.cli_args("--jobs", "1")],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (s3.journal.exists() and s3.journal.read_text().count("\n") >= 1):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    present = len(s3.destination.listing())
    assert 1 <= present < len(items)

    code, report = run_json(s3, capsys, s3.cli_args())

    assert code == 0, json.dumps(report)
    assert (report["copied"], report["skipped"], report["failed"]) == (len(items) - present, present, 0)
    assert s3.destination.listing() == sorted(asset.key for asset in items)
    assert s3.destination.uploads() == []
    for asset in items:
        assert s3.destination.body(asset.key) == asset.body


def _stack_dir(tmp: Path, endpoint: str) -> Path:
    """The dev stack (emulator endpoints and dummy keys in its aws: settings) pointed at the test's server."""
    text = (ROOT / "Pulumi.dev.yaml").read_text().replace("http://localhost:4566", endpoint)
    (tmp / "Pulumi.emu.yaml").write_text(text)
    return tmp


def test_the_destination_is_the_stacks_bucket_reached_with_the_stacks_endpoint_and_keys(
    s3: Buckets, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    items = few()
    s3.fill(items)
    # The run with --no-journal below decides the multipart object from Last-Modified alone (whole seconds):
    # the copy must land in a later second than the source, which a fast copy right after filling may not.
    next_second()
    # Only the stack file's aws:accessKey/secretKey can reach the destination now.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    stack = ["--stack", "emu", "--stack-dir", str(_stack_dir(s3.tmp, s3.destination.url))]
    source = ["assets", "--from", f"{s3.source.url}/{s3.source.bucket}", "--part-size", "5MiB"]

    code, report = run_json(s3, capsys, [*source, *stack, "--journal", str(s3.journal)])

    assert code == 0, json.dumps(report)
    assert report["destination"] == f"{s3.destination.url}/dev-wire-test-wire-assets"
    assert report["copied"] == len(items)
    assert s3.destination.listing() == sorted(asset.key for asset in items)

    # The stack's own outputs are read (the bucket `pulumi up` created is the one the config names) ...
    outputs = s3.tmp / "outputs.json"
    outputs.write_text(json.dumps({"assetsBucketName": "dev-wire-test-wire-assets", "awsRegion": DEST_REGION}))
    code, report = run_json(s3, capsys, [*source, *stack, "--outputs", str(outputs), "--no-journal"])
    assert code == 0, json.dumps(report)
    assert report["skipped"] == len(items)

    # ... another stack's are refused before anything is read, as verify and `migrate values` refuse them:
    # they would send the copy to that stack's bucket.
    outputs.write_text(json.dumps({"assetsBucketName": "staging-wire-assets", "awsRegion": "ap-south-1"}))
    capsys.readouterr()
    assert main([*source, *stack, "--outputs", str(outputs), "--no-journal"]) == 2
    err = capsys.readouterr().err
    assert (
        "are not stack emu's: " in err
        and "awsRegion is 'ap-south-1'" in err
        and "assetsBucketName is 'staging-wire-assets'" in err
    )
    assert "pulumi stack output -s emu --json --show-secrets" in err


def _bad(s3: Buckets, capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert expected in captured.err and "Traceback" not in captured.err
    assert "minio-secret" not in captured.err
    assert s3.destination.listing() == []


def test_bad_arguments_get_one_message_and_exit_code_2(
    s3: Buckets, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    s3.fill(few())
    args = s3.cli_args()
    source, dest = args.index("--from") + 1, args.index("--to-bucket") + 1

    def variant(position: int, value: str) -> list[str]:
        return [*args[:position], value, *args[position + 1 :]]

    _bad(s3, capsys, variant(source, f"{s3.source.url}/no-such-bucket"), "source bucket")
    _bad(s3, capsys, variant(source, f"http://127.0.0.1:{free_port()}/x"), "cannot reach the source bucket")
    _bad(s3, capsys, variant(source, "dummy-bucket"), "is not <endpoint>/<bucket>")
    _bad(s3, capsys, variant(dest, "no-such-bucket"), "run `pulumi up` first")
    endpoint = args.index("--to-endpoint") + 1
    _bad(s3, capsys, variant(endpoint, f"http://127.0.0.1:{free_port()}"), "cannot reach the destination bucket")
    _bad(s3, capsys, ["assets", "--from", f"{s3.source.url}/dummy-bucket", "--stack", "nope"], "no stack file")
    _bad(s3, capsys, ["assets", "--from", f"{s3.source.url}/dummy-bucket"], "--stack <stack>")
    monkeypatch.delenv("SOURCE_AWS_SECRET_ACCESS_KEY")
    _bad(s3, capsys, args, "SOURCE_AWS_SECRET_ACCESS_KEY")


def test_a_bad_option_value_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["assets", "--from", "http://localhost:9000/b", "--to-bucket", "b", "--part-size", "1MiB"])
    assert exit_info.value.code == 2
    assert "S3 parts are 5 MiB to 5 GiB" in capsys.readouterr().err
