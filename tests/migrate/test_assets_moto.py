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
from tests.migrate.s3_support import PART, Asset, Buckets, Faulty, Flip, assets, data, few, integrity_proof, next_second

pytestmark = pytest.mark.moto


def assert_copied_exactly(s3: Buckets, items: list[Asset]) -> None:
    """The destination holds every asset with its bytes, content type and metadata, and nothing else."""
    assert s3.destination.listing() == sorted(asset.key for asset in items)
    for asset in items:
        head = s3.destination.head(asset.key)
        assert s3.destination.body(asset.key) == asset.body, asset.key
        assert head["ContentType"] == asset.content_type
        assert head["Metadata"] == asset.metadata
        assert head.get("ContentDisposition") == asset.extra.get("ContentDisposition")
        assert integrity_proof(head, asset.body), f"{asset.key}: neither checksum nor MD5 ETag"
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
    before = {key: s3.destination.head(key)["LastModified"] for key in s3.destination.listing()}

    code, report = cli(s3, capsys)

    assert code == 0, json.dumps(report)
    assert (report["copied"], report["skipped"], report["failed"], report["copiedBytes"]) == (0, len(items), 0, 0)
    assert report["skippedBytes"] == total
    assert {key: s3.destination.head(key)["LastModified"] for key in s3.destination.listing()} == before


