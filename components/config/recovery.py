"""Recovery from mistakes: the asset bucket's versions, its optional replica, AWS Backup, and the storage the
operator expects (which prices versioning and replication in the plan summary). docs/restore.md says how to
restore from them.

S3 Object Lock is deliberately not offered: a locked version cannot be deleted before its retention ends, by
anyone, so a user's deleted file (and every expired `volatile` asset) would outlive the privacy promise that
`noncurrentDays` keeps; versioning with expiry already undoes the mistakes this section is for.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from components.config.base import INT32_MAX, Model, at, fail
from components.config.bucket_names import BucketName
from components.config.regions import AwsRegion

# Production keeps a deleted or overwritten asset this long: time to notice a mistake, short enough that a
# user's deleted file really disappears within a month (docs/restore.md, "Privacy: how long a deleted file stays").
PRODUCTION_NONCURRENT_DAYS = 30
# Other stacks hold test data: a week is enough to rehearse a restore, and costs less.
OTHER_NONCURRENT_DAYS = 7
# A user's deletion must take effect within a year at the latest, whatever the configuration says.
MAX_NONCURRENT_DAYS = 365


def _noncurrent_days(value: int) -> int:
    if not 1 <= value <= MAX_NONCURRENT_DAYS:
        raise ValueError(
            f"{value} is not 1 to {MAX_NONCURRENT_DAYS} days: a deleted asset must stay restorable at least a day, and "
            "really disappear within a year (privacy: a user's deleted file)"
        )
    return value


class Versions(Model):
    noncurrent_days: Annotated[int, AfterValidator(_noncurrent_days)] | None = None
    """Days a deleted or overwritten asset stays restorable before S3 removes it for good (default 30 in
    production, 7 otherwise; at most 365). Longer means more time to notice a mistake, but a user's deleted
    file lingers that long, and costs storage (plan summary)."""

    def days(self, production: bool) -> int:
        if self.noncurrent_days is not None:
            return self.noncurrent_days
        return PRODUCTION_NONCURRENT_DAYS if production else OTHER_NONCURRENT_DAYS


class Replication(Model):
    enabled: bool = False
    """Replicate every asset version (and deletion) to a bucket in another region, encrypted with its own key."""
    region: AwsRegion | None = None
    """The replica's region (required with enabled: true; not the stack's region)."""
    bucket_name: BucketName | None = None
    """The replica bucket's name; `<assets bucket>-replica` when unset."""
    storage_class: Literal["STANDARD", "STANDARD_IA"] = "STANDARD"
    """Storage class of the replicas (STANDARD_IA: cheaper storage, paid reads, 30 days minimum)."""

    @model_validator(mode="after")
    def _check(self) -> Replication:
        # Switched off, the other keys have no effect: a warning (disabled.py).
        if self.enabled and self.region is None:
            fail(at("region", "is required with enabled: true: the region of the replica, e.g. eu-west-1"))
        return self


class ExpectedStorage(Model):
    objects: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    """How many assets the bucket holds (the operator's estimate; prices replication requests)."""
    gib: Annotated[float, Field(ge=0)] = 0
    """How much they weigh, in GiB (the operator's estimate; prices versions and replicas)."""
    changed_percent_per_month: Annotated[float, Field(ge=0, le=100)] = 10
    """Share of the stored data deleted, overwritten or expired per month: it is kept as noncurrent versions
    for noncurrentDays (cargohold's volatile assets expire after 28 days: count them here)."""


def _schedule(value: str) -> str:
    if not value.startswith(("cron(", "rate(")) or not value.endswith(")"):
        raise ValueError(f"'{value}' is not an AWS schedule expression, e.g. cron(0 3 * * ? *) (daily at 03:00 UTC)")
    return value


class Backup(Model):
    enabled: bool = False
    """AWS Backup: a daily backup of the prekey table, the assets bucket and the managed PostgreSQL into a vault
    encrypted with its own key. S3 backups need the bucket's versioning (always on)."""
    retention_days: Annotated[int, Field(ge=1, le=INT32_MAX)] = 35
    """Days each backup is kept (AWS Backup deletes it afterwards)."""
    schedule: Annotated[str, AfterValidator(_schedule)] = "cron(0 3 * * ? *)"
    """When the daily backup starts (AWS Backup cron expression, UTC)."""
