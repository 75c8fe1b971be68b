"""Copy one object: streamed from the source part by part, uploaded, verified, never left half done.

Memory per object is one part. A small object goes in one PutObject, a larger one in a multipart
upload of fixed-size parts read with ranged GETs. Every read is conditional on the source ETag
(If-Match), so an object rewritten during its copy fails instead of mixing versions.

What the destination stores is proven to be what the source holds. A single PutObject carries the
source's own MD5 (its ETag, when it is one; else the MD5 of what was read) as Content-MD5: the
destination refuses a body with another MD5, and where its ETag is the content's MD5 (no SSE-KMS) the
ETag it answers is compared too. A multipart upload sends the SHA-256 of each part as read, which S3
checks and stores; its composite is compared for the whole object. An upload that fails for any reason
is aborted, and a copy whose bytes do not verify is deleted again: no corrupt object stays at the
destination.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from migrate.checksums import StreamDigest, b64, checksum_value, etag_md5, md5_b64, strip_etag
from migrate.objects import Headers, StoredObject
from migrate.relay import Relay
from migrate.s3http import FastClient
from verify.aws import describe, error_code

MIB = 1024 * 1024
MIN_PART_SIZE = 5 * MIB  # S3's minimum for every part but the last
MAX_PART_SIZE = 5 * 1024 * MIB
MAX_PARTS = 10_000
# A part of the default size (and any smaller object) is read in one piece, straight into its bytes object.
_READ_CHUNK = 16 * MIB


class Retryable(Exception):
    """An attempt that may succeed when made again: retried, then reported as failed."""


class VerificationError(Retryable):
    """The bytes that arrived are not the bytes that were read: retried, then reported as failed."""


class Gone(Exception):
    """The source object was deleted since it was listed: nothing to copy."""


class Interrupted(Exception):
    """The run was asked to stop; the object's upload was aborted."""


@dataclass(frozen=True)
class Copied:
    dest_etag: str
    # What the copy was verified with: "md5:<hex>" (Content-MD5) or "sha256:<base64>" (S3's SHA-256 checksum).
    checksum: str
    parts: int


@dataclass(frozen=True)
class Bucket:
    client: Any
    name: str


