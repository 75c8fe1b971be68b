"""Copy a whole bucket: list the source, decide and copy each object on a bounded thread pool.

Both buckets are listed side by side (S3 lists keys in the same order on both): a key the destination
does not list is new, and a single-part one is copied with one GET relayed into one PUT, whose answer is
its verification (migrate/transfer.py), its headers and metadata taken from the GET. A key the destination
lists is decided from a HEAD of both sides and the journal, as before.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from migrate import s3http
from migrate.checksums import strip_etag
from migrate.journal import Entry, Journal
from migrate.objects import StoredObject, decide
from migrate.progress import Progress
from migrate.report import Outcome, Report, Status
from migrate.transfer import MIB, Bucket, Gone, Interrupted, Retryable, Transfer
from verify.aws import describe, error_code

_GONE = frozenset({"404", "NoSuchKey", "NotFound"})
_CHANGED = frozenset({"412", "PreconditionFailed"})


@dataclass(frozen=True)
class Listed:
    key: str
    size: int
    etag: str


class Listing:
    """Membership in a listing walked once, in step with another listing in the same key order."""

    def __init__(self, items: Iterator[Listed]) -> None:
        self._items = items
        self._current: Listed | None = None
        self._ended = self._broken = False

    def has(self, key: str) -> bool:
        """Whether the listing holds `key`; keys must be asked in ascending order. A listing that broke
        off answers yes: the key is then decided from HEADs, as if it were there."""
        while not self._ended and (self._current is None or self._current.key < key):
            try:
                self._current = next(self._items)
            except StopIteration:
                self._ended = True
            except (ClientError, BotoCoreError):
                self._ended = True
                self._broken = True
        return self._broken or (self._current is not None and self._current.key == key)


@dataclass(frozen=True)
class Options:
    jobs: int = 8
    part_size: int = 16 * MIB
    # Further attempts of an object whose copy did not verify or changed during the copy.
    retries: int = 2
    prefix: str = ""
    dry_run: bool = False
    check_source_md5: bool = True
    # Re-read both sides of every object and compare their content; write nothing, use no journal.
    verify: bool = False


class Runner:
    def __init__(
        self,
        source: Bucket,
        destination: Bucket,
        options: Options,
        *,
        journal: Journal,
        progress: Progress,
        report: Report,
        stop: threading.Event | None = None,
    ) -> None:
        # Real boto3 clients get the fast calls (s3http.py); any other client is used as it is.
        source = Bucket(s3http.wrap(source.client), source.name)
        destination = Bucket(s3http.wrap(destination.client), destination.name)
        self.source, self.destination, self.options = source, destination, options
        self.journal, self.progress, self.report = journal, progress, report
        self.stop = stop or threading.Event()
        self.transfer = Transfer(
            source,
            destination,
            options.part_size,
            self.stop,
            started=datetime.now(UTC),
            check_source_md5=options.check_source_md5,
            on_bytes=progress.on_bytes,
        )

    def run(self) -> Report:
        """Every listed object ends as one outcome; Ctrl-C stops cleanly (in-flight uploads aborted).

        Objects are listed ahead in a bounded window (a bucket of millions of keys is never all queued) and
        the largest of the window goes first: a run does not end on a large object copied alone."""
        jobs = self.options.jobs
        window = jobs * 4
        ahead: list[tuple[int, int, str, Listed | None]] = []  # (-size, listing order, key, new): a heap
        pending: set[Future[Outcome]] = set()
        # Keys with a verified copy the listing has not shown yet: what is left at the end is gone from the source.
        unseen = {key for key in self.journal.copied_keys() if key.startswith(self.options.prefix)}
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="migrate") as pool:

            def feed(*, drain: bool = False) -> None:
                """Submit the largest listed while the pool has room (a few queued, so it never waits on the
                listing's next page), and always when more than the window is listed ahead."""
                nonlocal pending
                while ahead and (drain or len(pending) < 2 * jobs or len(ahead) > window):
                    if len(pending) >= 2 * jobs:
                        pending = self._collect(pending, FIRST_COMPLETED)
                        continue
                    _, _, key, new = heapq.heappop(ahead)
                    pending.add(pool.submit(self.process, key, new))

            try:
                at_destination = Listing(self._list(self.destination))
                for number, item in enumerate(self._listing()):
                    if self.stop.is_set():
                        break
                    key, size = item.key, item.size
                    unseen.discard(key)
                    self.report.listed += 1
                    self.report.listed_bytes += size
                    self.progress.on_listed(size)
                    new = None if at_destination.has(key) else item
                    heapq.heappush(ahead, (-size, number, key, new))
                    if number >= window or pending:  # the first window is listed before anything starts
                        feed()
                if not self.stop.is_set():
                    feed(drain=True)
                self._collect(pending, None)
            except KeyboardInterrupt:
                self.stop.set()
                self.report.incomplete = "interrupted; in-flight uploads were aborted"
                for future in pending:
                    future.cancel()
                self._collect({future for future in pending if not future.cancelled()}, None)
        if self.stop.is_set() and self.report.incomplete is None:
            self.report.incomplete = "stopped before every object was listed"
        if self.report.incomplete is None:
            self.report.gone_from_source = sorted(unseen)
        self.journal.close()
        self.progress.close()
        return self.report

    def _listing(self) -> Iterator[Listed]:
        try:
            yield from (item for item in self._list(self.source) if self.selected(item.key))
        except (ClientError, BotoCoreError) as error:
            self.report.incomplete = f"listing the source broke off: {describe(error)}"

    def selected(self, key: str) -> bool:
        """Whether this run copies `key` (a shard of the in-cluster copy copies a part of the keys)."""
        return True

    def _list(self, bucket: Bucket) -> Iterator[Listed]:
        args = {"Bucket": bucket.name, "Prefix": self.options.prefix}
        while True:
            page = bucket.client.list_objects_v2(**args)
            for item in page.get("Contents") or []:
                yield Listed(item["Key"], int(item.get("Size") or 0), strip_etag(item.get("ETag")))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
            args["ContinuationToken"] = token

    def _collect(self, pending: set[Future[Outcome]], return_when: str | None) -> set[Future[Outcome]]:
        if not pending:
            return pending
        done, rest = wait(pending, return_when=return_when or "ALL_COMPLETED")
        for future in done:
            outcome = future.result()
            self.report.add(outcome)
            self.progress.on_outcome(outcome)
        return rest

    def process(self, key: str, new: Listed | None = None) -> Outcome:
        """Decide and, if needed, copy one object; never raises (every error becomes a failed outcome).
        `new`: the source's listing of a key the destination did not list."""
        problem = "no attempt made"
        if self.stop.is_set():
            return Outcome(key, Status.FAILED, 0, "not copied: the run was interrupted")
        for attempt in range(1, self.options.retries + 2):
            try:
                if new is not None and attempt == 1 and self._fast(new):
                    return self._copy_new(new)
                return self._attempt(key)
            except Retryable as error:
                problem = f"{error} (attempt {attempt})"
            except Interrupted:
                return Outcome(key, Status.FAILED, 0, "interrupted; its upload was aborted")
            except Gone:
                return Outcome(key, Status.SKIPPED, 0, "deleted at the source since the listing")
            except (ClientError, BotoCoreError) as error:
                if error_code(error) not in _CHANGED:
                    return Outcome(key, Status.FAILED, 0, describe(error))
                problem = f"changed at the source during the copy (attempt {attempt})"
            except Exception as error:  # a failed object must not end the run: report it
                return Outcome(key, Status.FAILED, 0, f"{type(error).__name__}: {error}")
        return Outcome(key, Status.FAILED, 0, problem)

    def _attempt(self, key: str) -> Outcome:
        source = self._head(self.source, key)
        if source is None:
            return Outcome(key, Status.SKIPPED, 0, "deleted at the source since the listing")
        if self.options.verify:
            return self._verify(source)
        decision = decide(source, self._head(self.destination, key), self.journal.get(key))
        if not decision.copy:
            return Outcome(key, Status.SKIPPED, source.size, decision.reason)
        if self.options.dry_run:
            return Outcome(key, Status.WOULD_COPY, source.size, decision.reason)
        copied = self.transfer.copy(source)
        self.journal.record(Entry(key, source.etag, source.size, copied.dest_etag, copied.checksum))
        return Outcome(key, Status.COPIED, source.size, f"{decision.reason}; verified ({copied.parts} part(s))")

    def _fast(self, listed: Listed) -> bool:
        options = self.options
        return bool(listed.etag) and listed.size <= options.part_size and not (options.verify or options.dry_run)

    def _copy_new(self, listed: Listed) -> Outcome:
        source, copied = self.transfer.copy_listed(listed.key, listed.etag)
        self.journal.record(Entry(source.key, source.etag, source.size, copied.dest_etag, copied.checksum))
        return Outcome(source.key, Status.COPIED, source.size, f"new; verified ({copied.parts} part(s))")

    def _verify(self, source: StoredObject) -> Outcome:
        """Both sides re-read and compared: size, headers, metadata and the SHA-256 of the whole content."""
        key = source.key
        destination = self._head(self.destination, key)
        if destination is None:
            return Outcome(key, Status.FAILED, source.size, "missing at the destination")
        if destination.size != source.size:
            return Outcome(key, Status.FAILED, source.size, f"size differs ({destination.size} at the destination)")
        if destination.headers != source.headers:
            return Outcome(key, Status.FAILED, source.size, "content type or metadata differ")
        source_sha256 = self.transfer.content_sha256(self.source, source)
        if source_sha256 != self.transfer.content_sha256(self.destination, destination):
            return Outcome(key, Status.FAILED, source.size, "content differs (SHA-256 of both sides re-read)")
        return Outcome(key, Status.VERIFIED, source.size, "same content (SHA-256 of both sides re-read)")

    @staticmethod
    def _head(bucket: Bucket, key: str) -> StoredObject | None:
        try:
            return StoredObject.from_head(key, bucket.client.head_object(Bucket=bucket.name, Key=key))
        except ClientError as error:
            if error_code(error) in _GONE:
                return None
            raise
