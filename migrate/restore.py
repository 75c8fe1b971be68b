"""`python -m migrate restore --stack <stack> --to <time> [...]`: undo a mistake (a wrong `aws s3 rm`, a bad
script, a run against the wrong stack) by bringing the assets bucket (or a prefix) back to a point in time
from its versions (migrate/restore_bucket.py), and the prekey table into a new table restored to that point
(migrate/restore_table.py). A dry run unless `--yes`; the report says what was (or would be) done and what
could not be. docs/restore.md holds the procedure and the drill.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EPILOG = """\
Without --yes nothing is written: the report says what a restore would do (the same as --dry-run).
The bucket: every key under --prefix comes back as it was at --to, from its versions (deleted ones
undeleted, overwritten ones copied back); keys created later are kept. The table: restored into a NEW
table (the live one is never touched), with the helm value that switches brig to it.
Exit code: 0 when everything is (or would be) restored, 1 when a key failed or has no version left,
2 on bad arguments. Safe to interrupt and to run again. See docs/restore.md.
Example:
  python -m migrate restore --stack prod --to 2026-12-07T09:00:00Z --prefix v3/eternal/
  python -m migrate restore --stack prod --to 2026-12-07T09:00:00Z --prefix v3/eternal/ --yes
"""


class RestoreProblem(Exception):
    """Bad arguments or an unusable stack: one message, exit code 2."""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "restore",
        help="bring the assets bucket (from its versions) and the prekey table (into a new table) back to a point "
        "in time",
        description="Restore the stack's assets bucket, or a prefix of it, to a point in time from the object "
        "versions, and its prekey table into a new table with DynamoDB point-in-time recovery. A dry run unless "
        "--yes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--stack", help="stack name: its bucket, table, region and AWS settings (reads Pulumi.<stack>.yaml)")
    p.add_argument("--outputs", metavar="FILE|-", help="`pulumi stack output --json --show-secrets` of the stack")
    p.add_argument(
        "--to",
        dest="point",
        required=True,
        metavar="TIME",
        help="the point in time, ISO 8601 with a zone: 2026-12-07T09:00:00Z",
    )
    p.add_argument("--only", choices=("bucket", "table"), help="restore only the bucket or only the table")
    p.add_argument("--prefix", default="", help="restore only keys starting with this (default: the whole bucket)")
    p.add_argument("--bucket", help="the bucket (overrides the stack's)")
    p.add_argument("--table", help="the table to restore from (overrides the stack's prekey table)")
    p.add_argument("--table-target", help="name of the new table (default: <table>-restored-<time>)")
    p.add_argument("--region", help="the region (overrides the stack's)")
    p.add_argument("--endpoint-url", help="one endpoint for S3 and DynamoDB (an emulator; overrides the stack's)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="report what would be restored; write nothing (default)")
    mode.add_argument(
        "--yes", action="store_true", help="restore: copy versions back, remove delete markers, restore the table"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def parse_point(value: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 time with its zone, not in the future, as UTC."""
    text = value.strip()
    try:
        point = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise RestoreProblem(f"--to {value!r} is not an ISO 8601 time, e.g. 2026-12-07T09:00:00Z") from None
    if point.tzinfo is None:
        raise RestoreProblem(f"--to {value!r} has no time zone: add one, e.g. {text}Z for UTC")
    point = point.astimezone(UTC)
    if point > (now or datetime.now(UTC)):
        raise RestoreProblem(f"--to {value!r} is in the future: a restore goes back to a time already passed")
    return point


@dataclass(frozen=True)
class Target:
    bucket: str | None
    table: str | None
    kms_key_arn: str | None
    region: str | None
    s3_url: str | None
    dynamodb_url: str | None
    session: Any

    def client(self, service: str, url: str | None) -> Any:
        from botocore.config import Config

        config = Config(
            s3={"addressing_style": "path" if url else "virtual"},
            retries={"max_attempts": 5, "mode": "standard"},
            request_checksum_calculation="when_required",
        )
        return self.session.client(service, region_name=self.region, endpoint_url=url, config=config)


