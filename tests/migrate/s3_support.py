"""Helpers of the asset copy tests: the two buckets, sample assets as cargohold writes them, faults."""

from __future__ import annotations

import hashlib
import io
import math
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from migrate.journal import Journal
from migrate.progress import Progress
from migrate.report import Report
from migrate.runner import Options, Runner
from migrate.transfer import MIB, Bucket

SOURCE_BUCKET = "dummy-bucket"
SOURCE_REGION = "us-east-1"
DEST_BUCKET = "dev-wire-test-wire-assets"
DEST_REGION = "eu-west-1"
PART = 5 * MIB  # S3's (and moto's) minimum part size: the smallest multipart objects a test can make
# cargohold's audit metadata (CargoHold.S3 `setAmzAuditLogMetadata`, wire-server develop): JSON of the conversation
# and the file; ASCII here (non-ASCII names: test_assets_verification.py).
WIRE_METADATA_ASCII = (
    '{"convId":{"domain":"example.com","id":"00000000-0000-4000-8000-0000000000c8"},'
    '"filename":"report-q3.pdf","filetype":"application/pdf"}'
)


def client(url: str, region: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )


def next_second(after: datetime | None = None) -> None:
    """Waits until the clock is in a later whole second than `after` (default: now).

    S3's Last-Modified has whole seconds: what is written from then on is newer than everything written up to
    `after`, and than `after` itself. The clock is the server's too (moto_server runs on this machine).
    """
    moment = after.timestamp() if after else time.time()
    wait = math.floor(moment) + 1 - time.time()
    if wait > 0:
        time.sleep(wait)


