"""The hashes of one object, computed while its parts stream through, in the forms S3 reports them.

S3's ETag is the MD5 of the content only for a single-part upload without SSE-KMS; a multipart ETag
(`<md5 of the part MD5s>-<parts>`) depends on the uploader's part sizes. The copy is therefore verified
with SHA-256 additional checksums: the whole object's for a single PutObject, the composite
`base64(sha256(part digests))-<parts>` for a multipart upload.
"""

from __future__ import annotations

import base64
import hashlib
import re

_PLAIN_MD5 = re.compile(r"^[0-9a-f]{32}$")


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def sha256_b64(data: bytes) -> str:
    return b64(hashlib.sha256(data).digest())


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


class StreamDigest:
    """MD5 and SHA-256 of a whole object plus the SHA-256 of each part, fed part by part in order.

    Each byte is hashed once per hash that is needed: an object in one part has its part's SHA-256 as
    its own (`single`), and the MD5 is only computed when there is one to compare with (`md5`).
    """

    def __init__(self, *, single: bool = False, md5: bool = True) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False) if md5 else None
        self._sha256 = None if single else hashlib.sha256()
        self.part_digests: list[bytes] = []
        self.size = 0

    def add_part(self, data: bytes) -> str:
        """Feed the next part; returns its SHA-256 as S3 spells it (base64)."""
        if self._md5 is not None:
            self._md5.update(data)
        if self._sha256 is not None:
            self._sha256.update(data)
        elif self.part_digests:
            raise ValueError("a single-part digest fed a second part")
        digest = hashlib.sha256(data).digest()
        self.part_digests.append(digest)
        self.size += len(data)
        return b64(digest)

    @property
    def md5_hex(self) -> str | None:
        return None if self._md5 is None else self._md5.hexdigest()

    @property
    def sha256(self) -> str:
        if self._sha256 is not None:
            return b64(self._sha256.digest())
        return b64(self.part_digests[0]) if self.part_digests else b64(hashlib.sha256(b"").digest())

    def s3_checksum(self, multipart: bool) -> str:
        """The ChecksumSHA256 S3 stores for this content uploaded with these parts."""
        return composite_sha256(self.part_digests) if multipart else self.sha256
