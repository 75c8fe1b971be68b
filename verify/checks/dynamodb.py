"""DynamoDB: brig's prekey table, with the key schema brig reads and writes."""

from __future__ import annotations

from typing import Any

from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.results import Result, fail, ok


def table(dynamodb: Any, name: str, *, check: str = "brig prekeys") -> Result:
    """brig reads and writes items keyed by `client`, a string: name, key type and attribute type must match."""
    try:
        desc = dynamodb.describe_table(TableName=name)["Table"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, name, "table not found: create it (features.prekeyTable) or set it to false")
        return denied_or(error, check, name, "dynamodb:DescribeTable", "cannot describe the table")
    schema = {key["AttributeName"]: key.get("KeyType") for key in desc.get("KeySchema", [])}
    types = {attr["AttributeName"]: attr.get("AttributeType") for attr in desc.get("AttributeDefinitions", [])}
    if schema != {"client": "HASH"}:
        keys = ", ".join(f"{key} ({kind})" for key, kind in schema.items())
        return fail(check, name, f"key schema is {keys}; brig needs only the hash key 'client' (S): recreate the table")
    if types.get("client") != "S":
        return fail(
            check,
            name,
            f"hash key 'client' has type {types.get('client')}, but brig's GetItem/PutItem send a string (S): "
            "recreate the table",
        )
    if desc.get("TableStatus") != "ACTIVE":
        return fail(check, name, f"table is {desc.get('TableStatus')}, not ACTIVE")
    return ok(check, name, "ACTIVE with hash key 'client' (S)")
