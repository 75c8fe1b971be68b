"""One shard of the in-cluster asset copy: `python3 -m migrate.shard <spec.json>` in a pod of an Indexed Job.

Kubernetes runs shard `$JOB_COMPLETION_INDEX` of N (completions, parallelism, retries per index:
migrate/incluster.py); this program only copies its share of the keys and keeps its state where every
retry and rerun finds it, in the destination bucket under `wire-infra-migrate/` (a prefix cargohold never
reads): its journal of verified copies as append-only segments (S3 has no append), its progress, and its
final report, which `python -m migrate assets --in-cluster` reads to aggregate. A key belongs to shard
`crc32(key) mod N`: deterministic, and balanced over cargohold's random UUID keys whatever their prefix.

Runs with the standard library and boto3 only (the image's), like verify's pod code.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from migrate.clients import SOURCE_KEY_ENV, SOURCE_SECRET_ENV, Endpoint
from migrate.journal import Entry, Journal
from migrate.progress import Progress
from migrate.report import Outcome, Report
from migrate.runner import Options, Runner
from migrate.sigv4 import Keys
from migrate.transfer import MIB, Bucket

STATE_PREFIX = "wire-infra-migrate/"
INDEX_ENV = "JOB_COMPLETION_INDEX"
RESULT_MARKER = "WIRE-INFRA-MIGRATE-SHARD "
# A journal segment is written after this many verified copies or seconds, whichever comes first: a pod
# killed in between copies at most that much again (each copy is checked against the destination first).
SEGMENT_ENTRIES = 500
SEGMENT_SECONDS = 15.0
PROGRESS_SECONDS = 10.0


def shard_of(key: str, shards: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % shards


@dataclass(frozen=True)
class ShardSpec:
    """What every shard of one copy runs with (the Job's ConfigMap); the index comes from the pod."""

    source_url: str
    source_bucket: str
    source_region: str
    destination_bucket: str
    destination_region: str
    destination_url: str | None
    shards: int
    jobs: int = 8
    part_size: int = 16 * MIB
    retries: int = 2
    prefix: str = ""
    check_source_md5: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ShardSpec:
        return cls(**json.loads(text))

    def state_key(self, kind: str, index: int) -> str:
        """Where shard `index` keeps its `kind` (journal/ segments, progress.json, report.json)."""
        run = f"{self.source_bucket}-to-{self.destination_bucket}/{self.shards}-shards/shard-{index:04d}"
        return f"{STATE_PREFIX}{run}/{kind}"


class BucketJournal(Journal):
    """The journal of one shard as segments of JSON lines in the destination bucket: every earlier segment
    is read at start, new entries go into a new segment (flushed by count, time, and at the end)."""

    def __init__(self, bucket: Bucket, prefix: str, *, writable: bool = True) -> None:
        super().__init__(None, writable=False)
        self._bucket, self._prefix, self._store = bucket, prefix, writable
        self._pending: list[Entry] = []
        self._flushed = time.monotonic()
        self._write_lock = threading.Lock()
        paginator = bucket.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket.name, Prefix=prefix):
            for item in page.get("Contents") or []:
                body = bucket.client.get_object(Bucket=bucket.name, Key=item["Key"])["Body"]
                try:
                    self._load(body.read().decode("utf-8"))
                finally:
                    body.close()

    def record(self, entry: Entry) -> None:
        super().record(entry)
        if not self._store:
            return
        with self._write_lock:
            self._pending.append(entry)
            due = len(self._pending) >= SEGMENT_ENTRIES or time.monotonic() - self._flushed >= SEGMENT_SECONDS
        if due:
            self.flush()

    def flush(self) -> None:
        with self._write_lock:
            entries, self._pending = self._pending, []
            self._flushed = time.monotonic()
            if not entries:
                return
            lines = "".join(json.dumps(asdict(entry), sort_keys=True) + "\n" for entry in entries)
            # Time-ordered, unique per writer: a retried pod never overwrites a segment of an earlier one.
            key = f"{self._prefix}{time.time_ns():020d}-{os.getpid()}.jsonl"
            try:
                self._bucket.client.put_object(Bucket=self._bucket.name, Key=key, Body=lines.encode("utf-8"))
            except Exception:
                # Not written: kept for the next flush; the copies themselves are done and verified.
                self._pending = entries + self._pending
                raise

    def close(self) -> None:
        self.flush()


