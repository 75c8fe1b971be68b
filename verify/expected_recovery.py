"""What recovery from mistakes should look like on the live resources: the bucket's versions, its replica, the
AWS Backup plan (docs/restore.md). Derived from the same configuration and functions the components use."""

from __future__ import annotations

from dataclasses import dataclass

from components import naming
from components.config import StackConfig
from verify.expected_resources import partition_of_region


@dataclass(frozen=True)
class ReplicaTarget:
    bucket: str
    region: str
    storage_class: str


@dataclass(frozen=True)
class BackupTarget:
    vault: str
    plan: str
    retention_days: int
    schedule: str
    # ARNs the selection must cover (those verify can derive: the bucket, the prekey table).
    resources: tuple[str, ...]


@dataclass(frozen=True)
class RecoveryTarget:
    noncurrent_days: int
    replica: ReplicaTarget | None
    backup: BackupTarget | None


def recovery_target(cfg: StackConfig, bucket: str, prekey_table: str | None, account: str | None) -> RecoveryTarget:
    replication = cfg.assets.replication
    replica = None
    if replication.enabled and replication.region:
        replica = ReplicaTarget(cfg.replica_bucket_name, replication.region, replication.storage_class)
    backup = None
    if cfg.backup.enabled:
        partition = partition_of_region(cfg.region)
        resources = [f"arn:{partition}:s3:::{bucket}"]
        if prekey_table and account:
            resources.append(f"arn:{partition}:dynamodb:{cfg.region}:{account}:table/{prekey_table}")
        name = naming.backup(cfg.environment)
        backup = BackupTarget(name, name, cfg.backup.retention_days, cfg.backup.schedule, tuple(resources))
    return RecoveryTarget(cfg.noncurrent_days, replica, backup)
