"""What one object is on either side, and whether the destination already holds a good copy of it.

The destination's own state decides (a crash at any point leaves either no object, an incomplete
multipart upload, or a complete one), and the journal of verified copies sharpens it: a source
object changed since its copy is recognised even within the same second and the same size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from migrate.checksums import etag_may_be_md5, plain_md5, strip_etag
from migrate.journal import Entry
from migrate.metadata import metadata_text, s3_metadata

# The headers cargohold writes and reads (CargoHold.S3: Content-Type, x-amz-meta-user|bot|provider|token,
# legacy `zasset`) and those any other writer of the bucket may have set; copied as they are.
_HEADER_PARAMS = ("ContentType", "ContentDisposition", "ContentEncoding", "ContentLanguage", "CacheControl")


@dataclass(frozen=True)
class Headers:
    content_type: str | None = None
    content_disposition: str | None = None
    content_encoding: str | None = None
    content_language: str | None = None
    cache_control: str | None = None
    # x-amz-meta-*, names lower-case as S3 returns them, values as the text they stand for (metadata.py),
    # sorted: equality means "same metadata".
    metadata: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Headers:
        values = [response.get(param) or None for param in _HEADER_PARAMS]
        items = (response.get("Metadata") or {}).items()
        metadata = tuple(sorted((str(k).lower(), metadata_text(str(v))) for k, v in items))
        return cls(*values, metadata=metadata)

    def put_args(self) -> dict[str, Any]:
        """Keyword arguments of PutObject / CreateMultipartUpload that write these headers."""
        values = (self.content_type, self.content_disposition, self.content_encoding)
        values += (self.content_language, self.cache_control)
        args: dict[str, Any] = {param: value for param, value in zip(_HEADER_PARAMS, values, strict=True) if value}
        args["Metadata"] = s3_metadata(dict(self.metadata))
        return args


@dataclass(frozen=True)
class StoredObject:
    """One object as a HeadObject of either side describes it."""

    key: str
    size: int
    etag: str
    last_modified: datetime
    headers: Headers
    # False when the ETag is no MD5 whatever it looks like (SSE-KMS, SSE-C: checksums.etag_may_be_md5).
    etag_may_be_md5: bool = True

    @property
    def md5(self) -> str | None:
        """The content's MD5 when the ETag is one."""
        return plain_md5(self.etag) if self.etag_may_be_md5 else None

    @classmethod
    def from_head(cls, key: str, response: Mapping[str, Any]) -> StoredObject:
        return cls(
            key=key,
            size=int(response["ContentLength"]),
            etag=strip_etag(response.get("ETag")),
            last_modified=response["LastModified"],
            headers=Headers.from_response(response),
            etag_may_be_md5=etag_may_be_md5(response),
        )


@dataclass(frozen=True)
class Decision:
    copy: bool
    reason: str


def decide(source: StoredObject, destination: StoredObject | None, entry: Entry | None) -> Decision:
    """Copy unless the destination provably holds this version of the source object."""
    if destination is None:
        return Decision(True, "new")
    if destination.size != source.size:
        return Decision(True, f"size differs ({destination.size} at the destination)")
    if destination.headers != source.headers:
        return Decision(True, "content type or metadata differ")
    if entry is not None:
        if entry.dest_etag != destination.etag:
            # Written over since it was verified (out of band, or by another copy): not the verified bytes.
            return Decision(True, "changed at the destination since its verified copy (ETag differs from the journal)")
        if entry.source_etag == source.etag and entry.size == source.size:
            return Decision(False, "verified copy (journal)")
        return Decision(True, "changed at the source since the last copy")
    source_md5, destination_md5 = source.md5, destination.md5
    if source_md5 and destination_md5:
        if source_md5 == destination_md5:
            return Decision(False, "same MD5")
        return Decision(True, "content differs (MD5)")
    # A multipart ETag on either side: the copy must postdate the source's last change.
    if destination.last_modified > source.last_modified:
        return Decision(False, "copied after the last change at the source")
    return Decision(True, "the source may be newer than the destination")