class ShardProgress(Progress):
    """The usual progress lines in the pod's log, and a progress object the starting command reads."""

    def __init__(self, spec: ShardSpec, index: int, bucket: Bucket, **kwargs: Any) -> None:
        super().__init__(tty=False, summary_seconds=PROGRESS_SECONDS, **kwargs)
        self._state = (bucket, spec.state_key("progress.json", index))
        self._published = 0.0
        self._publish_lock = threading.Lock()

    def on_outcome(self, outcome: Outcome) -> None:
        super().on_outcome(outcome)
        if time.monotonic() - self._published >= PROGRESS_SECONDS:
            self.publish()

    def counters(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "listedBytes": self.listed_bytes,
            "finished": self.finished,
            "finishedBytes": self.finished_bytes,
            "transferred": self.transferred,
            "failed": self.failed,
            "seconds": round(time.monotonic() - self._started, 3),
        }

    def publish(self) -> None:
        with self._publish_lock:
            self._published = time.monotonic()
            bucket, key = self._state
            try:
                bucket.client.put_object(Bucket=bucket.name, Key=key, Body=json.dumps(self.counters()).encode())
            except Exception as error:  # progress is informational: never stop the copy for it
                print(f"progress not published: {error}", file=sys.stderr)


class ShardRunner(Runner):
    def __init__(self, *args: Any, index: int, shards: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index, self.shards = index, shards

    def selected(self, key: str) -> bool:
        return not key.startswith(STATE_PREFIX) and shard_of(key, self.shards) == self.index


def run_shard(
    spec: ShardSpec,
    index: int,
    source: Bucket,
    destination: Bucket,
    *,
    stop: threading.Event | None = None,
    lines: Any = None,
) -> Report:
    """Copy shard `index`: its keys, its journal, its progress and report objects in the destination."""
    if not 0 <= index < spec.shards:
        raise ValueError(f"shard index {index} is not in 0..{spec.shards - 1}")
    options = Options(
        jobs=spec.jobs,
        part_size=spec.part_size,
        retries=spec.retries,
        prefix=spec.prefix,
        check_source_md5=spec.check_source_md5,
    )
    started = time.monotonic()
    report = Report(f"{spec.source_url}/{spec.source_bucket}", f"s3://{spec.destination_bucket}")
    progress = ShardProgress(spec, index, destination, lines=lines or sys.stdout, bar=lines or sys.stderr)
    journal = BucketJournal(destination, spec.state_key("journal/", index))
    runner = ShardRunner(
        source,
        destination,
        options,
        journal=journal,
        progress=progress,
        report=report,
        stop=stop,
        index=index,
        shards=spec.shards,
    )
    runner.run()
    progress.publish()
    result = report.as_dict() | {"shard": index, "shards": spec.shards, "seconds": time.monotonic() - started}
    destination.client.put_object(
        Bucket=destination.name, Key=spec.state_key("report.json", index), Body=json.dumps(result).encode()
    )
    return report


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    index = os.environ.get(INDEX_ENV, "")
    if len(args) != 1 or not index.isdigit():
        print(f"usage: {INDEX_ENV}=<i> python3 -m migrate.shard <spec.json>", file=sys.stderr)
        return 2
    spec = ShardSpec.from_json(Path(args[0]).read_text())
    pool = spec.jobs + 4
    # The source's keys from the Secret the Job names; the destination's from the pod's IRSA role.
    access, secret = os.environ.get(SOURCE_KEY_ENV), os.environ.get(SOURCE_SECRET_ENV)
    keys = Keys(access, secret) if access and secret else None
    source = Endpoint("source", spec.source_bucket, spec.source_region, spec.source_url, keys)
    destination = Endpoint("destination", spec.destination_bucket, spec.destination_region, spec.destination_url)
    # Eviction or deletion of the pod (SIGTERM) stops the copy like Ctrl-C: uploads in flight are aborted,
    # the journal is flushed, and the retried pod resumes.
    signal.signal(signal.SIGTERM, _terminate)
    report = run_shard(
        spec,
        int(index),
        Bucket(source.client(pool=pool), source.bucket),
        Bucket(destination.client(pool=pool), destination.bucket),
    )
    print(report.text())
    print(RESULT_MARKER + json.dumps(report.as_dict()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
