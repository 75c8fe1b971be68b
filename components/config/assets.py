"""Asset storage (cargohold): the S3 bucket, its lifecycle and an optional CloudFront."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator

from components.config.base import INT32_MAX, Model, Url, at, fail
from components.config.bucket_names import BucketName, check_bucket_name
from components.config.recovery import ExpectedStorage, Replication, Versions


class CloudFront(Model):
    enabled: bool = False
    """Serve asset downloads through a CloudFront distribution with signed URLs."""
    key_pair_id: str | None = None
    """CloudFront public key id of the key pair cargohold signs download URLs with."""
    private_key: SecretStr | None = None
    """Private key (PEM) of that key pair, mounted as cargohold's cf-pk.pem."""
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"
    """CloudFront price class (edge locations used)."""

    @model_validator(mode="after")
    def _check(self) -> CloudFront:
        if self.enabled and not self.key_pair_id:
            fail(at("keyPairId", "is required with enabled: true (and privateKey as a secret) for signed URLs"))
        return self


class Lifecycle(Model):
    volatile_days: Annotated[int, Field(ge=28, le=INT32_MAX)] = 28
    """cargohold deletes `volatile` assets after 28 days and `expiring` ones after 365: never expire earlier."""
    expiring_days: Annotated[int, Field(ge=365, le=INT32_MAX)] = 365
    """Expire `v3/expiring/` assets after this many days (cargohold: 365)."""
    infrequent_access_days: Annotated[int, Field(ge=30, le=INT32_MAX)] = 30
    """Move `v3/eternal-infrequent_access/` assets to STANDARD_IA after this many days."""
    abort_multipart_days: Annotated[int, Field(ge=1, le=INT32_MAX)] = 7
    """Abort incomplete multipart uploads after this many days."""


_SIZE_RE = re.compile(r"^(\d+)\s*(B|KiB|MiB|GiB|TiB)?$")
_SIZE_UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "TiB": 1024**4}


class AssetMigration(Model):
    """The bucket this stack's assets are copied from (docs/migration.md, "Planning the cutover"): the plan
    summary says how long `python -m migrate assets` is expected to take."""

    objects: Annotated[int, Field(ge=0)]
    """Objects in the source bucket (`mc ls --recursive --summarize`, or a dry run's `listed`)."""
    size: str
    """Their total size, e.g. `750GiB` (B, KiB, MiB, GiB, TiB)."""
    shards: Annotated[int, Field(ge=1, le=1000)] = 8
    """Shards of the in-cluster copy (`--shards`) the estimate is also given for."""

    @model_validator(mode="after")
    def _check(self) -> AssetMigration:
        if not _SIZE_RE.match(self.size.strip()):
            fail(at("size", f"'{self.size}' is not a size like 750GiB (B, KiB, MiB, GiB, TiB)"))
        return self

    @property
    def size_bytes(self) -> int:
        match = _SIZE_RE.match(self.size.strip())
        assert match is not None  # checked above
        return int(match.group(1)) * _SIZE_UNITS[match.group(2) or "B"]


class Assets(Model):
    bucket_name: BucketName | None = None
    """S3 bucket name; `<environment>-<domain with dashes>-wire-assets` when unset."""
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"
    """cargohold's s3AddressingStyle: `auto` for AWS S3, `path` for MinIO-like stores."""
    download_endpoint: Url | None = None
    """Host used in presigned download URLs (s3DownloadEndpoint); S3's own host when unset."""
    cloud_front: CloudFront = Field(default_factory=CloudFront)
    """Optional CloudFront in front of the bucket."""
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    """Lifecycle rules derived from cargohold's retention classes."""
    versions: Versions = Field(default_factory=Versions)
    """The bucket is always versioned: how long a deleted or overwritten asset stays restorable (docs/restore.md)."""
    replication: Replication = Field(default_factory=Replication)
    """Optional replica of the bucket in another region."""
    expected_storage: ExpectedStorage = Field(default_factory=ExpectedStorage)
    """What the bucket holds, as the operator expects it: the plan summary prices versions and replicas from it."""
    migration: AssetMigration | None = None
    """A stack migrating off fake-aws: the size of the bucket its assets are copied from (objects, size)."""


__all__ = ["Assets", "CloudFront", "Lifecycle", "check_bucket_name"]
