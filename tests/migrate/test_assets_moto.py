"""The asset copy against two real S3 APIs (moto_server): nothing lost, nothing duplicated, faults caught."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from typing import Any

import pytest

from migrate.cli import main
from migrate.report import Report, Status
from tests.migrate.s3_support import PART, Asset, Buckets, Faulty, Flip, assets, data, uid

pytestmark = pytest.mark.moto


def assert_copied_exactly(s3: Buckets, items: list[Asset]) -> None:
    """The destination holds every asset with its bytes, content type and metadata, and nothing else."""
    assert s3.destination.keys() == sorted(asset.key for asset in items)
    for asset in items:
        head = s3.destination.head(asset.key)
        assert s3.destination.body(asset.key) == asset.body, asset.key
        assert head["ContentType"] == asset.content_type
        assert head["Metadata"] == asset.metadata
        assert head.get("ContentDisposition") == asset.extra.get("ContentDisposition")
        assert head.get("ChecksumSHA256"), f"{asset.key}: no checksum stored"
    assert s3.destination.uploads() == []


def counts(report: Report) -> tuple[int, int, int]:
    return report.counts[Status.COPIED], report.counts[Status.SKIPPED], report.counts[Status.FAILED]


def cli(s3: Buckets, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(s3.cli_args("--json", *extra))
    return code, json.loads(capsys.readouterr().out)


def test_copies_every_asset_with_its_key_and_metadata_then_a_second_run_copies_nothing(
    s3: Buckets, capsys: pytest.CaptureFixture[str]
) -> None:
    items = assets()
    s3.fill(items)
    total = sum(len(asset.body) for asset in items)

    code, report = cli(s3, capsys)

    assert code == 0, json.dumps(report)
    assert (report["listed"], report["copied"], report["skipped"], report["failed"]) == (len(items), len(items), 0, 0)
    assert (report["listedBytes"], report["copiedBytes"]) == (total, total)
    assert_copied_exactly(s3, items)
    # A multipart copy carries the composite checksum of its three parts (moto's HEAD leaves off the "-3").
    body = items[5].body
    digests = b"".join(hashlib.sha256(body[start : start + PART]).digest() for start in range(0, len(body), PART))
    composite = base64.b64encode(hashlib.sha256(digests).digest()).decode()
    assert s3.destination.head(items[5].key)["ChecksumSHA256"].removesuffix("-3") == composite
    before = {key: s3.destination.head(key)["LastModified"] for key in s3.destination.keys()}

    code, report = cli(s3, capsys)

    assert code == 0, json.dumps(report)
    assert (report["copied"], report["skipped"], report["failed"], report["copiedBytes"]) == (0, len(items), 0, 0)
    assert report["skippedBytes"] == total
    assert {key: s3.destination.head(key)["LastModified"] for key in s3.destination.keys()} == before


def test_dry_run_lists_what_it_would_copy_and_writes_nothing(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    items = assets()
    s3.fill(items)
    capsys.readouterr()

    code = main(s3.cli_args("--dry-run"))

    out = capsys.readouterr().out
    assert code == 0
    assert s3.destination.keys() == []
    assert not s3.journal.exists()
    listed = sorted(line.split(" ", 3)[2] for line in out.splitlines() if line.startswith("would copy: "))
    assert listed == sorted(asset.key for asset in items)
    assert f"would copy {len(items)} " in out and "nothing written" in out