def resolve(args: argparse.Namespace, stack_dir: Path) -> Target:
    """Bucket, table, region, endpoints and credentials: the stack's, each overridden by its option."""
    import boto3

    from components.config import ConfigError
    from components.stackfile import read_stack_file
    from migrate.endpoints import stack_session
    from verify.aws import stack_endpoints
    from verify.cli import read_outputs
    from verify.outputs import mismatches, not_this_stack

    if args.stack is None:
        if args.outputs is not None:
            raise RestoreProblem("--outputs needs --stack")
        if args.only != "table" and not args.bucket:
            raise RestoreProblem("name what to restore: --stack <stack>, or --bucket <bucket> (and/or --table <table>)")
        if args.only == "table" and not args.table:
            raise RestoreProblem("name the table: --stack <stack> or --table <table>")
        if not args.region:
            raise RestoreProblem("without --stack, name the region: --region <region>")
        url = args.endpoint_url
        return Target(args.bucket, args.table, None, args.region, url, url, boto3.Session())
    try:
        stack_file = read_stack_file(args.stack, stack_dir)
        cfg = stack_file.load().config
        outputs = read_outputs(args.outputs)
    except (FileNotFoundError, ValueError, ConfigError) as error:
        raise RestoreProblem(f"stack {args.stack!r}: {error}") from None
    wrong = mismatches(cfg, outputs)
    if wrong:
        # Another stack's outputs would restore that stack's bucket and table (as verify, values and assets refuse).
        command = f"pulumi stack output -s {args.stack} --json --show-secrets > {args.outputs}"
        raise RestoreProblem(not_this_stack(f"--outputs {args.outputs} are", args.stack, wrong, command))
    aws = {key.removeprefix("aws:"): value for key, value in stack_file.config.items() if key.startswith("aws:")}
    endpoints = stack_endpoints(aws.get("endpoints"))
    table = args.table
    if table is None and cfg.features.prekey_table:
        table = str(outputs.get("prekeyTableName") or _prekey_table(cfg.environment))
    if args.only == "table" and table is None:
        raise RestoreProblem(
            f"stack {args.stack!r} has no prekey table (wire:features.prekeyTable is false): nothing to restore"
        )
    return Target(
        bucket=args.bucket or str(outputs.get("assetsBucketName") or cfg.bucket_name),
        table=table,
        kms_key_arn=cfg.service_credentials.kms_key_arn,
        region=args.region or str(outputs.get("awsRegion") or cfg.region),
        s3_url=args.endpoint_url or endpoints.get("s3"),
        dynamodb_url=args.endpoint_url or endpoints.get("dynamodb"),
        session=stack_session(aws),
    )


def _prekey_table(environment: str) -> str:
    from components import naming

    return naming.prekey_table(environment)


def run(args: argparse.Namespace, stack_dir: Path) -> int:
    from migrate.restore_bucket import restore_bucket
    from migrate.restore_table import TableProblem, plan_table_restore, restore_table
    from verify.arguments import url_problem
    from verify.aws import AwsError, describe

    apply = bool(args.yes)
    try:
        endpoint = url_problem("--endpoint-url", args.endpoint_url)
        if endpoint:
            raise RestoreProblem(endpoint)
        point = parse_point(args.point)
        target = resolve(args, stack_dir)
        table_plan = None
        if args.only != "bucket" and target.table:
            dynamodb = target.client("dynamodb", target.dynamodb_url)
            table_plan = plan_table_restore(dynamodb, target.table, point, args.table_target, target.kms_key_arn)
        elif args.table_target:
            raise RestoreProblem("--table-target needs a table to restore (the stack's prekey table, or --table)")
        s3 = target.client("s3", target.s3_url) if args.only != "table" and target.bucket else None
        if s3 is not None:
            _check_versioned(s3, str(target.bucket))
    except (RestoreProblem, TableProblem) as problem:
        print(f"migrate restore: {problem}", file=sys.stderr)
        return 2
    except AwsError as error:
        print(f"migrate restore: {describe(error)}", file=sys.stderr)
        return 2

    report: dict[str, Any] = {"point": point.isoformat(), "applied": apply}
    lines: list[str] = []
    ok = True
    if s3 is not None:
        bucket_report = restore_bucket(s3, str(target.bucket), prefix=args.prefix, point=point, apply=apply)
        report["bucket"] = bucket_report.as_json()
        lines.append(bucket_report.text())
        from migrate.restore_bucket import Action

        ok = bucket_report.ok and bucket_report.count(Action.LOST) == 0
    if table_plan is not None:
        table_report: dict[str, Any] = {"source": table_plan.source, "target": table_plan.target}
        if apply:
            try:
                status = restore_table(dynamodb, table_plan).get("TableStatus")
                table_report["status"] = status
                lines.append(
                    f"table {table_plan.source} at {point.isoformat()}: restoring into {table_plan.target} ({status})"
                )
            except AwsError as error:
                ok = False
                table_report["error"] = describe(error)
                lines.append(f"table {table_plan.source}: the restore failed: {describe(error)}")
        else:
            lines.append(
                f"table {table_plan.source} at {point.isoformat()}: would restore into {table_plan.target} "
                "(dry run; --yes to apply)"
            )
        table_report["switch"] = table_plan.switch_lines(args.stack)
        lines += table_plan.switch_lines(args.stack)
        report["table"] = table_report
    report["ok"] = ok
    print(json.dumps(report, indent=2) if args.json else "\n".join(lines))
    return 0 if ok else 1


def _check_versioned(s3: Any, bucket: str) -> None:
    """A bucket without versioning has nothing to restore from: say so before listing it."""
    from verify.aws import NOT_FOUND, AwsError, describe, error_code

    try:
        status = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            raise RestoreProblem(f"bucket {bucket} does not exist: check --stack/--bucket") from None
        raise RestoreProblem(f"bucket {bucket}: {describe(error)}") from None
    if status is None:
        raise RestoreProblem(
            f"bucket {bucket} was never versioned: deleted objects are gone; pulumi up turns versioning on "
            "(it protects only from then on)"
        )
