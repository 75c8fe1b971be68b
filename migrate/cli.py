"""Command line: `python -m migrate assets --from <endpoint>/<bucket> --stack <stack> [...]` and
`python -m migrate values --stack <stack> --outputs <file> --out <dir> [...]` (migrate/values.py) and
`python -m migrate adopt-check --stack <stack> [...]` (migrate/adopt_check.py) and
`python -m migrate restore --stack <stack> --to <time> [...]` (migrate/restore.py)."""

from __future__ import annotations

import argparse
import re
import signal
import sys
from pathlib import Path
from types import FrameType

from migrate.endpoints import (
    SOURCE_KEY_ENV,
    SOURCE_SECRET_ENV,
    ArgumentProblem,
    Endpoint,
    check_bucket,
    destination_from_args,
    source_endpoint,
)
from migrate.journal import Journal
from migrate.progress import Progress
from migrate.report import Report, Status
from migrate.runner import Options, Runner
from migrate.transfer import MAX_PART_SIZE, MIB, MIN_PART_SIZE, Bucket

# = components.stackfile.PROJECT_ROOT, whose import (the stack's configuration models) `assets` does not need.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

EPILOG = f"""\
Source keys: {SOURCE_KEY_ENV} / {SOURCE_SECRET_ENV} (or the options; the environment keeps them out of
the process list). Destination credentials: the stack's aws: settings, else the AWS default chain.
Safe to interrupt and to run again: finished objects are skipped, changed ones copied again.
Exit code: 0 when every object is at the destination and verified, 1 when one failed (with --verify: differs
or is missing) or the run was interrupted, 2 on bad arguments. See docs/migration.md ("Copy the assets").
Example:
  kubectl -n wire port-forward svc/fake-aws-s3 9000:9000 &
  python -m migrate assets --from http://localhost:9000/dummy-bucket --stack prod
"""

_SIZE = re.compile(r"^(\d+)\s*(b|k|kib|m|mib|g|gib|t|tib)?$", re.IGNORECASE)
_UNITS = {"b": 1, "k": 1024, "kib": 1024, "m": MIB, "mib": MIB, "g": 1024 * MIB, "gib": 1024 * MIB}
_UNITS |= {"t": 1024 * 1024 * MIB, "tib": 1024 * 1024 * MIB}


