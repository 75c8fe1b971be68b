"""The restore drill (docs/restore.md) on a real S3 and DynamoDB API (moto_server): fill the bucket and the table,
make the mistake (delete and overwrite assets and items), restore to before it, and compare byte for byte.

moto's RestoreTableToPointInTime copies the table as it is when asked, whatever the time (moto 5.2.5,
dynamodb/models: "will copy all items from the source without respect to other arguments"), so for the table
the drill checks the request DynamoDB gets (the point, a new table, billing, encryption) and the new table;
the item comparison of a real restore is part of the staging drill.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from migrate import restore_table
from migrate.cli import main
from tests.migrate.s3_support import DEST_REGION, PART, Asset, Buckets, Side, assets, data, next_second, uid

pytestmark = pytest.mark.moto

TABLE = "dev-brig-prekeys"


def state(side: Side) -> dict[str, tuple[bytes, str, dict[str, str], str | None]]:
    """Every current object: its bytes, content type, metadata and content disposition."""
    found = {}
    for key in side.listing():
        head = side.client.head_object(Bucket=side.bucket, Key=key)
        found[key] = (side.body(key), head["ContentType"], head["Metadata"], head.get("ContentDisposition"))
    return found


def items(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    pages = dynamodb.get_paginator("scan").paginate(TableName=table)
    return sorted((item for page in pages for item in page["Items"]), key=lambda item: item["client"]["S"])


def run(s3: Buckets, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    common = ["restore", "--endpoint-url", s3.destination.url, "--region", DEST_REGION, "--json"]
    code = main([*common, *args])
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else {"stderr": out.err}


def dynamodb_client(s3: Buckets) -> Any:
    import boto3

    return boto3.client("dynamodb", endpoint_url=s3.destination.url, region_name=DEST_REGION)


def fill_table(dynamodb: Any) -> None:
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "client", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "client", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for n in range(5):
        dynamodb.put_item(TableName=TABLE, Item={"client": {"S": f"{uid(n)}.{n:016x}"}, "value": {"N": str(n)}})


def test_the_drill_brings_deleted_and_overwritten_assets_back_byte_for_byte(
    s3: Buckets, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    side = s3.destination
    side.client.put_bucket_versioning(Bucket=side.bucket, VersioningConfiguration={"Status": "Enabled"})
    originals = assets()
    for asset in originals:
        side.put(asset)
    dynamodb = dynamodb_client(s3)
    fill_table(dynamodb)
    before_items = items(dynamodb, TABLE)
    before = state(side)
    # Point-in-time recovery on now: moto's (only) restorable time is the point of the drill.
    dynamodb.update_continuous_backups(
        TableName=TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    recovery = dynamodb.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    point: datetime = recovery["PointInTimeRecoveryDescription"]["LatestRestorableDateTime"]
    next_second(point)

    # The mistake: a recursive delete of one prefix, overwrites (bytes and metadata), an overwrite then deleted.
    deleted = [a.key for a in originals if a.key.startswith("v3/eternal/")]
    for key in deleted:
        side.client.delete_object(Bucket=side.bucket, Key=key)
    overwritten = [originals[1], originals[8], originals[3]]
    for asset in overwritten:
        side.put(Asset(asset.key, data(77, 999), "text/plain", {"user": uid(500)}))
    side.client.delete_object(Bucket=side.bucket, Key=originals[3].key)
    # A user's upload after the mistake: a restore keeps it.
    newer = Asset(f"v3/persistent/{uid(600)}", data(1234, 600), metadata={"user": uid(601)})
    side.put(newer)
    for n in (0, 1):
        dynamodb.delete_item(TableName=TABLE, Key={"client": {"S": f"{uid(n)}.{n:016x}"}})
    dynamodb.put_item(TableName=TABLE, Item={"client": {"S": f"{uid(2)}.{2:016x}"}, "value": {"N": "-1"}})
    after_mistake = state(side)
    assert after_mistake != before

    stamp = point.astimezone(UTC).isoformat()
    target = "dev-brig-prekeys-drill"
    args = ["--bucket", side.bucket, "--table", TABLE, "--table-target", target, "--to", stamp]

    # The dry run (the default) writes nothing and says what it would do.
    code, report = run(s3, capsys, *args)
    assert code == 0, report
    counts = report["bucket"]["counts"]
    assert (counts["undelete"], counts["copy"], counts["kept-newer"], counts["failed"]) == (len(deleted), 3, 1, 0)
    assert report["applied"] is False
    assert state(side) == after_mistake
    assert "TableNames" in dynamodb.list_tables() and target not in dynamodb.list_tables()["TableNames"]

    requests: list[dict[str, Any]] = []
    real = restore_table.restore_table

    def recorded(client: Any, plan: restore_table.TablePlan) -> dict[str, Any]:
        requests.append(plan.request())
        return real(client, plan)

    monkeypatch.setattr(restore_table, "restore_table", recorded)
    code, report = run(s3, capsys, *args, "--yes")
    assert code == 0, report

    # Byte for byte: every asset as it was at the point (bytes, content type, metadata), and the newer upload.
    assert state(side) == {**before, newer.key: after_mistake[newer.key]}
    # The table: restored into a new table at the point, on demand; the live table untouched.
    assert requests == [
        {
            "SourceTableName": TABLE,
            "TargetTableName": target,
            "RestoreDateTime": point.astimezone(UTC),
            "BillingModeOverride": "PAY_PER_REQUEST",
        }
    ]
    assert report["table"]["target"] == target
    assert any("brig.config.aws.prekeyTable" in line for line in report["table"]["switch"])
    described = dynamodb.describe_table(TableName=target)["Table"]
    assert described["KeySchema"] == [{"AttributeName": "client", "KeyType": "HASH"}]
    assert items(dynamodb, TABLE) != before_items

    # Run again: nothing left to do (idempotent); the table target exists now, so only the bucket.
    code, report = run(s3, capsys, "--bucket", side.bucket, "--only", "bucket", "--to", stamp, "--yes")
    assert code == 0, report
    counts = report["bucket"]["counts"]
    assert (counts["undelete"], counts["copy"], counts["failed"]) == (0, 0, 0)
    assert state(side) == {**before, newer.key: after_mistake[newer.key]}


def test_a_prefix_restores_only_its_keys_and_a_lost_version_is_reported(
    s3: Buckets, capsys: pytest.CaptureFixture[str]
) -> None:
    side = s3.destination
    side.client.put_bucket_versioning(Bucket=side.bucket, VersioningConfiguration={"Status": "Enabled"})
    kept, other = Asset("v3/eternal/a", b"a"), Asset("otr/b", b"b")
    for asset in (kept, other):
        side.put(asset)
    point = datetime.now(UTC)
    next_second(point)
    for asset in (kept, other):
        side.client.delete_object(Bucket=side.bucket, Key=asset.key)
    code, report = run(
        s3, capsys, "--bucket", side.bucket, "--only", "bucket", "--prefix", "v3/", "--to", point.isoformat(), "--yes"
    )
    assert code == 0, report
    assert side.listing() == [kept.key]

    # The version behind a delete marker expired (lifecycle): nothing to restore, and the report says so.
    gone = Asset("v3/eternal/gone", b"gone")
    side.put(gone)
    version = side.client.head_object(Bucket=side.bucket, Key=gone.key)["VersionId"]
    side.client.delete_object(Bucket=side.bucket, Key=gone.key)
    side.client.delete_object(Bucket=side.bucket, Key=gone.key, VersionId=version)
    code, report = run(s3, capsys, "--bucket", side.bucket, "--only", "bucket", "--to", point.isoformat())
    assert code == 1
    assert [k["key"] for k in report["bucket"]["keys"] if k["action"] == "lost"] == [gone.key]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "2026-01-01T00:00:00"], "has no time zone"),
        (["--to", "yesterday"], "is not an ISO 8601 time"),
        (["--to", "2999-01-01T00:00:00Z"], "is in the future"),
        (["--to", "2026-01-01T00:00:00Z"], "name what to restore"),
        (["--to", "2026-01-01T00:00:00Z", "--bucket", "dev-wire-test-wire-assets", "--stack", "nope"], "stack 'nope'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    s3: Buckets, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    capsys.readouterr()
    assert main(["restore", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("migrate restore: ") and message in err and "Traceback" not in err


def test_an_unversioned_bucket_and_a_table_without_recovery_are_refused(
    s3: Buckets, capsys: pytest.CaptureFixture[str]
) -> None:
    side = s3.destination
    code, report = run(s3, capsys, "--bucket", side.bucket, "--only", "bucket", "--to", "2026-01-01T00:00:00Z")
    assert code == 2 and "never versioned" in report["stderr"]
    dynamodb = dynamodb_client(s3)
    fill_table(dynamodb)
    code, report = run(s3, capsys, "--table", TABLE, "--only", "table", "--to", "2026-01-01T00:00:00Z")
    assert code == 2 and "no point-in-time recovery" in report["stderr"]


def test_yes_and_dry_run_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            ["restore", "--bucket", "b", "--region", "eu-west-1", "--to", "2026-01-01T00:00:00Z", "--yes", "--dry-run"]
        )
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_version_larger_than_one_copy_is_copied_back_in_parts(
    s3: Buckets, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from migrate import restore_bucket

    # CopyObject's 5 GiB limit scaled down: this version is copied with UploadPartCopy, in 5 MiB parts.
    monkeypatch.setattr(restore_bucket, "MAX_COPY", 1024)
    monkeypatch.setattr(restore_bucket, "COPY_PART", PART)
    side = s3.destination
    side.client.put_bucket_versioning(Bucket=side.bucket, VersioningConfiguration={"Status": "Enabled"})
    big = Asset(f"v3/eternal/{uid(700)}", data(PART + 4321, 700), "application/pdf", {"user": uid(701)})
    side.put(big)
    before = state(side)
    point = datetime.now(UTC)
    next_second(point)
    side.put(Asset(big.key, b"overwritten", "text/plain"))
    code, report = run(s3, capsys, "--bucket", side.bucket, "--only", "bucket", "--to", point.isoformat(), "--yes")
    assert code == 0 and report["bucket"]["counts"]["copy"] == 1, report
    assert state(side) == before
    assert side.uploads() == []


def test_the_stack_names_the_bucket_the_table_and_their_endpoints(
    s3: Buckets, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.verify.verify_stack import values, write_stack

    # The verify tests' stack: environment dev, domain wire.test, eu-west-1: this bucket and dev-brig-prekeys.
    stack = write_stack(s3.tmp, values(), s3.destination.url)
    side = s3.destination
    side.client.put_bucket_versioning(Bucket=side.bucket, VersioningConfiguration={"Status": "Enabled"})
    asset = Asset(f"v3/eternal/{uid(800)}", data(321, 800), metadata={"user": uid(801)})
    side.put(asset)
    moment = datetime.now(UTC)
    next_second(moment)
    point = moment.isoformat()
    side.client.delete_object(Bucket=side.bucket, Key=asset.key)
    capsys.readouterr()
    args = ["restore", "--stack", stack, "--stack-dir", str(s3.tmp), "--to", point, "--json"]
    # The table does not exist: one line, exit 2, before anything is restored.
    assert main(args) == 2
    assert "table dev-brig-prekeys does not exist" in capsys.readouterr().err
    # The text report names what a restore would do, key by key.
    assert main([a for a in args if a != "--json"] + ["--only", "bucket"]) == 0
    text = capsys.readouterr().out
    assert (
        f"bucket s3://{side.bucket}/ at " in text
        and "would restore (dry run; --yes to apply): 0 unchanged, 1 undelete" in text
    )
    assert f"  undelete   {asset.key} <- version " in text
    assert main([*args, "--only", "bucket", "--yes"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bucket"]["bucket"] == side.bucket and report["bucket"]["counts"]["undelete"] == 1
    assert side.body(asset.key) == asset.body
