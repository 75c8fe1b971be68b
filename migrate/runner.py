"""Copy a whole bucket: list the source, decide and copy each object on a bounded thread pool."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from migrate.journal import Entry, Journal
from migrate.objects import StoredObject, decide
from migrate.progress import Progress
from migrate.report import Outcome, Report, Status
from migrate.transfer import MIB, Bucket, Interrupted, Transfer, VerificationError
from verify.aws import describe, error_code

_GONE = frozenset({"404", "NoSuchKey", "NotFound"})
_CHANGED = frozenset({"412", "PreconditionFailed"})


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
        """Every listed object ends as one outcome; Ctrl-C stops cleanly (in-flight uploads aborted)."""
        window = self.options.jobs * 4  # bounded: a bucket of millions of keys is never all queued
        pending: set[Future[Outcome]] = set()
        # Keys with a verified copy the listing has not shown yet: what is left at the end is gone from the source.
        unseen = {key for key in self.journal.copied_keys() if key.startswith(self.options.prefix)}
        with ThreadPoolExecutor(max_workers=self.options.jobs, thread_name_prefix="migrate") as pool:
            try:
                for key, size in self._listing():
                    if self.stop.is_set():
                        break
                    unseen.discard(key)
                    self.report.listed += 1
                    self.report.listed_bytes += size
                    self.progress.on_listed(size)
                    pending.add(pool.submit(self.process, key))
                    if len(pending) >= window:
                        pending = self._collect(pending, FIRST_COMPLETED)
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
        self.progress.close()
        return self.report

    def _listing(self) -> Iterator[tuple[str, int]]:
        paginator = self.source.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.source.name, Prefix=self.options.prefix):
                for item in page.get("Contents") or []:
                    yield item["Key"], int(item.get("Size") or 0)
        except (ClientError, BotoCoreError) as error:
            self.report.incomplete = f"listing the source broke off: {describe(error)}"

    def _collect(self, pending: set[Future[Outcome]], return_when: str | None) -> set[Future[Outcome]]:
        if not pending:
            return pending
        done, rest = wait(pending, return_when=return_when or "ALL_COMPLETED")
        for future in done:
            outcome = future.result()
            self.report.add(outcome)
            self.progress.on_outcome(outcome)
        return rest

    def process(self, key: str) -> Outcome:
        """Decide and, if needed, copy one object; never raises (every error becomes a failed outcome)."""
        problem = "no attempt made"
        if self.stop.is_set():
            return Outcome(key, Status.FAILED, 0, "not copied: the run was interrupted")
        for attempt in range(1, self.options.retries + 2):
            try:
                return self._attempt(key)
            except VerificationError as error:
                problem = f"{error} (attempt {attempt})"
            except Interrupted:
                return Outcome(key, Status.FAILED, 0, "interrupted; its upload was aborted")
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
        self.journal.record(Entry(key, source.etag, source.size, copied.dest_etag, copied.checksum_sha256))
        return Outcome(key, Status.COPIED, source.size, f"{decision.reason}; verified ({copied.parts} part(s))")

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
