"""DynamoDB: brig's prekey table, with the key schema brig reads and writes, and what protects its data."""

from __future__ import annotations

from typing import Any

from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.results import Result, fail, ok


def table(dynamodb: Any, name: str, *, production: bool, check: str = "brig prekeys") -> list[Result]:
    """The table, its point-in-time recovery and, in production, its deletion protection."""
    result, desc = _table(dynamodb, name, check)
    if desc is None:
        return [result]
    return [result, *protection(dynamodb, name, desc, production=production, check=check)]


def protection(
    dynamodb: Any, name: str, desc: dict[str, Any], *, production: bool, check: str = "brig prekeys"
) -> list[Result]:
    results = []
    try:
        backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        status = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    except AwsError as error:
        status = None
        results.append(denied_or(error, check, name, "dynamodb:DescribeContinuousBackups", "cannot read the backups"))
    if status == "ENABLED":
        results.append(ok(check, name, "point-in-time recovery enabled"))
    elif status is not None:
        results.append(
            fail(
                check,
                name,
                f"point-in-time recovery {status}: brig's prekeys cannot be restored after a mistake; pulumi up, or "
                f"aws dynamodb update-continuous-backups --table-name {name} "
                "--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
            )
        )
    if production:
        if desc.get("DeletionProtectionEnabled"):
            results.append(ok(check, name, "deletion protection enabled (production)"))
        else:
            results.append(
                fail(
                    check,
                    name,
                    "deletion protection off in production: one delete-table loses every prekey brig holds; pulumi up, "
                    f"or aws dynamodb update-table --table-name {name} --deletion-protection-enabled",
                )
            )
    return results


def _table(dynamodb: Any, name: str, check: str) -> tuple[Result, dict[str, Any] | None]:
    """brig reads and writes items keyed by `client`, a string: name, key type and attribute type must match."""
    try:
        desc = dynamodb.describe_table(TableName=name)["Table"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, name, "table not found: create it (features.prekeyTable) or set it to false"), None
        return denied_or(error, check, name, "dynamodb:DescribeTable", "cannot describe the table"), None
    schema = {key["AttributeName"]: key.get("KeyType") for key in desc.get("KeySchema", [])}
    types = {attr["AttributeName"]: attr.get("AttributeType") for attr in desc.get("AttributeDefinitions", [])}
    if schema != {"client": "HASH"}:
        keys = ", ".join(f"{key} ({kind})" for key, kind in schema.items())
        message = f"key schema is {keys}; brig needs only the hash key 'client' (S): recreate the table"
        return fail(check, name, message), None
    if types.get("client") != "S":
        return fail(
            check,
            name,
            f"hash key 'client' has type {types.get('client')}, but brig's GetItem/PutItem send a string (S): "
            "recreate the table",
        ), None
    if desc.get("TableStatus") != "ACTIVE":
        return fail(check, name, f"table is {desc.get('TableStatus')}, not ACTIVE"), None
    return ok(check, name, "ACTIVE with hash key 'client' (S)"), desc
