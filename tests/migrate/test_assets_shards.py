"""The in-cluster copy's shards against two moto servers, run in-process for each index as the Indexed Job
would: interrupted, resumed, every object copied once and verified, the shards' reports aggregated."""

from __future__ import annotations

import collections
import threading
from io import StringIO
from typing import Any

import pytest

from migrate import s3http
from migrate.incluster_run import aggregate, run, shard_states
from migrate.journal import Entry, Journal
from migrate.report import Status
from migrate.shard import STATE_PREFIX, BucketJournal, ShardSpec, run_shard, shard_of
from migrate.transfer import Bucket
from tests.migrate.s3_support import (
    DEST_REGION,
    PART,
    SOURCE_REGION,
    Asset,
    Buckets,
    Faulty,
    data,
    integrity_proof,
    uid,
)
from verify.kube import Kubectl

pytestmark = pytest.mark.moto

SHARDS = 3


def workload() -> list[Asset]:
    """Small assets as cargohold keys them, and one multipart (two parts at the destination)."""
    items = [
        Asset(f"v3/{('eternal', 'persistent')[i % 2]}/{uid(i)}", data(2048 + i, i), metadata={"user": uid(100 + i)})
        for i in range(18)
    ]
    items.append(Asset(f"v3/eternal/{uid(50)}", data(PART + 7, 50), metadata={"user": uid(150)}))
    return items


def spec(s3: Buckets) -> ShardSpec:
    return ShardSpec(
        source_url=s3.source.url,
        source_bucket=s3.source.bucket,
        source_region=SOURCE_REGION,
        destination_bucket=s3.destination.bucket,
        destination_region=DEST_REGION,
        destination_url=s3.destination.url,
        shards=SHARDS,
        jobs=2,
        part_size=PART,
    )


class Writes:
    """Counts the objects of each key written at the destination (a PutObject, or a multipart upload completed:
    one aborted by the stop wrote nothing), through the fast client underneath."""

    def __init__(self, client: Any, stop_after: int | None = None, stop: threading.Event | None = None) -> None:
        self.per_key: collections.Counter[str] = collections.Counter()
        self._stop_after, self._stop, self._lock = stop_after, stop, threading.Lock()
        self.client = Faulty(s3http.wrap(client), put_object=self._put, complete_multipart_upload=self._put)

    def _put(self, real: Any, **kwargs: Any) -> Any:
        response = real(**kwargs)
        with self._lock:
            if not kwargs["Key"].startswith(STATE_PREFIX):
                self.per_key[kwargs["Key"]] += 1
            if (
                self._stop is not None
                and self._stop_after is not None
                and sum(self.per_key.values()) >= self._stop_after
            ):
                self._stop.set()
        return response


def run_all(s3: Buckets, writes: Writes, *, interrupted: dict[int, int] | None = None) -> None:
    """Every shard once; `interrupted`: shard -> objects after which it is stopped (a pod evicted)."""
    for index in range(SHARDS):
        stop = threading.Event()
        counter = Writes(s3.destination.client, (interrupted or {}).get(index), stop)
        run_shard(
            spec(s3),
            index,
            Bucket(s3http.wrap(s3.source.client), s3.source.bucket),
            Bucket(counter.client, s3.destination.bucket),
            stop=stop,
            lines=StringIO(),
        )
        writes.per_key.update(counter.per_key)


def test_the_split_is_deterministic_and_balanced_over_cargohold_keys() -> None:
    keys = [f"v3/{retention}/{uid(i)}" for i in range(3000) for retention in ("eternal",)]
    counts = collections.Counter(shard_of(key, 8) for key in keys)
    assert set(counts) == set(range(8))
    assert max(counts.values()) < 1.2 * len(keys) / 8
    assert [shard_of(key, 8) for key in keys[:50]] == [shard_of(key, 8) for key in keys[:50]]