def data(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def uid(seed: int) -> str:
    return str(uuid.UUID(int=seed + 1, version=4))


@dataclass(frozen=True)
class Asset:
    key: str
    body: bytes
    content_type: str = "application/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    # Upload in parts of this size at the source (a multipart ETag there), else one PutObject.
    source_parts: int | None = None


def assets() -> list[Asset]:
    """Every kind of key and metadata cargohold has written, in sizes around the part boundaries."""
    owner = {"user": uid(100)}
    return [
        Asset(f"v3/eternal/{uid(1)}", b"", metadata=owner),
        Asset(f"v3/persistent/{uid(2)}", data(1, 2), metadata={**owner, "token": "aGVsbG8td2lyZQ"}),
        Asset(f"v3/volatile/{uid(3)}", data(100 * 1024, 3), metadata={"bot": uid(101)}),
        Asset(f"v3/expiring/{uid(4)}", data(PART, 4), metadata={"provider": uid(102)}),
        Asset(f"v3/eternal-infrequent_access/{uid(5)}", data(PART + 1, 5), metadata=owner),
        Asset(f"v3/eternal/{uid(6)}", data(2 * PART + 123, 6), metadata=owner),
        Asset(f"v3/eternal/{uid(7)}", data(PART + 2048, 7), metadata=owner, source_parts=PART),
        Asset(f"otr/{uid(8)}/{uid(9)}", data(3000, 8), "image/png", metadata=owner),
        Asset(uid(10), data(512, 10), "image/jpeg", {"zasset": "public=true"}, {"ContentDisposition": "inline"}),
        # As cargohold streams an upload with the audit metadata on: multipart at the source, exactly two parts.
        Asset(
            f"v3/eternal/{uid(11)}",
            data(2 * PART, 11),
            "application/pdf",
            {**owner, "token": "c2VjcmV0LXRva2Vu", "wire-metadata": WIRE_METADATA_ASCII},
            source_parts=PART,
        ),
    ]


def few() -> list[Asset]:
    """A quicker set for the fault tests: small ones, one multipart (2 parts), a legacy key."""
    every = assets()
    return [every[0], every[1], every[4], every[8]]


@dataclass
class Side:
    url: str
    bucket: str
    client: Any

    def put(self, asset: Asset) -> None:
        args = {"Bucket": self.bucket, "Key": asset.key, "ContentType": asset.content_type, "Metadata": asset.metadata}
        args.update(asset.extra)
        if asset.source_parts is None:
            self.client.put_object(Body=asset.body, **args)
            return
        upload = self.client.create_multipart_upload(**args)["UploadId"]
        parts = []
        for number, start in enumerate(range(0, len(asset.body), asset.source_parts), 1):
            body = asset.body[start : start + asset.source_parts]
            etag = self.client.upload_part(
                Bucket=self.bucket, Key=asset.key, UploadId=upload, PartNumber=number, Body=body
            )["ETag"]
            parts.append({"PartNumber": number, "ETag": etag})
        self.client.complete_multipart_upload(
            Bucket=self.bucket, Key=asset.key, UploadId=upload, MultipartUpload={"Parts": parts}
        )

    def listing(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents") or [])

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def head(self, key: str) -> dict[str, Any]:
        return self.client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")

    def uploads(self) -> list[dict[str, Any]]:
        return self.client.list_multipart_uploads(Bucket=self.bucket).get("Uploads") or []


@dataclass
class Buckets:
    source: Side
    destination: Side
    tmp: Path

    @property
    def journal(self) -> Path:
        return self.tmp / "journal.jsonl"

    def fill(self, items: list[Asset]) -> None:
        for asset in items:
            self.source.put(asset)

    def cli_args(self, *extra: str) -> list[str]:
        return [
            "assets",
            "--from",
            f"{self.source.url}/{self.source.bucket}",
            "--to-endpoint",
            self.destination.url,
            "--to-bucket",
            self.destination.bucket,
            "--to-region",
            DEST_REGION,
            "--part-size",
            "5MiB",
            "--journal",
            str(self.journal),
            *extra,
        ]

    def copy(
        self,
        *,
        source: Any = None,
        destination: Any = None,
        journal: bool = True,
        dry_run: bool = False,
        stop: threading.Event | None = None,
        jobs: int = 2,
        retries: int = 2,
        verify: bool = False,
    ) -> Report:
        """One run of the copy in this process, optionally through faulty clients."""
        report = Report("source", "destination", dry_run=dry_run, verify=verify)
        runner = Runner(
            Bucket(source or self.source.client, self.source.bucket),
            Bucket(destination or self.destination.client, self.destination.bucket),
            Options(jobs=jobs, part_size=PART, retries=retries, dry_run=dry_run, verify=verify),
            journal=Journal(self.journal if journal else None, writable=not (dry_run or verify)),
            progress=Progress(lines=StringIO(), bar=StringIO(), tty=False),
            report=report,
            stop=stop,
        )
        return runner.run()


class Faulty:
    """A client whose named calls are replaced; every other call goes to the real client."""

    def __init__(self, real: Any, **calls: Callable[..., Any]) -> None:
        self._real = real
        self._calls = calls
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._real, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.counts[name] = self.counts.get(name, 0) + 1
            replacement = self._calls.get(name)
            return replacement(real, **kwargs) if replacement else real(*args, **kwargs)

        return call if callable(real) else real


def integrity_proof(head: dict[str, Any], body: bytes) -> str | None:
    """Why a copy's stored bytes are proven, from its HEAD; None when they are not. A multipart copy (parts of
    PART) carries S3's composite SHA-256 of the parts it checked; a single PutObject went with Content-MD5,
    and its ETag is the MD5 of the bytes stored (moto: no SSE-KMS)."""
    if len(body) > PART:
        return "sha256" if head.get("ChecksumSHA256") else None
    return "md5" if head["ETag"].strip('"') == hashlib.md5(body).hexdigest() else None


def flip_bit(body: bytes, position: int = 0) -> bytes:
    if not body:
        return b"\x01"
    flipped = bytearray(body)
    flipped[position % len(body)] ^= 0x01
    return bytes(flipped)


class Flip:
    """A bit flip in the bodies of a key: on every call, or only on the first `times`."""

    def __init__(self, key: str, times: int | None = None) -> None:
        self.key, self.times, self.done = key, times, 0
        self._lock = threading.Lock()

    def due(self, key: str) -> bool:
        with self._lock:
            if key != self.key or (self.times is not None and self.done >= self.times):
                return False
            self.done += 1
            return True

    def on_read(self, real: Callable[..., Any], **kwargs: Any) -> Any:
        response = real(**kwargs)
        if self.due(kwargs["Key"]):
            response["Body"] = io.BytesIO(flip_bit(response["Body"].read(), 7))
        return response

    def on_write(self, real: Callable[..., Any], **kwargs: Any) -> Any:
        if self.due(kwargs["Key"]):
            kwargs["Body"] = flip_bit(kwargs["Body"], 7)
        return real(**kwargs)
