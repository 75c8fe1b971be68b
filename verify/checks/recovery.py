"""Recovery from mistakes on the live resources: the assets bucket's versioning (its noncurrent-version expiry is
part of the lifecycle check), its replication into the replica, and the AWS Backup vault, plan and selection."""

from __future__ import annotations

from typing import Any

from verify.aws import NOT_FOUND, Aws, AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected_recovery import BackupTarget, RecoveryTarget, ReplicaTarget
from verify.results import Result, fail, ok

CHECK = "cargohold bucket"
BACKUP = "backup"


def versioning(s3: Any, name: str, *, check: str = CHECK) -> Result:
    """Without versioning a deleted or overwritten asset is gone at once: nothing to restore from."""
    try:
        status = s3.get_bucket_versioning(Bucket=name).get("Status")
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, name, "bucket not found: pulumi up creates it")
        return denied_or(error, check, name, "s3:GetBucketVersioning", "cannot read the versioning")
    if status != "Enabled":
        return fail(
            check,
            name,
            f"versioning {status or 'never enabled'}: a deleted or overwritten asset cannot be restored; pulumi up "
            "enables it",
        )
    return ok(check, name, "versioning enabled (deleted and overwritten assets restorable)")


def replication(s3: Any, replica_s3: Any, name: str, replica: ReplicaTarget, *, check: str = CHECK) -> list[Result]:
    """Every version and delete marker goes to the replica bucket, which is versioned itself."""
    try:
        rules = s3.get_bucket_replication(Bucket=name)["ReplicationConfiguration"]["Rules"]
    except AwsError as error:
        if error_code(error) == "ReplicationConfigurationNotFoundError":
            return [fail(check, name, f"no replication to {replica.bucket} ({replica.region}): pulumi up restores it")]
        return [denied_or(error, check, name, "s3:GetReplicationConfiguration", "cannot read the replication")]
    destination = f"arn:aws:s3:::{replica.bucket}"
    enabled = [
        rule
        for rule in rules
        if rule.get("Status") == "Enabled"
        and (rule.get("Destination") or {}).get("Bucket", "").split(":::")[-1] == replica.bucket
    ]
    if not enabled:
        return [fail(check, name, f"no enabled replication rule to {destination}: pulumi up restores it")]
    results = []
    markers = (enabled[0].get("DeleteMarkerReplication") or {}).get("Status")
    if markers != "Enabled":
        results.append(
            fail(
                check,
                name,
                f"delete markers are not replicated ({markers or 'unset'}): an asset a user deleted stays in "
                f"{replica.bucket}; pulumi up restores the rule",
            )
        )
    else:
        results.append(ok(check, name, f"replicated to {replica.bucket} ({replica.region}), deletions included"))
    results.append(versioning(replica_s3, replica.bucket, check="cargohold replica"))
    return results


def backup(client: Any, target: BackupTarget, *, check: str = BACKUP) -> list[Result]:
    """The vault (encrypted with its own key), the plan's schedule and retention, the selection's resources."""
    try:
        vault = client.describe_backup_vault(BackupVaultName=target.vault)
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return [fail(check, target.vault, "backup vault not found: pulumi up creates it (wire:backup)")]
        return [denied_or(error, check, target.vault, "backup:DescribeBackupVault", "cannot read the vault")]
    results = [ok(check, target.vault, f"vault encrypted with {vault.get('EncryptionKeyArn', '?')}")]
    try:
        plans = [p for p in client.list_backup_plans()["BackupPlansList"] if p.get("BackupPlanName") == target.plan]
        if not plans:
            return [*results, fail(check, target.plan, "backup plan not found: pulumi up creates it (wire:backup)")]
        plan_id = plans[0]["BackupPlanId"]
        rules = client.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]["Rules"]
    except AwsError as error:
        return [*results, denied_or(error, check, target.plan, "backup:GetBackupPlan", "cannot read the plan")]
    problems = []
    for rule in rules:
        days = (rule.get("Lifecycle") or {}).get("DeleteAfterDays")
        if rule.get("TargetBackupVaultName") != target.vault:
            problems.append(f"rule {rule.get('RuleName')} writes to {rule.get('TargetBackupVaultName')}")
        if days != target.retention_days:
            problems.append(f"rule {rule.get('RuleName')} keeps backups {days} days, not {target.retention_days}")
        if rule.get("ScheduleExpression") != target.schedule:
            problems.append(f"rule {rule.get('RuleName')} runs {rule.get('ScheduleExpression')}, not {target.schedule}")
    if problems or not rules:
        results.append(fail(check, target.plan, f"{'; '.join(problems) or 'no rules'}: pulumi up restores the plan"))
    else:
        results.append(
            ok(check, target.plan, f"{target.schedule} into {target.vault}, kept {target.retention_days} days")
        )
    results.append(selection(client, plan_id, target, check=check))
    return results


def selection(client: Any, plan_id: str, target: BackupTarget, *, check: str = BACKUP) -> Result:
    try:
        found = client.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
        covered: set[str] = set()
        for item in found:
            chosen = client.get_backup_selection(BackupPlanId=plan_id, SelectionId=item["SelectionId"])
            covered.update(chosen["BackupSelection"].get("Resources") or [])
    except AwsError as error:
        return denied_or(error, check, target.plan, "backup:ListBackupSelections", "cannot read the selection")
    missing = [arn for arn in target.resources if arn not in covered]
    if missing:
        return fail(check, target.plan, f"not backed up: {', '.join(missing)}; pulumi up restores the selection")
    return ok(check, target.plan, f"backs up {', '.join(target.resources)}")


def recovery(aws: Aws, target: RecoveryTarget, bucket: str, addressing_style: str) -> list[Result]:
    """Every recovery check the stack's configuration calls for."""
    s3 = aws.client("s3", addressing_style=addressing_style)
    results = [versioning(s3, bucket)]
    if target.replica:
        replica_s3 = aws.client("s3", region=target.replica.region, addressing_style=addressing_style)
        results += replication(s3, replica_s3, bucket, target.replica)
    if target.backup:
        results += backup(aws.client("backup"), target.backup)
    return results
