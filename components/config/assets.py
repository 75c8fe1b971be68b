"""Asset storage (cargohold): the S3 bucket, its lifecycle and an optional CloudFront."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator

from components.config.base import INT32_MAX, Model, Url, at, fail

_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


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


class Assets(Model):
    bucket_name: str | None = None
    """S3 bucket name; `<environment>-<domain with dashes>-wire-assets` when unset."""
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"
    """cargohold's s3AddressingStyle: `auto` for AWS S3, `path` for MinIO-like stores."""
    download_endpoint: Url | None = None
    """Host used in presigned download URLs (s3DownloadEndpoint); S3's own host when unset."""
    cloud_front: CloudFront = Field(default_factory=CloudFront)
    """Optional CloudFront in front of the bucket."""
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    """Lifecycle rules derived from cargohold's retention classes."""

    @model_validator(mode="after")
    def _check(self) -> Assets:
        if self.bucket_name is not None:
            check_bucket_name(self.bucket_name)
        return self


def check_bucket_name(name: str) -> None:
    if not _BUCKET_RE.match(name) or ".." in name or name.startswith("xn--") or name.endswith("-s3alias"):
        raise ValueError(
            f"bucket name '{name}' is not valid for S3: 3-63 characters of a-z, 0-9, '.' and '-', "
            "starting and ending with a letter or digit"
        )
    if ipaddress_like(name):
        raise ValueError(f"bucket name '{name}' must not look like an IP address")


def ipaddress_like(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
