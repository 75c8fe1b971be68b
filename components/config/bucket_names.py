"""S3's rules for a bucket name (the assets bucket, its replica, an adopted bucket)."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator

_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


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


def _valid(value: str) -> str:
    check_bucket_name(value)
    return value


BucketName = Annotated[str, AfterValidator(_valid)]
