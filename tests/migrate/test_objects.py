"""When the destination already holds a good copy: every rule of `decide`, without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from migrate.journal import Entry
from migrate.objects import Headers, StoredObject, decide

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MD5_A, MD5_B = "a" * 32, "b" * 32
MULTIPART = "c" * 32 + "-3"
HEADERS = Headers(content_type="application/octet-stream", metadata=(("user", "u1"),))


def obj(
    etag: str = MD5_A, size: int = 10, at: datetime = T0, headers: Headers = HEADERS, kms: bool = False
) -> StoredObject:
    return StoredObject("v3/eternal/k", size, etag, at, headers, etag_may_be_md5=not kms)


def entry(source_etag: str = MD5_A, dest_etag: str = MULTIPART, size: int = 10) -> Entry:
    return Entry("v3/eternal/k", source_etag, size, dest_etag, "sha")


LATER = T0 + timedelta(seconds=5)
CASES = [
    ("missing", obj(), None, None, True, "new"),
    ("size", obj(), obj(size=11, at=LATER), None, True, "size differs"),
    ("metadata", obj(), obj(at=LATER, headers=Headers("application/octet-stream")), None, True, "metadata differ"),
    ("content type", obj(), obj(at=LATER, headers=Headers("image/png", metadata=HEADERS.metadata)), None, True, "type"),
    ("journal match", obj(), obj(MULTIPART, at=T0), entry(), False, "journal"),
    ("journal: source changed", obj(MD5_B), obj(MULTIPART, at=LATER), entry(), True, "changed at the source"),
    ("journal: size changed", obj(size=10), obj(MULTIPART, at=LATER), entry(size=9), True, "changed at the source"),
    ("same md5", obj(), obj(at=T0 - timedelta(days=1)), None, False, "same MD5"),
    ("other md5", obj(), obj(MD5_B, at=LATER), None, True, "content differs"),
    # The destination object is not the one the journal verified (overwritten since): copied again, even when
    # the rest looks the same - a multipart ETag could not tell corrupted bytes from good ones.
    ("stale journal", obj(), obj(MD5_A, at=LATER), entry(dest_etag="other"), True, "changed at the destination"),
    ("stale journal, multipart", obj(MULTIPART), obj("d" * 32 + "-2", at=LATER), entry(MULTIPART), True, "destination"),
    ("multipart, copied later", obj(), obj(MULTIPART, at=LATER), None, False, "copied after"),
    ("multipart, same second", obj(), obj(MULTIPART, at=T0), None, True, "may be newer"),
    ("multipart source", obj(MULTIPART), obj(MD5_A, at=T0 - timedelta(seconds=1)), None, True, "may be newer"),
    # Under SSE-KMS the destination's ETag looks like an MD5 and is none: decided by time, as for multipart.
    ("sse-kms, copied later", obj(), obj(MD5_B, at=LATER, kms=True), None, False, "copied after"),
    ("sse-kms, same second", obj(), obj(MD5_A, at=T0, kms=True), None, True, "may be newer"),
]


@pytest.mark.parametrize(
    ("source", "dest", "journal", "copy", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decide(
    source: StoredObject, dest: StoredObject | None, journal: Entry | None, copy: bool, reason: str
) -> None:
    decision = decide(source, dest, journal)
    assert decision.copy is copy
    assert reason in decision.reason


def test_headers_round_trip_from_a_head_response_to_put_arguments() -> None:
    head = {
        "ContentType": "image/png",
        "ContentDisposition": "inline",
        "CacheControl": "",
        "Metadata": {"User": "u1", "zasset": "public=true"},
    }
    headers = Headers.from_response(head)
    assert headers.put_args() == {
        "ContentType": "image/png",
        "ContentDisposition": "inline",
        "Metadata": {"user": "u1", "zasset": "public=true"},
    }
    assert Headers.from_response(headers.put_args()) == headers


def test_an_etag_under_sse_kms_or_sse_c_is_no_md5() -> None:
    answer = {"ContentLength": 1, "ETag": f'"{MD5_A}"', "LastModified": T0}
    assert StoredObject.from_head("k", answer).md5 == MD5_A
    assert StoredObject.from_head("k", answer | {"ServerSideEncryption": "aws:kms"}).md5 is None
    assert StoredObject.from_head("k", answer | {"SSECustomerAlgorithm": "AES256"}).md5 is None
