"""Bring the assets bucket (or a prefix of it) back to how it was at a point in time, from its versions.

Per key, the state at the point is the newest version or delete marker made at or before it:

- the current version is that version (same bytes and headers): nothing to do;
- only delete markers were made since: they are removed, and the version is current again (`undelete`);
- other versions were written since (an overwrite): the version is copied over as the newest, with its
  headers and metadata (`copy`); the later versions stay behind it, restorable themselves;
- the key had no version yet (created after the point): kept, a restore never deletes a user's newer upload;
- a delete marker whose version expired (older than `noncurrentDays`): reported, nothing is left to restore.

Every decision is taken from the bucket's live state alone, so a second run finds nothing left to do and an
interrupted one continues where it stopped. Nothing is written without `apply` (the command's `--yes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from migrate.objects import Headers
from migrate.transfer import ranges
from verify.aws import AwsError, describe

# CopyObject copies at most 5 GiB; a larger version is copied in parts of this size (UploadPartCopy).
MAX_COPY = 5 * 1024**3
COPY_PART = 512 * 1024**2
_READ_CHUNK = 1024**2


class Action(StrEnum):
    UNCHANGED = "unchanged"
    UNDELETE = "undelete"
    COPY = "copy"
    KEPT_NEWER = "kept-newer"
    LOST = "lost"
    FAILED = "failed"


@dataclass(frozen=True)
class Entry:
    """One version or delete marker of a key, as ListObjectVersions lists it."""

    key: str
    version_id: str
    last_modified: datetime
    is_latest: bool
    delete_marker: bool
    size: int = 0
    etag: str = ""


@dataclass(frozen=True)
class Decision:
    key: str
    action: Action
    # The version the key is brought back to (undelete, copy, unchanged).
    version: Entry | None = None
    # Delete markers made after the point, removed by an undelete.
    markers: tuple[Entry, ...] = ()
    detail: str = ""


@dataclass
class BucketReport:
    bucket: str
    prefix: str
    point: datetime
    applied: bool
    decisions: list[Decision] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for decision in self.decisions if decision.action == action)

    @property
    def ok(self) -> bool:
        return self.count(Action.FAILED) == 0

    def as_json(self) -> dict[str, Any]:
        return {
            "bucket": self.bucket,
            "prefix": self.prefix,
            "point": self.point.isoformat(),
            "applied": self.applied,
            "counts": {action.value: self.count(action) for action in Action},
            "keys": [
                {
                    "key": d.key,
                    "action": d.action.value,
                    **({"versionId": d.version.version_id} if d.version else {}),
                    **({"deleteMarkers": [m.version_id for m in d.markers]} if d.markers else {}),
                    **({"detail": d.detail} if d.detail else {}),
                }
                for d in self.decisions
            ],
        }

    def text(self) -> str:
        verb = "restored" if self.applied else "would restore (dry run; --yes to apply)"
        where = f"s3://{self.bucket}/{self.prefix}"
        counts = ", ".join(f"{self.count(action)} {action.value}" for action in Action)
        lines = [f"bucket {where} at {self.point.isoformat()}: {verb}: {counts}"]
        for decision in self.decisions:
            if decision.action in (Action.UNCHANGED, Action.KEPT_NEWER):
                continue
            version = f" <- version {decision.version.version_id}" if decision.version else ""
            detail = f": {decision.detail}" if decision.detail else ""
            lines.append(f"  {decision.action.value:10} {decision.key}{version}{detail}")
        return "\n".join(lines)


def versions(s3: Any, bucket: str, prefix: str) -> Iterator[list[Entry]]:
    """Every key's versions and delete markers, newest first, key by key (ListObjectVersions' order)."""
    current: list[Entry] = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        entries = [
            Entry(
                v["Key"], v["VersionId"], v["LastModified"], v["IsLatest"], False, v.get("Size", 0), v.get("ETag", "")
            )
            for v in page.get("Versions", [])
        ] + [
            Entry(m["Key"], m["VersionId"], m["LastModified"], m["IsLatest"], True)
            for m in page.get("DeleteMarkers", [])
        ]
        # A page lists versions and markers apart; one key's entries may also straddle two pages.
        for entry in sorted(entries, key=lambda e: (e.key, not e.is_latest, -e.last_modified.timestamp())):
            if current and current[0].key != entry.key:
                yield _newest_first(current)
                current = []
            current.append(entry)
    if current:
        yield _newest_first(current)


def _newest_first(entries: list[Entry]) -> list[Entry]:
    # The latest first whatever the clock says (S3 marks it), then by time.
    return sorted(entries, key=lambda e: (not e.is_latest, -e.last_modified.timestamp()))


def decide(entries: list[Entry], point: datetime, same: Callable[[Entry, Entry], bool]) -> Decision:
    """What to do with one key (its entries newest first) to bring it back to `point`.

    `same(current, version)` says whether the current version already holds that version's bytes and headers.
    """
    key = entries[0].key
    later = [e for e in entries if e.last_modified > point]
    at_point = next((e for e in entries if e.last_modified <= point), None)
    current = entries[0]
    if at_point is None:
        if all(e.delete_marker for e in later) and later:
            return Decision(key, Action.LOST, detail="deleted, and no version is left (older than noncurrentDays)")
        return Decision(key, Action.KEPT_NEWER, detail="created after the point: kept")
    if at_point.delete_marker:
        # Absent at the point; if it exists now, it was uploaded again later: a user's upload, kept.
        if current.delete_marker:
            return Decision(key, Action.UNCHANGED)
        return Decision(key, Action.KEPT_NEWER, detail="deleted before the point, uploaded again later: kept")
    if current.version_id == at_point.version_id:
        return Decision(key, Action.UNCHANGED, at_point)
    later_versions = [e for e in later if not e.delete_marker]
    if not later_versions:
        return Decision(key, Action.UNDELETE, at_point, markers=tuple(later))
    if not current.delete_marker and same(current, at_point):
        return Decision(key, Action.UNCHANGED, at_point, detail="restored before")
    return Decision(key, Action.COPY, at_point)


@dataclass
class BucketRestore:
    s3: Any
    bucket: str

    def head(self, entry: Entry) -> dict[str, Any]:
        return self.s3.head_object(Bucket=self.bucket, Key=entry.key, VersionId=entry.version_id)

    def same(self, current: Entry, version: Entry) -> bool:
        """Same size and headers, and the same ETag or (a copy gets its own ETag) the same SHA-256 of the bytes."""
        if current.size != version.size:
            return False
        if Headers.from_response(self.head(current)) != Headers.from_response(self.head(version)):
            return False
        return current.etag == version.etag or self._sha256(current) == self._sha256(version)

    def _sha256(self, entry: Entry) -> str:
        body = self.s3.get_object(Bucket=self.bucket, Key=entry.key, VersionId=entry.version_id)["Body"]
        digest = hashlib.sha256()
        for chunk in iter(lambda: body.read(_READ_CHUNK), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def apply(self, decision: Decision) -> None:
        if decision.action == Action.UNDELETE:
            # Newest first: should the run stop midway, the key still shows the state of a later marker.
            for marker in decision.markers:
                self.s3.delete_object(Bucket=self.bucket, Key=decision.key, VersionId=marker.version_id)
        elif decision.action == Action.COPY:
            assert decision.version is not None
            self.copy_version(decision.version)

    def copy_version(self, version: Entry) -> None:
        """The version copied over as the newest, with its content type, headers and metadata (S3 copies them)."""
        source = {"Bucket": self.bucket, "Key": version.key, "VersionId": version.version_id}
        if version.size <= MAX_COPY:
            self.s3.copy_object(
                Bucket=self.bucket,
                Key=version.key,
                CopySource=source,
                MetadataDirective="COPY",
                TaggingDirective="COPY",
                ChecksumAlgorithm="SHA256",
            )
            return
        head = self.head(version)
        upload = self.s3.create_multipart_upload(
            Bucket=self.bucket, Key=version.key, ChecksumAlgorithm="SHA256", **Headers.from_response(head).put_args()
        )["UploadId"]
        try:
            parts = []
            for number, (start, end) in enumerate(ranges(version.size, COPY_PART), start=1):
                result = self.s3.upload_part_copy(
                    Bucket=self.bucket,
                    Key=version.key,
                    UploadId=upload,
                    PartNumber=number,
                    CopySource=source,
                    CopySourceRange=f"bytes={start}-{end}",
                )["CopyPartResult"]
                part = {"PartNumber": number, "ETag": result["ETag"]}
                if result.get("ChecksumSHA256"):
                    part["ChecksumSHA256"] = result["ChecksumSHA256"]
                parts.append(part)
            self.s3.complete_multipart_upload(
                Bucket=self.bucket, Key=version.key, UploadId=upload, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            self.s3.abort_multipart_upload(Bucket=self.bucket, Key=version.key, UploadId=upload)
            raise


def restore_bucket(
    s3: Any,
    bucket: str,
    *,
    prefix: str,
    point: datetime,
    apply: bool,
    on_decision: Callable[[Decision], None] = lambda _: None,
) -> BucketReport:
    """Decide every key under `prefix` (and with `apply`, act); a key that fails is reported, the others go on."""
    restore = BucketRestore(s3, bucket)
    report = BucketReport(bucket, prefix, point, apply)
    for entries in versions(s3, bucket, prefix):
        try:
            decision = decide(entries, point, restore.same)
            if apply:
                restore.apply(decision)
        except AwsError as error:
            decision = Decision(entries[0].key, Action.FAILED, detail=describe(error))
        report.decisions.append(decision)
        on_decision(decision)
    return report
