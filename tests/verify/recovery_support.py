"""What moto 5.2.5 lacks for the recovery checks, answered as AWS would, and the recovery resources made in moto.

- GetBucketReplication answers `DeleteMarkerReplication: Disabled` whatever was put (moto/s3/responses.py):
  `AsSent` gives the status back as the program sends it.
- AWS Backup selections are not implemented: `WithSelections` answers them from what the program selects.
"""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from verify.expected_recovery import RecoveryTarget


class AsSent:
    """An S3 client whose replication rules carry the delete-marker status given here; every other call is moto's."""

    def __init__(self, real: Any, delete_markers: str = "Enabled") -> None:
        self._real = real
        self._delete_markers = delete_markers

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def get_bucket_replication(self, **kwargs: Any) -> dict[str, Any]:
        answer = self._real.get_bucket_replication(**kwargs)
        for rule in answer["ReplicationConfiguration"]["Rules"]:
            rule["DeleteMarkerReplication"] = {"Status": self._delete_markers}
        return answer


class WithSelections:
    """A backup client that answers the selection calls with `resources`; every other call is moto's (or none)."""

    def __init__(self, resources: list[str], real: Any = None) -> None:
        self._real = real
        self.resources = resources

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def list_backup_selections(self, BackupPlanId: str) -> dict[str, Any]:
        return {"BackupSelectionsList": [{"SelectionId": "s-1"}]}

    def get_backup_selection(self, BackupPlanId: str, SelectionId: str) -> dict[str, Any]:
        return {"BackupSelection": {"Resources": self.resources}}


def provision_recovery(client: Any, cfg: StackConfig, target: RecoveryTarget) -> None:
    """As components/aws/asset_replica.py and backup.py: the versioned replica and its rule, the vault and plan.

    `client(service, region)` makes a moto client."""
    if target.replica:
        replica_s3 = client("s3", target.replica.region)
        location = {"LocationConstraint": target.replica.region}
        replica_s3.create_bucket(Bucket=target.replica.bucket, CreateBucketConfiguration=location)
        replica_s3.put_bucket_versioning(Bucket=target.replica.bucket, VersioningConfiguration={"Status": "Enabled"})
        rule = {
            "ID": "replicate-everything",
            "Status": "Enabled",
            "Priority": 0,
            "Filter": {"Prefix": ""},
            "DeleteMarkerReplication": {"Status": "Enabled"},
            "Destination": {"Bucket": f"arn:aws:s3:::{target.replica.bucket}"},
        }
        client("s3", cfg.region).put_bucket_replication(
            Bucket=cfg.bucket_name,
            ReplicationConfiguration={"Role": "arn:aws:iam::123456789012:role/replication", "Rules": [rule]},
        )
    if target.backup:
        backup = client("backup", cfg.region)
        backup.create_backup_vault(BackupVaultName=target.backup.vault)
        rule = {
            "RuleName": "daily",
            "TargetBackupVaultName": target.backup.vault,
            "ScheduleExpression": target.backup.schedule,
            "Lifecycle": {"DeleteAfterDays": target.backup.retention_days},
        }
        backup.create_backup_plan(BackupPlan={"BackupPlanName": target.backup.plan, "Rules": [rule]})
