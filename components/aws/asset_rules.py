"""cargohold's bucket rules as plain data (no Pulumi here): the web origins of its CORS rule and its lifecycle.

`components/aws/assets.py` builds the resources from these, and `verify` compares the live bucket with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.config import StackConfig

# Methods of the CORS rules: downloads, and the preflight a browser may send first.
CORS_METHODS = ["GET", "HEAD"]
CORS_MAX_AGE = 3000


def web_origins(domain: str) -> list[str]:
    """The Wire web apps that fetch assets from the browser."""
    return [f"https://{host}.{domain}" for host in ("webapp", "teams", "account")]


@dataclass(frozen=True)
class LifecycleRule:
    """One enabled rule; `prefix` None applies it to the whole bucket."""

    id: str
    prefix: str | None
    expiration_days: int | None = None
    # Days after which the objects move to STANDARD_IA.
    infrequent_access_days: int | None = None
    abort_multipart_days: int | None = None
    # Days after which a version that is no longer current (deleted or overwritten) is removed for good.
    noncurrent_days: int | None = None
    # Remove a delete marker once no version is left behind it (it would only slow down listings).
    expired_object_delete_marker: bool = False

    def api(self) -> dict[str, Any]:
        """The rule as S3's GetBucketLifecycleConfiguration returns it."""
        rule: dict[str, Any] = {"ID": self.id, "Status": "Enabled", "Filter": {"Prefix": self.prefix or ""}}
        if self.expiration_days is not None:
            rule["Expiration"] = {"Days": self.expiration_days}
        if self.infrequent_access_days is not None:
            rule["Transitions"] = [{"Days": self.infrequent_access_days, "StorageClass": "STANDARD_IA"}]
        if self.abort_multipart_days is not None:
            rule["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": self.abort_multipart_days}
        if self.expired_object_delete_marker:
            rule["Expiration"] = {"ExpiredObjectDeleteMarker": True}
        if self.noncurrent_days is not None:
            rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": self.noncurrent_days}
        return rule


def lifecycle_rule_specs(cfg: StackConfig) -> list[LifecycleRule]:
    """cargohold keys are `v3/<retention>/<id>`; only the retentions with a TTL expire, never earlier than cargohold.

    The bucket is versioned: an expiry or a delete only makes the version noncurrent (behind a delete
    marker), and `noncurrent-versions` removes it for good `noncurrent_days` later, then the marker.
    The replica bucket runs the same rules: S3 does not replicate what a lifecycle rule deletes.
    """
    days = cfg.assets.lifecycle
    return [
        LifecycleRule("expire-volatile", "v3/volatile/", expiration_days=days.volatile_days),
        LifecycleRule("expire-expiring", "v3/expiring/", expiration_days=days.expiring_days),
        LifecycleRule(
            "eternal-infrequent-access",
            "v3/eternal-infrequent_access/",
            infrequent_access_days=days.infrequent_access_days,
        ),
        # Whole bucket: a failed streaming upload leaves billed parts behind otherwise.
        LifecycleRule("abort-incomplete-multipart", None, abort_multipart_days=days.abort_multipart_days),
        # Whole bucket: a deleted or overwritten asset is restorable for this long, then really gone (privacy).
        LifecycleRule(
            "noncurrent-versions", None, noncurrent_days=cfg.noncurrent_days, expired_object_delete_marker=True
        ),
    ]
