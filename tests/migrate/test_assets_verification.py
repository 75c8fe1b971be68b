"""The copy verifies what it claims: a corrupted copy, a source object gone, and cargohold's non-ASCII metadata."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.handlers import validate_ascii_metadata

from migrate import s3http
from migrate.metadata import metadata_text
from migrate.report import Report, Status
from tests.migrate.s3_support import PART, SOURCE_REGION, Asset, Buckets, Faulty, assets, data, few, uid

pytestmark = pytest.mark.moto

# cargohold's audit metadata (CargoHold.S3 `setAmzAuditLogMetadata`): JSON with the user's file name.
WIRE_METADATA = json.dumps(
    {"convId": {"domain": "example.com", "id": uid(200)}, "filename": "Präsentation für Müller.pdf", "filetype": "pdf"},
    ensure_ascii=False,
)


def counts(report: Report) -> tuple[int, int, int]:
    return report.counts[Status.COPIED], report.counts[Status.SKIPPED], report.counts[Status.FAILED]


def overwrite_out_of_band(s3: Buckets, asset: Asset) -> None:
    """Same key, size, content type and metadata at the destination, other bytes: only the content differs."""
    s3.destination.client.put_object(
        Bucket=s3.destination.bucket,
        Key=asset.key,
        Body=data(len(asset.body), 777),
        ContentType=asset.content_type,
        Metadata=asset.metadata,
        **asset.extra,
    )


@pytest.mark.parametrize("index", [2, 3], ids=["multipart-etag-at-source", "single-put"])
def test_a_destination_object_overwritten_after_its_copy_is_caught_and_copied_again(s3: Buckets, index: int) -> None:
    items = assets()
    s3.fill(items)
    assert s3.copy().ok
    corrupted = next(a for a in items if a.source_parts) if index == 2 else items[index]
    overwrite_out_of_band(s3, corrupted)

    # --verify, with no journal, re-reads both sides and finds it.
    verified = s3.copy(journal=False, verify=True)
    assert [o.key for o in verified.failures] == [corrupted.key]
    assert "content differs" in verified.failures[0].reason
    assert verified.counts[Status.VERIFIED] == len(items) - 1
    assert not verified.ok

    # A dry run and a real run see the journal's ETag no longer matching.
    dry = s3.copy(dry_run=True)
    assert dry.counts[Status.WOULD_COPY] == 1
    report = s3.copy()
    assert counts(report) == (1, len(items) - 1, 0)
    assert s3.destination.body(corrupted.key) == corrupted.body
    assert s3.copy(journal=False, verify=True).ok


def test_verify_reports_an_object_missing_at_the_destination(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    assert s3.copy().ok
    s3.destination.client.delete_object(Bucket=s3.destination.bucket, Key=items[0].key)

    report = s3.copy(verify=True)

    assert [(o.key, o.reason) for o in report.failures] == [(items[0].key, "missing at the destination")]
    assert items[0].key not in s3.destination.listing()  # verify writes nothing


def test_an_object_deleted_at_the_source_after_its_copy_is_reported_and_its_copy_kept(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    assert s3.copy().ok
    gone = items[2].key
    s3.source.client.delete_object(Bucket=s3.source.bucket, Key=gone)

    report = s3.copy()

    assert report.ok
    assert report.gone_from_source == [gone]
    assert gone in s3.destination.listing()
    assert "GONE FROM THE SOURCE: 1 object(s)" in report.text()
    assert gone in report.text()
    assert report.as_dict()["goneFromSource"] == [gone]


def raw_utf8_client(url: str) -> Any:
    """A client that sends non-ASCII metadata, as cargohold's SDK does (botocore refuses it by default)."""
    raw = boto3.client(
        "s3",
        endpoint_url=url,
        region_name=SOURCE_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )
    raw.meta.events.unregister("before-parameter-build.s3.PutObject", validate_ascii_metadata)
    return raw


@pytest.mark.parametrize("size", [0, PART - 1, PART, PART + 1], ids=["empty", "below-part", "one-part", "two-parts"])
def test_non_ascii_metadata_of_cargohold_is_copied_losslessly(s3: Buckets, size: int) -> None:
    key = f"v3/eternal/{uid(300 + size % 7)}"
    body = data(size, 300)
    # Sent as Latin-1 (http.client), stored as text by moto and returned as UTF-8 bytes: the SDK reads what minio
    # returns for cargohold's raw UTF-8 header (Latin-1 characters only: moto cannot store others this way).
    raw = {"user": uid(100), "wire-metadata": WIRE_METADATA}
    raw_utf8_client(s3.source.url).put_object(Bucket=s3.source.bucket, Key=key, Body=body, Metadata=raw)

    report = s3.copy()

    assert report.ok, report.text()
    assert counts(report) == (1, 0, 0)
    stored = s3.destination.head(key)["Metadata"]
    assert stored["wire-metadata"].isascii()  # RFC 2047, as S3 returns non-ASCII metadata
    assert metadata_text(stored["wire-metadata"]) == WIRE_METADATA
    assert s3.destination.body(key) == body
    assert counts(s3.copy()) == (0, 1, 0)
    assert s3.copy(journal=False, verify=True).ok


@pytest.mark.parametrize("client", ["fast", "botocore"])
def test_under_sse_kms_the_etag_is_not_taken_for_an_md5(
    s3: Buckets, monkeypatch: pytest.MonkeyPatch, client: str
) -> None:
    """S3's ETag of an object encrypted with SSE-KMS (the stack's bucket with a key) is 32 hex digits and no MD5:
    the copy is verified by the Content-MD5 S3 checked, never by comparing that ETag."""
    s3.destination.client.put_bucket_encryption(
        Bucket=s3.destination.bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/a"}}]
        },
    )
    items = few()
    s3.fill(items)
    opaque = '"0123456789abcdef0123456789abcdef"'
    answers: list[str | None] = []

    def kms(answer: dict[str, Any]) -> dict[str, Any]:
        answers.append(answer.get("ServerSideEncryption"))
        return {**answer, "ETag": opaque}  # what S3 answers; moto keeps the MD5

    if client == "fast":
        real_put = s3http.FastClient.put_object
        monkeypatch.setattr(s3http.FastClient, "put_object", lambda self, **kwargs: kms(real_put(self, **kwargs)))
        destination = None
    else:
        destination = Faulty(s3.destination.client, put_object=lambda real, **kwargs: kms(real(**kwargs)))

    report = s3.copy(destination=destination)

    assert report.ok, report.text()
    assert counts(report) == (len(items), 0, 0)
    assert answers and set(answers) == {"aws:kms"}
    for asset in items:
        assert s3.destination.body(asset.key) == asset.body
