"""A single-part object relayed from the source's GET into the destination's PUT (migrate/transfer.py): a read that
breaks off, a stop in the middle and a failed upload leave nothing behind and are retried or reported."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from migrate import relay, s3http
from migrate.report import Report, Status
from tests.migrate.s3_support import PART, Asset, Buckets, Faulty, assets, data, few, integrity_proof, uid

pytestmark = pytest.mark.moto

MIB = 1024 * 1024


def relayed() -> list[Asset]:
    """Single-part at the source (its ETag is its MD5) and above the relay's 1 MiB pieces."""
    return [
        Asset(f"v3/eternal/{uid(400 + n)}", data(3 * MIB + n, 400 + n), metadata={"user": uid(500)}) for n in (0, 1)
    ]


def counts(report: Report) -> tuple[int, int, int]:
    return report.counts[Status.COPIED], report.counts[Status.SKIPPED], report.counts[Status.FAILED]


class Breaking:
    """A GET body that raises after its first piece (a source connection cut off), the first `times` times."""

    def __init__(self, key: str, times: int, error: BaseException | None = None) -> None:
        self.key, self.times, self.done = key, times, 0
        self.error = error or ConnectionResetError("source cut off")
        self._lock = threading.Lock()

    def get_object(self, real: Any, **kwargs: Any) -> Any:
        response = real(**kwargs)
        with self._lock:
            due = kwargs["Key"] == self.key and self.done < self.times
            self.done += due
        if due:
            response["Body"] = _Cut(response["Body"], self.error)
        return response


class _Cut:
    def __init__(self, body: Any, error: BaseException) -> None:
        self._body, self._error, self._reads = body, error, 0

    def read(self, amount: int | None = None) -> bytes:
        self._reads += 1
        if self._reads > 1:
            raise self._error
        return self._body.read(amount)

    def close(self) -> None:
        self._body.close()


