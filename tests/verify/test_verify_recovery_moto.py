"""verify's recovery checks on moto: the bucket's versioning, its replication into the replica, the AWS Backup
vault, plan and selection (verify/checks/recovery.py)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.verify.recovery_support import AsSent, WithSelections
from verify.aws import Aws
from verify.checks.recovery import backup, recovery, replication, selection, versioning
from verify.expected_recovery import BackupTarget, RecoveryTarget, ReplicaTarget
from verify.results import Status

pytestmark = pytest.mark.moto

BUCKET = "test-wire-test-wire-assets"
REPLICA = ReplicaTarget(f"{BUCKET}-replica", "eu-central-1", "STANDARD")
BACKUP = BackupTarget("test-wire-backup", "test-wire-backup", 35, "cron(0 3 * * ? *)", (f"arn:aws:s3:::{BUCKET}",))


def s3_client(url: str, region: str = "eu-west-1") -> Any:
    return boto3.client("s3", region_name=region, endpoint_url=url)


def versioned(s3: Any, name: str, region: str) -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def replicate(s3: Any, *, delete_markers: str = "Enabled") -> None:
    rule = {
        "ID": "replicate-everything",
        "Status": "Enabled",
        "Priority": 0,
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": delete_markers},
        "Destination": {"Bucket": f"arn:aws:s3:::{REPLICA.bucket}"},
    }
    s3.put_bucket_replication(
        Bucket=BUCKET,
        ReplicationConfiguration={"Role": "arn:aws:iam::123456789012:role/test-assets-replication", "Rules": [rule]},
    )


def statuses(results: list[Any]) -> list[str]:
    return [f"{r.status}: {r.message}" for r in results]


def test_an_unversioned_bucket_fails_and_a_versioned_one_passes(moto: str) -> None:
    s3 = s3_client(moto)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    result = versioning(s3, BUCKET)
    assert result.status == Status.FAIL and "never enabled" in result.message
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})
    assert "versioning Suspended" in versioning(s3, BUCKET).message
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    assert versioning(s3, BUCKET).status == Status.OK


def test_replication_with_deletions_into_a_versioned_replica_passes(moto: str) -> None:
    s3, replica_s3 = s3_client(moto), s3_client(moto, REPLICA.region)
    versioned(s3, BUCKET, "eu-west-1")
    assert "no replication" in replication(s3, replica_s3, BUCKET, REPLICA)[0].message
    versioned(replica_s3, REPLICA.bucket, REPLICA.region)
    replicate(s3)
    results = replication(AsSent(s3, "Enabled"), replica_s3, BUCKET, REPLICA)
    assert [r.status for r in results] == [Status.OK, Status.OK], statuses(results)


def test_replication_without_delete_markers_fails_for_privacy(moto: str) -> None:
    s3, replica_s3 = s3_client(moto), s3_client(moto, REPLICA.region)
    versioned(s3, BUCKET, "eu-west-1")
    replica_s3.create_bucket(Bucket=REPLICA.bucket, CreateBucketConfiguration={"LocationConstraint": REPLICA.region})
    replicate(s3, delete_markers="Disabled")
    results = replication(AsSent(s3, "Disabled"), replica_s3, BUCKET, REPLICA)
    assert results[0].status == Status.FAIL and "delete markers are not replicated" in results[0].message
    # The replica itself is not versioned: S3 would refuse to replicate into it.
    assert results[1].status == Status.FAIL and "never enabled" in results[1].message


def test_the_backup_vault_and_plan_are_compared_with_the_configuration(moto: str) -> None:
    client = boto3.client("backup", region_name="eu-west-1", endpoint_url=moto)
    assert "vault not found" in backup(client, BACKUP)[0].message
    client.create_backup_vault(BackupVaultName=BACKUP.vault)
    rule = {"RuleName": "daily", "TargetBackupVaultName": BACKUP.vault, "ScheduleExpression": BACKUP.schedule}
    client.create_backup_plan(
        BackupPlan={"BackupPlanName": BACKUP.plan, "Rules": [{**rule, "Lifecycle": {"DeleteAfterDays": 7}}]}
    )
    results = backup(client, BACKUP)
    assert results[0].status == Status.OK
    assert results[1].status == Status.FAIL and "keeps backups 7 days, not 35" in results[1].message


def test_the_selection_must_cover_the_bucket_and_the_table() -> None:
    assert selection(WithSelections([f"arn:aws:s3:::{BUCKET}"]), "p-1", BACKUP).status == Status.OK
    missing = selection(WithSelections([]), "p-1", BACKUP)
    assert missing.status == Status.FAIL and f"arn:aws:s3:::{BUCKET}" in missing.message


def test_recovery_runs_the_checks_the_configuration_calls_for(moto: str) -> None:
    s3, replica_s3 = s3_client(moto), s3_client(moto, REPLICA.region)
    versioned(s3, BUCKET, "eu-west-1")
    versioned(replica_s3, REPLICA.bucket, REPLICA.region)
    replicate(s3)
    aws = Aws(boto3.Session(), "eu-west-1", override=moto)
    results = recovery(aws, RecoveryTarget(30, REPLICA, None), BUCKET, "path")
    # Versioning, replication (moto's fixed `Disabled` for the delete markers: see recovery_support), the replica's.
    assert [r.status for r in results] == [Status.OK, Status.FAIL, Status.OK], statuses(results)
    assert recovery(aws, RecoveryTarget(30, None, None), BUCKET, "path") == results[:1]