def part_size_for(size: int, part_size: int) -> int:
    """The configured part size, doubled until the object fits S3's 10,000 parts."""
    while -(-size // part_size) > MAX_PARTS:
        part_size *= 2
    return part_size


def ranges(size: int, part_size: int) -> Iterator[tuple[int, int]]:
    """Inclusive byte ranges of the parts of an object of `size` bytes."""
    for start in range(0, size, part_size):
        yield start, min(start + part_size, size) - 1


@dataclass
class Transfer:
    source: Bucket
    destination: Bucket
    part_size: int
    stop: threading.Event
    # When this run started: multipart uploads of a key initiated before it are leftovers of a killed run.
    started: datetime
    # Compare the MD5 of what was read with a single-part source ETag (off for a source whose ETags are
    # not content MD5s, e.g. minio with encryption).
    check_source_md5: bool = True
    on_bytes: Callable[[int], None] = lambda _: None
    # Whether the destination's last PutObject answer had the content's MD5 as its ETag (no SSE-KMS/SSE-C):
    # learnt from the answers, as the bucket's encryption may not be readable with the copy's permissions.
    # None: no answer yet.
    etags_are_md5: bool | None = None

    def copy(self, source: StoredObject) -> Copied:
        if source.size <= self.part_size:
            return self._copy_single(source)
        return self._copy_multipart(source)

    def copy_listed(self, key: str, etag: str) -> tuple[StoredObject, Copied]:
        """Copy a single-part object the destination does not list, without a HEAD of the source: one GET
        (conditional on the listed ETag) brings the bytes and the headers and metadata to copy."""
        try:
            response = self.source.client.get_object(Bucket=self.source.name, Key=key, IfMatch=f'"{etag}"')
        except ClientError as error:
            if error_code(error) in ("404", "NoSuchKey", "NotFound"):
                raise Gone(key) from None
            raise
        source = StoredObject.from_head(key, response)
        if source.size > self.part_size:
            response["Body"].close()
            raise VerificationError(f"grew to {source.size} bytes since the listing")
        return source, self._put_single(source, response)

    # --- reading -------------------------------------------------------------------------------------

    def _get(self, source: StoredObject, byte_range: tuple[int, int] | None) -> tuple[dict[str, Any], int]:
        """The source's GET (of a range), conditional on its ETag, and how many bytes it must bring."""
        args: dict[str, Any] = {"Bucket": self.source.name, "Key": source.key, "IfMatch": f'"{source.etag}"'}
        expected = source.size
        if byte_range is not None:
            args["Range"] = f"bytes={byte_range[0]}-{byte_range[1]}"
            expected = byte_range[1] - byte_range[0] + 1
        return self.source.client.get_object(**args), expected

    def _read(self, source: StoredObject, byte_range: tuple[int, int] | None) -> bytes:
        return self._drain(source.key, *self._get(source, byte_range))

    def _drain(self, key: str, response: dict[str, Any], expected: int) -> bytes:
        body = response["Body"]
        chunks: list[bytes] = []
        try:
            while chunk := body.read(_READ_CHUNK):
                if self.stop.is_set():
                    raise Interrupted(key)
                chunks.append(chunk)
        except OSError as error:  # the connection broke off mid-body (what the relay retries too)
            raise Retryable(f"reading the source broke off: {type(error).__name__}: {error}") from error
        finally:
            body.close()
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        if len(data) != expected:
            raise VerificationError(f"read {len(data)} bytes of {expected} from the source")
        return data

    def _source_md5(self, source: StoredObject) -> str | None:
        return source.md5 if self.check_source_md5 else None

    def _check_source(self, source: StoredObject, digest: StreamDigest) -> None:
        if digest.size != source.size:
            raise VerificationError(f"read {digest.size} bytes, the source has {source.size}")
        md5 = self._source_md5(source)
        if md5 and digest.md5_hex != md5:
            raise VerificationError("the bytes read do not match the source's MD5 (ETag)")

    # --- writing -------------------------------------------------------------------------------------

    def _copy_single(self, source: StoredObject) -> Copied:
        if not source.size:
            return self._put_single(source, None)
        response, expected = self._get(source, None)
        if int(response.get("ContentLength", expected)) != expected:
            response["Body"].close()
            raise VerificationError(f"the source sends {response.get('ContentLength')} bytes of {expected}")
        return self._put_single(source, response)

    def _put_single(self, source: StoredObject, response: dict[str, Any] | None) -> Copied:
        """One PutObject, its bytes proven. With Content-MD5: the source's own MD5 when its ETag is one (the
        destination then checks what arrives against what the source holds, and nothing is hashed here), else
        the MD5 of what was read (its size and the If-Match on the source ETag checked while reading). A
        source without an MD5 is relayed without one unless the destination's ETags are known not to be content
        MD5s (SSE-KMS): the MD5 of the bytes as they went is compared with the ETag the destination computed
        over the bytes it stored. Until its first answer tells, a destination is taken to give MD5s: under
        SSE-KMS the few objects relayed meanwhile (at most one per job) are sent again with Content-MD5."""
        md5 = self._source_md5(source)
        relay = response is not None and isinstance(self.destination.client, FastClient)
        if relay and (md5 is not None or self.etags_are_md5 is not False):
            # Relayed from the GET into the PUT as it arrives (memory: one chunk), as rclone does.
            stopped = functools.partial(Interrupted, source.key)
            body: Any = Relay(response["Body"], source.size, self.stop, stopped, hashed=md5 is None)  # type: ignore[index]
        else:
            body = self._drain(source.key, response, source.size) if response is not None else b""
            md5 = md5 or hashlib.md5(body, usedforsecurity=False).hexdigest()
        if self.stop.is_set():
            raise Interrupted(source.key)
        try:
            written = self.destination.client.put_object(
                Bucket=self.destination.name,
                Key=source.key,
                Body=body,
                ContentLength=source.size,
                **({"ContentMD5": md5_b64(md5)} if md5 else {}),
                **source.headers.put_args(),
            )
        except Exception as error:
            failure = _upload_failure(error, body)
            if failure is error:
                raise
            raise failure from error
        finally:
            if isinstance(body, Relay):
                body.close()
        self.on_bytes(source.size)
        stored = etag_md5(written)
        self.etags_are_md5 = stored is not None
        if md5 is None:
            md5 = body.md5_hex()
            if stored is None:  # SSE-KMS since the last answer: nothing proves these bytes; again with Content-MD5
                self._delete(source.key)
                raise VerificationError("the destination's ETag is no MD5 (SSE-KMS): copied again with Content-MD5")
        if stored is not None and stored != md5:
            self._delete(source.key)
            raise VerificationError("the destination stored different bytes than the source holds (MD5)")
        if written.get("ETag") and isinstance(self.destination.client, FastClient):
            # The answer is the proof: the request's SigV4 signature covers every header it sent (content type,
            # metadata, Content-MD5), which S3 authenticates, and S3 checked the body against the Content-MD5
            # (or the ETag, where it is the MD5, was compared above). A HEAD would tell nothing more; a
            # client that builds the request itself (botocore) is read back instead.
            return Copied(dest_etag=strip_etag(written["ETag"]), checksum=f"md5:{md5}", parts=1)
        return self._verify_single(source, md5)

    def _copy_multipart(self, source: StoredObject) -> Copied:
        self._abort_leftovers(source.key)
        dest = self.destination
        upload_id = dest.client.create_multipart_upload(
            Bucket=dest.name, Key=source.key, ChecksumAlgorithm="SHA256", **source.headers.put_args()
        )["UploadId"]
        digest = StreamDigest(md5=self._source_md5(source) is not None)
        parts: list[dict[str, Any]] = []
        try:
            for number, byte_range in enumerate(ranges(source.size, part_size_for(source.size, self.part_size)), 1):
                if self.stop.is_set():
                    raise Interrupted(source.key)
                data = self._read(source, byte_range)
                checksum = digest.add_part(data)
                response = dest.client.upload_part(
                    Bucket=dest.name,
                    Key=source.key,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=data,
                    ChecksumAlgorithm="SHA256",
                )
                received = response.get("ChecksumSHA256")
                if received is not None and received != checksum:
                    raise VerificationError(f"part {number}: the destination received different bytes than were read")
                parts.append({"PartNumber": number, "ETag": response["ETag"], "ChecksumSHA256": checksum})
                self.on_bytes(len(data))
            self._check_source(source, digest)
            dest.client.complete_multipart_upload(
                Bucket=dest.name, Key=source.key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            with contextlib.suppress(Exception):
                dest.client.abort_multipart_upload(Bucket=dest.name, Key=source.key, UploadId=upload_id)
            raise
        return self._verify_multipart(source, digest, parts=len(parts))

    def _abort_leftovers(self, key: str) -> None:
        """Abort this key's multipart uploads left by an earlier run that was killed."""
        dest = self.destination
        try:
            uploads = dest.client.list_multipart_uploads(Bucket=dest.name, Prefix=key).get("Uploads") or []
        except ClientError as error:
            if error_code(error) not in ("403", "AccessDenied"):
                raise
            # A role without s3:ListBucketMultipartUploads (cargohold's, in the in-cluster copy): the
            # bucket's lifecycle rule aborts what a killed run left (abort-incomplete-multipart).
            return
        for upload in uploads:
            if upload.get("Key") == key and upload.get("Initiated", self.started) < self.started:
                dest.client.abort_multipart_upload(Bucket=dest.name, Key=key, UploadId=upload["UploadId"])

    def _delete(self, key: str) -> None:
        with contextlib.suppress(Exception):
            self.destination.client.delete_object(Bucket=self.destination.name, Key=key)

    # --- verifying -----------------------------------------------------------------------------------

    def _verify_single(self, source: StoredObject, md5: str) -> Copied:
        """What a single PutObject stored: its size, its ETag (the MD5 where it is one; under SSE-KMS it is
        not, and the destination's Content-MD5 check on arrival is the proof) and its headers."""
        head = self.destination.client.head_object(Bucket=self.destination.name, Key=source.key)
        problems: list[str] = []
        stored = etag_md5(head)
        if stored is not None and stored != md5:
            problems.append(f"MD5 {stored} instead of {md5}")
        return self._verified(source, head, problems, checksum=f"md5:{md5}", parts=1)

    def _verify_multipart(self, source: StoredObject, digest: StreamDigest, *, parts: int) -> Copied:
        """Compare what a multipart upload stored (its composite SHA-256) with what was read."""
        dest = self.destination
        head = dest.client.head_object(Bucket=dest.name, Key=source.key, ChecksumMode="ENABLED")
        stored = head.get("ChecksumSHA256")
        expected = digest.s3_checksum(multipart=True)
        problems: list[str] = []
        if stored is None:
            # A destination that keeps no additional checksums (some emulators): read the copy back.
            if self._reread_sha256(source.key) != digest.sha256:
                problems.append("SHA-256 of the copy read back differs")
        elif checksum_value(stored) != checksum_value(expected):
            problems.append(f"SHA-256 {stored} instead of {expected}")
        return self._verified(source, head, problems, checksum=f"sha256:{stored or digest.sha256}", parts=parts)

    def _verified(
        self, source: StoredObject, head: dict[str, Any], problems: list[str], *, checksum: str, parts: int
    ) -> Copied:
        """The copy as `head` shows it, given the checksum `problems` found: deleted if it differs from the source
        (in size too), kept but retried if only its headers do."""
        if int(head["ContentLength"]) != source.size:
            problems = [f"size {head['ContentLength']} instead of {source.size}", *problems]
        if problems:
            self._delete(source.key)
            raise VerificationError("the copy does not verify: " + "; ".join(problems))
        if Headers.from_response(head) != source.headers:
            # The bytes are right: keep them (cargohold can serve them); the next attempt rewrites the headers.
            raise VerificationError("the copy's content type or metadata differ from the source's")
        return Copied(dest_etag=strip_etag(head.get("ETag")), checksum=checksum, parts=parts)

    def _reread_sha256(self, key: str) -> str:
        return self._stream_sha256(self.destination, {"Key": key})

    def content_sha256(self, bucket: Bucket, stored: StoredObject) -> str:
        """SHA-256 of an object's whole content, streamed (whatever its ETag: multipart or not), read
        conditionally on the ETag it was listed with; a single-part source is also checked against its MD5."""
        args = {"Key": stored.key, "IfMatch": f'"{stored.etag}"'} if stored.etag else {"Key": stored.key}
        # Only the source's: the destination's ETag is no MD5 under SSE-KMS, its default encryption with a key.
        md5 = stored.md5 if self.check_source_md5 and bucket is self.source else None
        return self._stream_sha256(bucket, args, md5)

    def _stream_sha256(self, bucket: Bucket, args: dict[str, Any], md5: str | None = None) -> str:
        digest, content_md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
        body = bucket.client.get_object(Bucket=bucket.name, **args)["Body"]
        try:
            while chunk := body.read(_READ_CHUNK):
                if self.stop.is_set():
                    raise Interrupted(args["Key"])
                digest.update(chunk)
                content_md5.update(chunk)
        finally:
            body.close()
        if md5 and content_md5.hexdigest() != md5:
            raise VerificationError("the bytes read do not match the object's MD5 (ETag)")
        return b64(digest.digest())


_DIGEST_MISMATCH = frozenset({"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"})
_TRANSIENT = frozenset(
    {"500", "502", "503", "504", "InternalError", "SlowDown", "RequestTimeout", "ServiceUnavailable"}
)


def _upload_failure(error: Exception, body: Any) -> BaseException:
    """What a failed PutObject means for the copy: the read broke off (or was stopped), the destination got
    other bytes than were sent (retried), the upload broke off (retried: a relayed body is not sent again
    by the client), or the destination refused it (reported)."""
    if isinstance(body, Relay) and body.error is not None:
        if isinstance(body.error, Interrupted):
            return body.error
        return Retryable(f"reading the source broke off: {describe(body.error)}")  # type: ignore[arg-type]
    code = error_code(error) if isinstance(error, ClientError) else ""
    if code in _DIGEST_MISMATCH:
        return VerificationError(f"the destination received other bytes than were sent ({code})")
    if code in _TRANSIENT or (isinstance(error, BotoCoreError) and not isinstance(error, ClientError)):
        return Retryable(f"the upload broke off: {describe(error)}")
    return error
