"""The pure parts of a copy: checksums as S3 spells them, part layout, the journal, sizes, reports."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest

from migrate.checksums import StreamDigest, checksum_value, composite_sha256, etag_md5, md5_b64, plain_md5
from migrate.cli import part_size
from migrate.endpoints import ArgumentProblem, source_endpoint
from migrate.journal import Entry, Journal
from migrate.progress import Progress
from migrate.report import Outcome, Report, Status
from migrate.transfer import MAX_PARTS, MIB, part_size_for, ranges


def test_stream_digest_matches_hashlib_and_the_composite_form() -> None:
    parts = [b"a" * 10, b"b" * 7]
    digest = StreamDigest()
    for part in parts:
        assert digest.add_part(part) == base64.b64encode(hashlib.sha256(part).digest()).decode()
    whole = b"".join(parts)
    assert digest.md5_hex == hashlib.md5(whole).hexdigest()
    assert digest.sha256 == base64.b64encode(hashlib.sha256(whole).digest()).decode()
    inner = hashlib.sha256(hashlib.sha256(parts[0]).digest() + hashlib.sha256(parts[1]).digest()).digest()
    assert digest.s3_checksum(multipart=True) == base64.b64encode(inner).decode() + "-2"
    assert digest.s3_checksum(multipart=False) == digest.sha256
    assert composite_sha256(digest.part_digests) == digest.s3_checksum(multipart=True)
    assert checksum_value(digest.s3_checksum(multipart=True)) == base64.b64encode(inner).decode()


@pytest.mark.parametrize(
    ("etag", "md5"),
    [
        ('"d41d8cd98f00b204e9800998ecf8427e"', "d41d8cd98f00b204e9800998ecf8427e"),
        ("D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"),
        ('"d41d8cd98f00b204e9800998ecf8427e-2"', None),  # multipart: not a content MD5
        ("", None),
        (None, None),
    ],
)
def test_plain_md5(etag: str | None, md5: str | None) -> None:
    assert plain_md5(etag) == md5


MD5 = "9e107d9d372bb6826bd81d3542a419d6"


@pytest.mark.parametrize(
    ("answer", "md5"),
    [
        ({"ETag": f'"{MD5}"'}, MD5),
        ({"ETag": f'"{MD5}"', "ServerSideEncryption": "AES256"}, MD5),  # SSE-S3: still the content's MD5
        ({"ETag": f'"{MD5}"', "ServerSideEncryption": "aws:kms"}, None),  # looks like an MD5, is not one
        ({"ETag": f'"{MD5}"', "ServerSideEncryption": "aws:kms:dsse"}, None),
        ({"ETag": f'"{MD5}"', "SSECustomerAlgorithm": "AES256"}, None),
        ({"ETag": f'"{MD5}-3"'}, None),
        ({}, None),
    ],
)
def test_an_etag_stands_for_the_content_md5_only_without_sse_kms_or_sse_c(answer: dict, md5: str | None) -> None:
    assert etag_md5(answer) == md5


def test_content_md5_is_the_base64_of_the_digest() -> None:
    assert md5_b64(hashlib.md5(b"").hexdigest()) == base64.b64encode(hashlib.md5(b"").digest()).decode()


def test_parts_cover_the_object_exactly_once() -> None:
    assert list(ranges(11, 5)) == [(0, 4), (5, 9), (10, 10)]
    assert list(ranges(10, 5)) == [(0, 4), (5, 9)]
    assert list(ranges(0, 5)) == []


def test_the_part_size_grows_for_an_object_beyond_ten_thousand_parts() -> None:
    assert part_size_for(100 * MIB, 16 * MIB) == 16 * MIB
    assert part_size_for(MAX_PARTS * 16 * MIB, 16 * MIB) == 16 * MIB
    assert part_size_for(MAX_PARTS * 16 * MIB + 1, 16 * MIB) == 32 * MIB


@pytest.mark.parametrize(
    ("text", "size"), [("16MiB", 16 * MIB), ("5m", 5 * MIB), ("5242880", 5 * MIB), ("1GiB", 1024 * MIB)]
)
def test_part_size_option(text: str, size: int) -> None:
    assert part_size(text) == size


@pytest.mark.parametrize("text", ["4MiB", "6GiB", "lots", "-5MiB"])
def test_part_size_option_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        part_size(text)


def test_the_journal_survives_a_torn_last_line_and_the_last_entry_wins(tmp_path: Path) -> None:
    path = tmp_path / "j" / "journal.jsonl"
    journal = Journal(path, writable=True)
    journal.record(Entry("k1", "e1", 1, "d1", "s1"))
    journal.record(Entry("k2", "e2", 2, "d2", "s2"))
    journal.record(Entry("k1", "e3", 3, "d3", "s3"))
    with path.open("a") as file:
        file.write('{"key": "k3", "source_et')  # the crash
    reread = Journal(path, writable=False)
    assert len(reread) == 2
    assert reread.get("k1") == Entry("k1", "e3", 3, "d3", "s3")
    assert reread.get("k3") is None


def test_a_journal_written_before_copies_were_verified_by_md5_is_read(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    old = {"key": "k", "source_etag": "e", "size": 1, "dest_etag": "d", "checksum_sha256": "q83v"}
    path.write_text(json.dumps(old) + "\n")
    assert Journal(path, writable=False).get("k") == Entry("k", "e", 1, "d", "sha256:q83v")


def test_a_read_only_journal_writes_nothing(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl", writable=False)
    journal.record(Entry("k", "e", 1, "d", "s"))
    assert journal.get("k") is not None
    assert not (tmp_path / "journal.jsonl").exists()


def test_the_report_counts_exactly_and_fails_on_any_failure() -> None:
    report = Report("http://localhost:9000/b", "s3://dest")
    report.listed, report.listed_bytes = 3, 30
    report.add(Outcome("a", Status.COPIED, 10, "new"))
    report.add(Outcome("b", Status.SKIPPED, 20, "same MD5"))
    assert report.ok
    assert "copied 1 (10 B, 10 bytes), skipped 1 (20 B), failed 0" in report.text()
    report.add(Outcome("c", Status.FAILED, 0, "boom"))
    data = json.loads(report.json())
    assert (data["copied"], data["copiedBytes"], data["skipped"], data["failed"], data["ok"]) == (1, 10, 1, 1, False)
    assert "FAILED c: boom" in report.text() and "run the same command again" in report.text()


def test_an_interrupted_report_is_not_ok() -> None:
    report = Report("src", "dst")
    report.incomplete = "interrupted"
    assert not report.ok


@pytest.mark.parametrize("value", ["localhost:9000/b", "http://localhost:9000", "http://localhost:9000/b/c", "s3://b"])
def test_the_source_must_be_an_endpoint_and_a_bucket(value: str) -> None:
    with pytest.raises(ArgumentProblem, match="<endpoint>/<bucket>"):
        source_endpoint(value, region="us-east-1", access_key="k", secret_key="s")


def test_the_source_label_never_shows_its_keys() -> None:
    endpoint = source_endpoint("http://localhost:9000/b/", region="us-east-1", access_key="k", secret_key="sekrit")
    assert (endpoint.url, endpoint.bucket, endpoint.label) == ("http://localhost:9000", "b", "http://localhost:9000/b")
    assert "sekrit" not in repr(endpoint)


def _progress(tty: bool) -> tuple[Progress, StringIO, StringIO]:
    lines, bar = StringIO(), StringIO()
    return Progress(lines=lines, bar=bar, tty=tty, redraw_seconds=0, summary_seconds=0), lines, bar


def test_on_a_terminal_the_bar_is_redrawn_and_only_failures_and_the_dry_run_list_are_lines() -> None:
    progress, lines, bar = _progress(tty=True)
    progress.on_listed(10)
    progress.on_listed(30)
    progress.on_bytes(10)
    progress.on_outcome(Outcome("a", Status.COPIED, 10, "new"))
    progress.on_outcome(Outcome("b", Status.FAILED, 0, "boom"))
    progress.close()
    assert lines.getvalue() == "failed: b (0 B) - boom\n"
    assert "\r\033[K" in bar.getvalue()
    assert "25.0% 2/2 objects, 1 failed, 10 B transferred at " in bar.getvalue()
    assert "██████" in bar.getvalue()


def test_without_a_terminal_every_copied_or_failed_object_is_a_line() -> None:
    progress, lines, bar = _progress(tty=False)
    progress.on_listed(10)
    progress.on_outcome(Outcome("a", Status.COPIED, 10, "new"))
    progress.on_outcome(Outcome("s", Status.SKIPPED, 10, "same MD5"))
    progress.on_outcome(Outcome("w", Status.WOULD_COPY, 5, "new"))
    progress.close()
    assert lines.getvalue().splitlines() == ["copied: a (10 B) - new", "would copy: w (5 B) - new"]
    assert "\r" not in bar.getvalue() and bar.getvalue().startswith("progress: ")
