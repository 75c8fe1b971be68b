"""Rules of the recovery settings that read the rest of the stack: the replica's region and name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.registry import rule

if TYPE_CHECKING:
    from components.config.stack import StackConfig

MAX_BUCKET_NAME = 63


@rule("assets", "region", "environment", "domain")
def _replica_elsewhere(cfg: StackConfig) -> list[str]:
    replication = cfg.assets.replication
    if not replication.enabled:
        return []
    problems = []
    if replication.region == cfg.region:
        problems.append(
            f"wire:assets.replication.region: '{cfg.region}' is the stack's own region (aws:region): a replica "
            "survives a regional outage only in another region; choose another, e.g. "
            f"{'eu-west-1' if cfg.region != 'eu-west-1' else 'eu-central-1'}"
        )
    name = cfg.replica_bucket_name
    if replication.bucket_name is None and len(name) > MAX_BUCKET_NAME:
        problems.append(
            f"wire:assets.replication.bucketName: the derived name '{name}' is longer than S3's 63 characters; "
            "set a shorter one"
        )
    if replication.bucket_name is not None and replication.bucket_name == cfg.bucket_name:
        problems.append("wire:assets.replication.bucketName: is the assets bucket itself; name another bucket")
    return problems


def storage_estimate(cfg: StackConfig) -> dict[str, object]:
    """What the plan summary prices versions and the replica from (plan.json `assetStorage`)."""
    stated = cfg.assets.expected_storage
    replication = cfg.assets.replication
    return {
        "objects": stated.objects,
        "gib": stated.gib,
        "changedPercentPerMonth": stated.changed_percent_per_month,
        "noncurrentDays": cfg.noncurrent_days,
        "replica": {"region": replication.region, "storageClass": replication.storage_class}
        if replication.enabled
        else None,
    }
