"""Restore brig's prekey table to a point in time, into a NEW table (DynamoDB's RestoreTableToPointInTime).

DynamoDB restores only into a table that does not exist yet: the live table is never touched. What the
restore brings back and what not (docs/restore.md): the items, the key schema, indexes, billing mode and
encryption as they were; not the table's point-in-time recovery setting, deletion protection, TTL, tags,
auto scaling, alarms or IAM policies, which the stack sets on its own table only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from verify.aws import NOT_FOUND, AwsError, describe, error_code

# DynamoDB table names: 3-255 of a-z, A-Z, 0-9, '_', '-', '.'.
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
# Where brig reads the table's name (components/k8s/values/brig.py), in the wire-server release's values.
HELM_KEY = "brig.config.aws.prekeyTable"


class TableProblem(Exception):
    """The restore cannot be asked for as given: one message, exit code 2."""


def restored_name(table: str, point: datetime) -> str:
    return f"{table}-restored-{point.strftime('%Y%m%d-%H%M%S')}"


def check_table_name(name: str) -> None:
    if not _TABLE_NAME.match(name):
        raise TableProblem(f"--table-target '{name}' is not a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ - .")


@dataclass(frozen=True)
class TablePlan:
    source: str
    target: str
    point: datetime
    # The source's encryption key (a customer managed key), carried over to the restored table.
    kms_key_arn: str | None

    def request(self) -> dict[str, Any]:
        """The RestoreTableToPointInTime request: on-demand like the stack's table, encrypted like it."""
        request: dict[str, Any] = {
            "SourceTableName": self.source,
            "TargetTableName": self.target,
            "RestoreDateTime": self.point,
            "BillingModeOverride": "PAY_PER_REQUEST",
        }
        if self.kms_key_arn:
            request["SSESpecificationOverride"] = {
                "Enabled": True,
                "SSEType": "KMS",
                "KMSMasterKeyId": self.kms_key_arn,
            }
        return request

    def switch_lines(self, stack: str | None) -> list[str]:
        """What moves brig onto the restored table (docs/restore.md, "Switch brig to the restored table")."""
        on = f" -s {stack}" if stack else ""
        return [
            f"to switch brig to {self.target}, its helm value {HELM_KEY} becomes '{self.target}':",
            f"  pulumi config set --path 'wire:extraValues.wireServer.{HELM_KEY}' {self.target}{on}",
            "then grant brig's role dynamodb:GetItem, PutItem and DeleteItem on the restored table (its policy names "
            f"only {self.source}) and run pulumi up; or copy the items back into {self.source} and keep the values",
        ]


def plan_table_restore(
    dynamodb: Any, source: str, point: datetime, target: str | None, kms_key_arn: str | None = None
) -> TablePlan:
    """Check that the restore can be asked for: the source exists with point-in-time recovery, the point is in
    its window, and the target does not exist yet."""
    target = target or restored_name(source, point)
    check_table_name(target)
    try:
        dynamodb.describe_table(TableName=source)
        backups = dynamodb.describe_continuous_backups(TableName=source)["ContinuousBackupsDescription"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            raise TableProblem(f"table {source} does not exist: check --stack/--table") from None
        raise TableProblem(f"table {source}: {describe(error)}") from None
    recovery = backups.get("PointInTimeRecoveryDescription") or {}
    if recovery.get("PointInTimeRecoveryStatus") != "ENABLED":
        raise TableProblem(
            f"table {source} has no point-in-time recovery: nothing to restore from (pulumi up turns it on; it "
            "restores only from then on)"
        )
    earliest, latest = recovery.get("EarliestRestorableDateTime"), recovery.get("LatestRestorableDateTime")
    if earliest and point < earliest:
        raise TableProblem(f"--to {point.isoformat()} is before the earliest restorable time {earliest.isoformat()}")
    if latest and point > latest:
        raise TableProblem(f"--to {point.isoformat()} is after the latest restorable time {latest.isoformat()}")
    try:
        dynamodb.describe_table(TableName=target)
    except AwsError as error:
        if error_code(error) not in NOT_FOUND:
            raise TableProblem(f"table {target}: {describe(error)}") from None
    else:
        raise TableProblem(f"table {target} exists already: a restore never overwrites a table; name another")
    # The stack's customer key (serviceCredentials.kmsKeyArn); without one the AWS managed key, as the stack's.
    return TablePlan(source, target, point, kms_key_arn)


def restore_table(dynamodb: Any, plan: TablePlan) -> dict[str, Any]:
    """Start the restore; DynamoDB builds the table in the background (minutes to hours with its size)."""
    return dynamodb.restore_table_to_point_in_time(**plan.request())["TableDescription"]