def _bytes(value: str, example: str) -> int:
    match = _SIZE.match(value.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size like {example}")
    return int(match.group(1)) * _UNITS[(match.group(2) or "b").lower()]


def part_size(value: str) -> int:
    size = _bytes(value, "16MiB")
    if not MIN_PART_SIZE <= size <= MAX_PART_SIZE:
        raise argparse.ArgumentTypeError(f"{value!r}: S3 parts are 5 MiB to 5 GiB")
    return size


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number")
    return int(value)


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every subcommand; for `command` "assets" only that one (the others import the configuration models:
    a fraction of a second of every copy's start, measured by `make bench`)."""
    p = argparse.ArgumentParser(prog="python -m migrate", description="Move a Wire installation off fake-aws.")
    commands = p.add_subparsers(dest="command", required=True)
    a = commands.add_parser(
        "assets",
        help="copy every asset from fake-aws-s3 (minio) into the stack's S3 bucket",
        description="Copy every object of an S3-compatible bucket (fake-aws-s3, minio) into the stack's assets "
        "bucket: parallel, streamed, verified object by object, resumable and idempotent.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("--from", dest="source", required=True, metavar="URL/BUCKET", help="source endpoint and bucket")
    a.add_argument("--from-region", default="us-east-1", help="the source's region (minio: us-east-1)")
    a.add_argument("--from-access-key", help=f"source access key (default: ${SOURCE_KEY_ENV})")
    a.add_argument("--from-secret-key", help=f"source secret key (default: ${SOURCE_SECRET_ENV})")
    a.add_argument("--stack", help="stack name: the destination is its assets bucket (reads Pulumi.<stack>.yaml)")
    a.add_argument("--outputs", metavar="FILE|-", help="`pulumi stack output --json --show-secrets` of the stack")
    a.add_argument("--to-bucket", help="destination bucket (overrides the stack's)")
    a.add_argument("--to-endpoint", help="destination endpoint URL (overrides the stack's; emulators)")
    a.add_argument("--to-region", help="destination region (overrides the stack's)")
    a.add_argument("--prefix", default="", help="copy only keys starting with this (default: all)")
    a.add_argument("--jobs", type=positive, default=8, help="objects copied in parallel (default 8)")
    a.add_argument("--part-size", type=part_size, default=16 * MIB, help="multipart part size (default 16MiB)")
    a.add_argument("--retries", type=int, default=2, help="further attempts of an object that fails to verify")
    a.add_argument("--journal", type=Path, help="journal of verified copies (default: build/migrate/<buckets>.jsonl)")
    a.add_argument("--no-journal", action="store_true", help="decide from the destination's state alone")
    a.add_argument("--dry-run", action="store_true", help="list what would be copied; write nothing")
    a.add_argument(
        "--verify",
        action="store_true",
        help="re-read both sides of every object and compare size, headers, metadata and content (SHA-256); "
        "write nothing, trust no journal; exit 1 when one differs or is missing",
    )
    a.add_argument(
        "--no-source-md5-check",
        action="store_true",
        help="for a source whose ETags are not content MD5s (minio with encryption)",
    )
    a.add_argument("--json", action="store_true", help="print the final report as JSON")
    add_in_cluster_arguments(a)
    a.add_argument("--stack-dir", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    if command == "assets":
        return p
    from migrate import adopt_check, restore, values

    v = values.add_parser(commands)
    v.add_argument("--stack-dir", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    c = adopt_check.add_parser(commands)
    c.add_argument("--stack-dir", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    r = restore.add_parser(commands)
    r.add_argument("--stack-dir", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    return p


def size(value: str) -> int:
    return _bytes(value, "750GiB")


def add_in_cluster_arguments(a: argparse.ArgumentParser) -> None:
    g = a.add_argument_group('in the cluster (docs/migration.md, "Copy in the cluster")')
    g.add_argument(
        "--in-cluster",
        action="store_true",
        help="run the copy as an Indexed Job in the stack's namespace (--from as the cluster reaches it, e.g. "
        "http://fake-aws-s3:9000/dummy-bucket), follow it and aggregate its shards' reports; needs --stack",
    )
    g.add_argument("--shards", type=positive, default=8, help="shards of the key space (Job completions; default 8)")
    g.add_argument("--parallelism", type=positive, help="shards running at once (default: all)")
    g.add_argument("--image", help="the Job's image (python3 + boto3; default wire:verify.image)")
    g.add_argument(
        "--source-secret",
        default="wire-infra-migrate-source",
        help="Secret with the source's keys awsKeyId/awsSecretKey (default wire-infra-migrate-source; "
        "`cargohold` while it still holds fake-aws's keys)",
    )
    g.add_argument("--print-manifests", action="store_true", help="with --in-cluster: print the manifests only")
    g.add_argument("--objects", type=positive, help="estimate: objects in the source bucket (prints the expected time)")
    g.add_argument("--bytes", type=size, help="estimate: total size of the source bucket, e.g. 750GiB")


def journal_path(args: argparse.Namespace, source: Endpoint, destination: Endpoint) -> Path | None:
    if args.no_journal:
        return None
    return args.journal or Path("build/migrate") / f"assets-{source.bucket}-to-{destination.bucket}.jsonl"


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    # A `kill` or a pod eviction stops the run like Ctrl-C: uploads in flight are aborted.
    raise KeyboardInterrupt


def argument_problems(args: argparse.Namespace) -> list[str]:
    """The command's own checks of its arguments (migrate/arguments.py), before anything is read or reached."""
    from migrate.arguments import asset_argument_problems, values_argument_problems

    checks = {"values": values_argument_problems, "assets": asset_argument_problems}
    return checks[args.command](args) if args.command in checks else []


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv[0] if argv else None).parse_args(argv)
    wrong = argument_problems(args)
    for problem in wrong:
        print(f"migrate {args.command}: {problem}", file=sys.stderr)
    if wrong:
        return 2
    if args.command == "values":
        from migrate import values

        return values.run(args, args.stack_dir)
    if args.command == "adopt-check":
        from migrate import adopt_check

        return adopt_check.run(args, args.stack_dir)
    if args.command == "restore":
        from migrate import restore

        return restore.run(args, args.stack_dir)
    if args.objects is not None or args.bytes is not None:
        from plan.copy_estimate import estimate_text

        print(estimate_text(args.objects or 0, args.bytes or 0, args.shards if args.in_cluster else None))
    if args.in_cluster:
        from migrate.incluster_run import in_cluster

        return in_cluster(args)
    try:
        source = source_endpoint(
            args.source, region=args.from_region, access_key=args.from_access_key, secret_key=args.from_secret_key
        )
        destination = destination_from_args(args)
        check_bucket(source)
        check_bucket(destination)
    except ArgumentProblem as problem:
        print(f"migrate assets: {problem}", file=sys.stderr)
        return 2
    pool = args.jobs + 4
    options = Options(
        jobs=args.jobs,
        part_size=args.part_size,
        retries=max(args.retries, 0),
        prefix=args.prefix,
        dry_run=args.dry_run,
        check_source_md5=not args.no_source_md5_check,
        verify=args.verify,
    )
    report = Report(source.label, destination.label, dry_run=args.dry_run, verify=args.verify)
    runner = Runner(
        Bucket(source.fast_client(pool=pool), source.bucket),
        Bucket(destination.fast_client(pool=pool), destination.bucket),
        options,
        # --verify reads the journal only to report objects gone from the source.
        journal=Journal(journal_path(args, source, destination), writable=not (args.dry_run or args.verify)),
        progress=Progress(lines=sys.stderr if args.json else sys.stdout),
        report=report,
    )
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        runner.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(report.json() if args.json else report.text())
    if args.dry_run and not args.json:
        from plan.copy_estimate import estimate_text

        print(estimate_text(report.counts[Status.WOULD_COPY], report.sizes[Status.WOULD_COPY], None))
    return 0 if report.ok else 1
