"""An S3 endpoint and its clients as the copy configures them (standard library, and boto3 only where a call
needs it: the in-cluster shard imports this too)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from migrate.sigv4 import Keys

SOURCE_KEY_ENV = "SOURCE_AWS_ACCESS_KEY_ID"
SOURCE_SECRET_ENV = "SOURCE_AWS_SECRET_ACCESS_KEY"
SOURCE_TOKEN_ENV = "SOURCE_AWS_SESSION_TOKEN"


@dataclass(frozen=True)
class Endpoint:
    role: str  # "source" or "destination", for messages
    bucket: str
    region: str | None
    url: str | None  # None: AWS's own regional endpoint (HTTPS)
    keys: Keys | None = None  # None: `profile`, else the AWS default chain (botocore's)
    profile: str | None = None

    @property
    def label(self) -> str:
        return f"{self.url.rstrip('/')}/{self.bucket}" if self.url else f"s3://{self.bucket}"

    def session(self) -> Any:
        return session(self.keys, self.profile)

    def client(self, *, max_attempts: int = 5, pool: int = 10) -> Any:
        """A boto3 S3 client."""
        from botocore.config import Config

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
        return self.session().client("s3", region_name=self.region, endpoint_url=self.url, config=config)

    def fast_client(self, *, max_attempts: int = 5, pool: int = 10) -> Any:
        """The copy's client (migrate/s3http.py). An endpoint given as a URL, with its region and static keys,
        is reached without loading botocore's clients, a fraction of a second of every run's start; AWS's own
        endpoints (botocore's endpoint rules) and other credentials go through a boto3 client."""
        from migrate import s3http

        keys = self.keys or (None if self.profile else environment_keys())
        if self.url and self.region and keys is not None:

            def fallback() -> Any:
                return self.client(max_attempts=max_attempts, pool=pool)

            fast = s3http.standalone(self.url, self.region, keys, fallback, pool=pool, attempts=max_attempts)
            if fast is not None:
                return fast
        return s3http.wrap(self.client(max_attempts=max_attempts, pool=pool))


def session(keys: Keys | None, profile: str | None) -> Any:
    """A boto3 session with `keys`, else `profile`, else the AWS default chain."""
    import boto3

    if keys is not None:
        return boto3.Session(
            aws_access_key_id=keys.access_key, aws_secret_access_key=keys.secret_key, aws_session_token=keys.token
        )
    return boto3.Session(profile_name=profile) if profile else boto3.Session()


def environment_keys() -> Keys | None:
    """The keys the AWS default chain takes first, when they are in the environment (botocore's EnvProvider);
    None when the chain would look further (profiles, web identity, the instance's role) or they expire."""
    access, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not access or not secret or os.environ.get("AWS_CREDENTIAL_EXPIRATION"):
        return None
    return Keys(access, secret, os.environ.get("AWS_SECURITY_TOKEN") or os.environ.get("AWS_SESSION_TOKEN") or None)