def test_interrupted_shards_resume_and_every_object_is_copied_once_and_verified(s3: Buckets) -> None:
    items = workload()
    s3.fill(items)
    writes = Writes(s3.destination.client)

    # Shards 0 and 2 are stopped after two objects (SIGTERM: uploads aborted, journal flushed).
    run_all(s3, writes, interrupted={0: 2, 2: 2})
    first = aggregate(
        spec(s3), shard_states(spec(s3), Bucket(s3.destination.client, s3.destination.bucket), "report.json"), "s", "d"
    )
    assert not first.ok and first.incomplete

    run_all(s3, writes)  # the Job run again: every shard resumes
    state = Bucket(s3.destination.client, s3.destination.bucket)
    report = aggregate(spec(s3), shard_states(spec(s3), state, "report.json"), "s", "d")
    assert report.ok, report.text()
    assert report.listed == len(items)

    # Every object written exactly once over both runs, with its bytes and metadata.
    assert writes.per_key == dict.fromkeys((asset.key for asset in items), 1)
    for asset in items:
        head = s3.destination.head(asset.key)
        assert s3.destination.body(asset.key) == asset.body
        assert head["Metadata"] == asset.metadata and integrity_proof(head, asset.body)
    assert not s3.destination.uploads()

    # A third run copies nothing: the journals in the bucket say every object is verified.
    again = Writes(s3.destination.client)
    run_all(s3, again)
    assert not again.per_key
    final = aggregate(spec(s3), shard_states(spec(s3), state, "report.json"), "s", "d")
    assert final.ok and final.counts[Status.COPIED] == 0 and final.counts[Status.SKIPPED] == len(items)
    assert sum(1 for key in s3.destination.listing() if not key.startswith(STATE_PREFIX)) == len(items)

    # And the whole bucket verifies from both sides (the CLI's --verify, all shards at once).
    verified = s3.copy(verify=True)
    assert verified.ok and verified.listed == len(items)


def test_a_shard_killed_before_its_journal_was_written_copies_nothing_twice(
    s3: Buckets, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = workload()
    s3.fill(items)
    writes = Writes(s3.destination.client)
    # SIGKILL: no segment ever written; the destination's own state must carry the resume.
    with monkeypatch.context() as patched:
        patched.setattr(BucketJournal, "flush", lambda self: None)
        run_all(s3, writes, interrupted={1: 3})
    run_all(s3, writes)
    assert writes.per_key == dict.fromkeys((asset.key for asset in items), 1)


def test_the_journal_segments_are_read_back_by_the_next_run(s3: Buckets) -> None:
    bucket = Bucket(s3.destination.client, s3.destination.bucket)
    journal = BucketJournal(bucket, "wire-infra-migrate/t/journal/")
    journal.record(Entry("k1", "e1", 1, "d1", "s1"))
    journal.close()
    journal.record(Entry("k2", "e2", 2, "d2", "s2"))
    journal.close()
    again = BucketJournal(bucket, "wire-infra-migrate/t/journal/")
    assert isinstance(again, Journal) and sorted(again.copied_keys()) == ["k1", "k2"]


class FakeKubectl(Kubectl):
    """Applying the Job runs its shards in-process (what Kubernetes would do); the Job is then complete."""

    def __init__(self, s3: Buckets) -> None:
        super().__init__()
        self.s3, self.calls = s3, []

    def run(self, *args: str, stdin: str | None = None) -> str:
        self.calls.append(args)
        if args[0] == "apply":
            run_all(self.s3, Writes(self.s3.destination.client))
        return ""

    def get_json(self, *args: str) -> dict[str, Any]:
        return {"status": {"conditions": [{"type": "Complete", "status": "True"}]}}


def test_the_starting_command_applies_follows_and_aggregates(s3: Buckets) -> None:
    items = workload()
    s3.fill(items)
    out = StringIO()
    kubectl = FakeKubectl(s3)
    state = Bucket(s3.destination.client, s3.destination.bucket)
    report = run(
        kubectl,
        [{"kind": "Job", "metadata": {"name": "j", "namespace": "wire"}}],
        spec(s3),
        state,
        out=out,
        labels=("s", "d"),
        sleep=lambda _: None,
    )
    assert report.ok and report.listed == len(items)
    assert [call[0] for call in kubectl.calls] == ["delete", "apply"]
    assert f"{SHARDS}/{SHARDS} shards started, {len(items)}/{len(items)} objects, 0 failed" in out.getvalue()