def spy_relays(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(key, hashed here) of every relayed copy."""
    relays: list[tuple[str, bool]] = []
    real_init = relay.Relay.__init__

    def init(self: Any, body: Any, size: int, stop: threading.Event, stopped: Any, *, hashed: bool) -> None:
        relays.append((stopped().args[0], hashed))
        real_init(self, body, size, stop, stopped, hashed=hashed)

    monkeypatch.setattr(relay.Relay, "__init__", init)
    return relays


def filled_with_a_parted_source(s3: Buckets) -> tuple[list[Asset], Asset]:
    """The relayed assets and one uploaded in one part of a multipart upload at the source: its ETag ("...-1")
    is no MD5."""
    parted = Asset(f"v3/eternal/{uid(402)}", data(2 * MIB, 402), metadata={"user": uid(500)}, source_parts=PART)
    items = [*relayed(), parted]
    s3.fill(items)
    return items, parted


def test_a_single_part_copy_is_relayed_and_a_source_without_md5_hashed_on_the_way(
    s3: Buckets, monkeypatch: pytest.MonkeyPatch
) -> None:
    items, parted = filled_with_a_parted_source(s3)
    relays = spy_relays(monkeypatch)

    report = s3.copy(jobs=1)

    assert counts(report) == (3, 0, 0)
    assert sorted(relays) == sorted([(items[0].key, False), (items[1].key, False), (parted.key, True)])
    for asset in items:
        assert s3.destination.body(asset.key) == asset.body
        assert integrity_proof(s3.destination.head(asset.key), asset.body) == "md5"


def test_a_relay_without_md5_that_meets_sse_kms_is_copied_again_with_content_md5(
    s3: Buckets, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, parted = filled_with_a_parted_source(s3)
    relays = spy_relays(monkeypatch)
    real_put = s3http.FastClient.put_object
    puts: list[tuple[str, bool]] = []

    def put_object(self: Any, **kwargs: Any) -> dict[str, Any]:
        answer = real_put(self, **kwargs)
        puts.append((kwargs["Key"], "ContentMD5" in kwargs))
        if kwargs["Key"] == parted.key:  # the bucket's encryption switched to SSE-KMS meanwhile
            answer = {**answer, "ServerSideEncryption": "aws:kms", "ETag": '"0123456789abcdef0123456789abcdef"'}
        return answer

    monkeypatch.setattr(s3http.FastClient, "put_object", put_object)

    report = s3.copy(jobs=1)

    assert counts(report) == (3, 0, 0), report.text()
    assert relays[-1] == (parted.key, True)
    assert puts[-2:] == [(parted.key, False), (parted.key, True)]  # again, buffered, with its Content-MD5
    assert s3.destination.body(parted.key) == parted.body


def test_a_source_read_cut_off_in_the_middle_is_retried_and_leaves_no_partial_object(s3: Buckets) -> None:
    items = relayed()
    s3.fill(items)
    cut = Breaking(items[0].key, times=1)

    report = s3.copy(source=Faulty(s3.source.client, get_object=cut.get_object))

    assert counts(report) == (2, 0, 0)
    assert cut.done == 1
    assert s3.destination.body(items[0].key) == items[0].body

    always = Breaking(items[1].key, times=99)
    s3.destination.client.delete_object(Bucket=s3.destination.bucket, Key=items[1].key)
    failed = s3.copy(source=Faulty(s3.source.client, get_object=always.get_object), journal=False)

    assert counts(failed) == (0, 1, 1)
    assert "reading the source broke off" in failed.failures[0].reason and "attempt 3" in failed.failures[0].reason
    assert items[1].key not in s3.destination.listing()  # the half-sent PUT was dropped, not stored


def test_a_stop_in_the_middle_of_a_relay_aborts_that_upload(s3: Buckets) -> None:
    items = relayed()
    s3.fill(items)
    stop = threading.Event()

    first = max(items, key=lambda asset: len(asset.body))  # the largest listed goes first

    def get_object(real: Any, **kwargs: Any) -> Any:
        response = real(**kwargs)
        if kwargs["Key"] == first.key:
            response["Body"] = _Stopping(response["Body"], stop)
        return response

    report = s3.copy(source=Faulty(s3.source.client, get_object=get_object), stop=stop, jobs=1)

    assert not report.ok and report.incomplete
    assert s3.destination.listing() == []
    assert counts(s3.copy()) == (2, 0, 0)
    assert s3.destination.body(first.key) == first.body


class _Stopping:
    """A GET body whose first piece comes with Ctrl-C (the run's stop) while the object is on its way."""

    def __init__(self, body: Any, stop: threading.Event) -> None:
        self._body, self._stop = body, stop

    def read(self, amount: int | None = None) -> bytes:
        chunk = self._body.read(amount)
        self._stop.set()
        return chunk

    def close(self) -> None:
        self._body.close()


def test_an_upload_the_destination_breaks_off_is_retried(s3: Buckets, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [*relayed(), assets()[2]]
    s3.fill(items)
    failures = {items[0].key: 1}
    real_send = s3http.FastClient._send

    def send(self: Any, operation: str, method: str, bucket: str, key: str | None, headers: Any, **kwargs: Any) -> Any:
        if operation == "PutObject" and failures.get(key or ""):
            failures[key or ""] -= 1
            body = kwargs.get("body")
            if body is not None and not isinstance(body, bytes):
                body.read(MIB)  # part of the body went out before the destination failed
            raise s3http.EndpointConnectionError(endpoint_url="http://destination", error="reset")
        return real_send(self, operation, method, bucket, key, headers, **kwargs)

    monkeypatch.setattr(s3http.FastClient, "_send", send)

    report = s3.copy()

    assert counts(report) == (3, 0, 0), report.text()
    assert failures[items[0].key] == 0
    for asset in items:
        assert s3.destination.body(asset.key) == asset.body


def test_a_part_read_that_breaks_off_is_retried_too(s3: Buckets) -> None:
    items = few()
    s3.fill(items)
    multipart = items[2]  # above the part size: read part by part, not relayed
    cut = Breaking(multipart.key, times=1)

    report = s3.copy(source=Faulty(s3.source.client, get_object=cut.get_object))

    assert counts(report) == (len(items), 0, 0), report.text()
    assert cut.done == 1
    assert s3.destination.body(multipart.key) == multipart.body
    assert s3.destination.uploads() == []