def test_dry_run_lists_what_it_would_copy_and_writes_nothing(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    items = assets()
    s3.fill(items)
    capsys.readouterr()

    code = main(s3.cli_args("--dry-run"))

    out = capsys.readouterr().out
    assert code == 0
    assert s3.destination.listing() == []
    assert not s3.journal.exists()
    listed = sorted(line.split(" ", 3)[2] for line in out.splitlines() if line.startswith("would copy: "))
    assert listed == sorted(asset.key for asset in items)
    assert f"would copy {len(items)} " in out and "nothing written" in out


def test_an_interrupted_run_aborts_its_uploads_and_the_next_run_copies_only_the_rest(s3: Buckets) -> None:
    items = assets()
    s3.fill(items)
    stop = threading.Event()
    parts = []

    def upload_part(real: Any, **kwargs: Any) -> Any:
        parts.append(kwargs["Key"])
        if len(parts) == 3:
            stop.set()  # Ctrl-C (SIGINT/SIGTERM) lands here, in the middle of a multipart upload
        return real(**kwargs)

    first = s3.copy(destination=Faulty(s3.destination.client, upload_part=upload_part), stop=stop, jobs=1)

    assert not first.ok and first.incomplete
    assert s3.destination.uploads() == []  # the unfinished multipart upload was aborted
    done = first.counts[Status.COPIED]
    assert 0 < done < len(items)
    copied_first = set(s3.destination.listing())
    writes = Faulty(s3.destination.client)

    second = s3.copy(destination=writes)

    assert second.ok
    assert counts(second) == (len(items) - done, done, 0)
    assert {o.key for o in second.failures} == set()
    # Nothing finished was written again: one write call (PutObject or CreateMultipartUpload) per remaining object.
    assert writes.counts.get("put_object", 0) + writes.counts.get("create_multipart_upload", 0) == len(items) - done
    assert copied_first < set(s3.destination.listing())
    assert_copied_exactly(s3, items)


def test_a_leftover_multipart_upload_of_a_killed_run_is_aborted(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    large = items[2].key
    s3.destination.client.create_multipart_upload(Bucket=s3.destination.bucket, Key=large)
    assert len(s3.destination.uploads()) == 1

    report = s3.copy()

    assert report.ok
    assert_copied_exactly(s3, items)


def test_an_object_changed_at_the_source_is_copied_again(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    assert s3.copy().ok
    # Same keys and sizes, new bytes (single and multipart), and new metadata (cargohold's owner update).
    changed = [
        Asset(items[1].key, data(len(items[1].body), 91), metadata=items[1].metadata),
        Asset(items[2].key, data(len(items[2].body), 92), metadata=items[2].metadata),
        Asset(items[3].key, items[3].body, items[3].content_type, {"zasset": "public=false"}, items[3].extra),
    ]
    s3.fill(changed)

    report = s3.copy()

    assert counts(report) == (3, len(items) - 3, 0)
    assert_copied_exactly(s3, [items[0], *changed])


@pytest.mark.parametrize("journal", [True, False], ids=["journal", "destination-state-only"])
def test_without_the_journal_a_changed_small_object_is_still_recognised(s3: Buckets, journal: bool) -> None:
    items = few()
    s3.fill(items)
    # Without the journal an unchanged object is recognised by a copy strictly newer than its source; S3
    # timestamps have whole seconds, so the first copy must not share the source's second.
    next_second()
    assert s3.copy(journal=journal).ok
    changed = Asset(items[1].key, data(len(items[1].body), 93), metadata=items[1].metadata)
    s3.fill([changed])

    report = s3.copy(journal=journal)

    assert counts(report) == (1, len(items) - 1, 0)
    assert s3.destination.body(changed.key) == changed.body


@pytest.mark.parametrize("index", [1, 2], ids=["single-put", "multipart"])
@pytest.mark.parametrize("side", ["read", "write"])
def test_a_bit_flip_is_caught_retried_and_never_reported_as_copied(s3: Buckets, index: int, side: str) -> None:
    items = few()
    s3.fill(items)
    key = items[index].key
    flip = Flip(key)
    if side == "read":
        faulty = {"source": Faulty(s3.source.client, get_object=flip.on_read)}
    else:
        call = "put_object" if index == 1 else "upload_part"
        faulty = {"destination": Faulty(s3.destination.client, **{call: flip.on_write})}

    report = s3.copy(**faulty, retries=2)

    assert counts(report) == (len(items) - 1, 0, 1)
    assert [o.key for o in report.failures] == [key]
    assert "attempt 3" in report.failures[0].reason
    assert not report.ok
    assert key not in s3.destination.listing()  # a copy that does not verify is not left behind
    assert s3.destination.uploads() == []

    once = Flip(key, times=1)
    faulty = (
        {"source": Faulty(s3.source.client, get_object=once.on_read)}
        if side == "read"
        else {"destination": Faulty(s3.destination.client, **{call: once.on_write})}
    )
    retried = s3.copy(**faulty)

    assert counts(retried) == (1, len(items) - 1, 0)
    assert once.done == 1
    assert_copied_exactly(s3, items)


def test_an_object_deleted_at_the_source_during_the_run_is_not_an_error(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    gone = items[3].key

    def delete_first(real: Any, **kwargs: Any) -> Any:
        if kwargs["Key"] == gone:
            s3.source.client.delete_object(Bucket=s3.source.bucket, Key=gone)
        return real(**kwargs)

    # The first call about a new key is its GET (single part) or its HEAD (multipart, or at the destination).
    report = s3.copy(source=Faulty(s3.source.client, head_object=delete_first, get_object=delete_first))

    assert report.ok
    assert counts(report) == (len(items) - 1, 1, 0)
    assert gone not in s3.destination.listing()


def test_a_copy_whose_metadata_did_not_arrive_fails_but_keeps_its_verified_bytes(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    key = items[1].key

    def put_object(real: Any, **kwargs: Any) -> Any:
        if kwargs["Key"] == key:
            kwargs["Metadata"] = {}
        return real(**kwargs)

    report = s3.copy(destination=Faulty(s3.destination.client, put_object=put_object), retries=1)

    assert counts(report) == (len(items) - 1, 0, 1)
    assert "metadata differ" in report.failures[0].reason
    assert s3.destination.body(key) == items[1].body

    assert counts(s3.copy()) == (1, len(items) - 1, 0)
    assert_copied_exactly(s3, items)


def test_of_the_objects_listed_ahead_the_largest_is_copied_first(s3: Buckets) -> None:
    items = few()  # 0 B, 1 B, a multipart one, 512 B
    s3.fill(items)
    started: list[str] = []

    def write(real: Any, **kwargs: Any) -> Any:
        started.append(kwargs["Key"])
        return real(**kwargs)

    writes = Faulty(s3.destination.client, put_object=write, create_multipart_upload=write)
    assert s3.copy(destination=writes, jobs=1).ok

    assert started == [asset.key for asset in sorted(items, key=lambda asset: -len(asset.body))]
