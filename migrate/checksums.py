"""The hashes of one object, computed while its parts stream through, in the forms S3 reports them.

S3's ETag is the MD5 of the content only for a single-part upload without SSE-KMS; a multipart ETag
(`<md5 of the part MD5s>-<parts>`) depends on the uploader's part sizes. A single PutObject is therefore
verified with Content-MD5 (which S3 checks on arrival whatever the encryption), a multipart upload with
SHA-256 additional checksums: the composite `base64(sha256(part digests))-<parts>`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any

_PLAIN_MD5 = re.compile(r"^[0-9a-f]{32}$")


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def md5_b64(md5_hex: str) -> str:
    """An MD5 as Content-MD5 spells it (base64 of the digest), from the hex of an ETag."""
    return b64(bytes.fromhex(md5_hex))


def composite_sha256(part_digests: list[bytes]) -> str:
    return f"{b64(hashlib.sha256(b''.join(part_digests)).digest())}-{len(part_digests)}"


def checksum_value(checksum: str) -> str:
    """A composite checksum without its `-<parts>` suffix, which some S3 implementations leave off on HEAD."""
    # Base64 has no '-', so the suffix is unambiguous.
    return checksum.split("-", 1)[0]


def strip_etag(etag: str | None) -> str:
    return (etag or "").strip('"').lower()


def plain_md5(etag: str | None) -> str | None:
    """The content MD5 an ETag stands for, or None when it is a multipart (or otherwise opaque) ETag."""
    value = strip_etag(etag)
    return value if _PLAIN_MD5.match(value) else None


def etag_md5(response: Mapping[str, Any]) -> str | None:
    """The content MD5 the ETag of a PutObject or HeadObject answer stands for; None when it stands for none: a
    multipart ETag, or an object encrypted with SSE-KMS or SSE-C, whose ETag looks like an MD5 and is not one."""
    return plain_md5(response.get("ETag")) if etag_may_be_md5(response) else None


def etag_may_be_md5(response: Mapping[str, Any]) -> bool:
    """False for an object encrypted with SSE-KMS or SSE-C (its ETag is no MD5, whatever it looks like)."""
    encryption = str(response.get("ServerSideEncryption") or "")
    return not (encryption.startswith("aws:kms") or response.get("SSECustomerAlgorithm"))


class StreamDigest:
    """MD5 and SHA-256 of a whole object plus the SHA-256 of each part, fed part by part in order (the
    MD5 only when there is one to compare with: `md5`)."""

    def __init__(self, *, md5: bool = True) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False) if md5 else None
        self._sha256 = hashlib.sha256()
        self.part_digests: list[bytes] = []
        self.size = 0

    def add_part(self, data: bytes) -> str:
        """Feed the next part; returns its SHA-256 as S3 spells it (base64)."""
        if self._md5 is not None:
            self._md5.update(data)
        self._sha256.update(data)
        digest = hashlib.sha256(data).digest()
        self.part_digests.append(digest)
        self.size += len(data)
        return b64(digest)

    @property
    def md5_hex(self) -> str | None:
        return None if self._md5 is None else self._md5.hexdigest()

    @property
    def sha256(self) -> str:
        return b64(self._sha256.digest())

    def s3_checksum(self, multipart: bool) -> str:
        """The ChecksumSHA256 S3 stores for this content uploaded with these parts."""
        return composite_sha256(self.part_digests) if multipart else self.sha256
