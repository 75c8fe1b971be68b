"""An S3 endpoint and its client as the copy configures it (standard library and boto3 only: the in-cluster
shard imports it too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

SOURCE_KEY_ENV = "SOURCE_AWS_ACCESS_KEY_ID"
SOURCE_SECRET_ENV = "SOURCE_AWS_SECRET_ACCESS_KEY"
SOURCE_TOKEN_ENV = "SOURCE_AWS_SESSION_TOKEN"


@dataclass(frozen=True)
class Endpoint:
    role: str  # "source" or "destination", for messages
    bucket: str
    region: str | None
    url: str | None  # None: AWS's own regional endpoint (HTTPS)
    session: boto3.Session

    @property
    def label(self) -> str:
        return f"{self.url.rstrip('/')}/{self.bucket}" if self.url else f"s3://{self.bucket}"

    def client(self, *, max_attempts: int = 5, pool: int = 10) -> Any:
        config = Config(
            # Emulators and minio are addressed path-style; AWS virtual-hosted.
            s3={"addressing_style": "path" if self.url else "virtual"},
            signature_version="s3v4",
            retries={"max_attempts": max_attempts, "mode": "standard"},
            connect_timeout=10,
            read_timeout=120,
            max_pool_connections=pool,
            # Checksums are sent where this tool asks for them (uploads), not on every request:
            # older minio releases reject the trailers newer SDKs add by default.
            request_checksum_calculation="when_required",
        )
        return self.session.client("s3", region_name=self.region, endpoint_url=self.url, config=config)
