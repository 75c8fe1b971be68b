"""Start the in-cluster copy with kubectl, follow its shards, and aggregate their reports into one.

The state each shard keeps in the destination bucket (migrate/shard.py) is what this reads: the
progress objects while the Job runs, the report objects at the end. Jobs are immutable, so a finished
or failed Job of an earlier run is deleted before the new one is applied; the new one's shards resume
from their journals. kubectl as in verify's in-cluster mode (verify/kube.py): every kubeconfig auth works.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError

from migrate.report import Outcome, Report, Status, size_text
from migrate.shard import ShardSpec
from migrate.transfer import Bucket
from verify.kube import Kubectl

POLL_SECONDS = 10.0
_STATUS_FIELDS = {
    Status.COPIED: ("copied", "copiedBytes"),
    Status.SKIPPED: ("skipped", "skippedBytes"),
    Status.WOULD_COPY: ("wouldCopy", "wouldCopyBytes"),
    Status.VERIFIED: ("verified", "verifiedBytes"),
}


def read_state(bucket: Bucket, key: str) -> dict[str, Any] | None:
    try:
        body = bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"]
    except ClientError:
        return None
    try:
        return json.loads(body.read())
    except ValueError:
        return None
    finally:
        body.close()


def shard_states(spec: ShardSpec, bucket: Bucket, kind: str) -> list[dict[str, Any] | None]:
    return [read_state(bucket, spec.state_key(kind, index)) for index in range(spec.shards)]


def progress_text(progress: Sequence[Mapping[str, Any] | None]) -> str:
    """One line over every shard: objects done of listed, bytes, failures, throughput."""
    started = [p for p in progress if p]
    finished = sum(p["finished"] for p in started)
    listed = sum(p["listed"] for p in started)
    transferred = sum(p["transferred"] for p in started)
    failed = sum(p["failed"] for p in started)
    rate = sum(p["transferred"] / p["seconds"] for p in started if p["seconds"])
    return (
        f"{len(started)}/{len(progress)} shards started, {finished}/{listed} objects, {failed} failed, "
        f"{size_text(transferred)} transferred at {size_text(int(rate))}/s"
    )


def aggregate(spec: ShardSpec, reports: Sequence[Mapping[str, Any] | None], source: str, destination: str) -> Report:
    """The shards' reports as one; a shard without a report makes the whole incomplete."""
    report = Report(source, destination)
    missing = [index for index, shard in enumerate(reports) if shard is None]
    for shard in reports:
        if shard is None:
            continue
        report.listed += shard["listed"]
        report.listed_bytes += shard["listedBytes"]
        for status, (count, size) in _STATUS_FIELDS.items():
            report.counts[status] += shard[count]
            report.sizes[status] += shard[size]
        report.counts[Status.FAILED] += shard["failed"]
        report.failures += [Outcome(f["key"], Status.FAILED, 0, f["reason"]) for f in shard["failures"]]
        report.gone_from_source += shard["goneFromSource"]
        if shard["incomplete"] and report.incomplete is None:
            report.incomplete = f"shard {shard['shard']}: {shard['incomplete']}"
    if missing:
        report.incomplete = f"no report from shard(s) {', '.join(map(str, missing))} of {spec.shards}: run again"
    report.gone_from_source.sort()
    return report


def job_state(job: Mapping[str, Any]) -> str | None:
    """ "complete", "failed" or None while it runs."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("status") == "True" and condition.get("type") in ("Complete", "Failed"):
            return str(condition["type"]).lower()
    return None


def run(
    kubectl: Kubectl,
    documents: Sequence[dict[str, Any]],
    spec: ShardSpec,
    destination: Bucket,
    *,
    out: TextIO,
    labels: tuple[str, str],
    sleep: Callable[[float], None] = time.sleep,
    poll_seconds: float = POLL_SECONDS,
) -> Report:
    """Apply the ConfigMap and Job (an earlier Job deleted first), follow it to its end, aggregate."""
    job = next(d for d in documents if d["kind"] == "Job")
    name, namespace = job["metadata"]["name"], job["metadata"]["namespace"]
    kubectl.run("delete", "job", name, "-n", namespace, "--ignore-not-found", "--wait=true")
    # An earlier run's reports must not stand in for this run's (journals stay: they are the resume).
    for index in range(spec.shards):
        for kind in ("progress.json", "report.json"):
            with contextlib.suppress(ClientError, BotoCoreError):
                destination.client.delete_object(Bucket=destination.name, Key=spec.state_key(kind, index))
    kubectl.run("apply", "-f", "-", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(documents)}))
    pods = f"kubectl -n {namespace} get pods -l job-name={name}"
    out.write(f"started Job {namespace}/{name}: {spec.shards} shards ({pods})\n")
    while True:
        state = job_state(kubectl.get_json("get", "job", name, "-n", namespace, "-o", "json"))
        try:
            out.write(f"progress: {progress_text(shard_states(spec, destination, 'progress.json'))}\n")
        except (ClientError, BotoCoreError) as error:
            out.write(f"progress: not readable ({error})\n")
        out.flush()
        if state is not None:
            break
        sleep(poll_seconds)
    return aggregate(spec, shard_states(spec, destination, "report.json"), *labels)


def in_cluster(args: Any) -> int:
    """`python -m migrate assets --in-cluster ...`: render, and unless --print-manifests run and report."""
    import sys
    from urllib.parse import urlsplit

    from components.config import ConfigError, CredentialsMode
    from components.k8s.values.common import proxied, proxy_env
    from components.stackfile import read_stack_file
    from migrate.endpoints import ArgumentProblem, check_bucket, destination_from_args
    from migrate.incluster import JobSettings, manifests, proxy_settings
    from verify.kube import KubectlError

    def refuse(message: str) -> int:
        print(f"migrate assets: {message}", file=sys.stderr)
        return 2

    if not args.stack:
        return refuse("--in-cluster needs --stack: the Job runs in its namespace with its credentials")
    if args.dry_run or args.verify:
        return refuse("--in-cluster copies; run --dry-run and --verify from a machine (through a port-forward)")
    parts = urlsplit(args.source)
    source_bucket = parts.path.strip("/")
    if parts.scheme not in ("http", "https") or not parts.netloc or not source_bucket or "/" in source_bucket:
        return refuse(
            f"--from {args.source!r} is not <endpoint>/<bucket> as the cluster reaches it, "
            "e.g. http://fake-aws-s3:9000/dummy-bucket"
        )
    try:
        cfg = read_stack_file(args.stack, args.stack_dir).load().config
        destination = destination_from_args(args)
    except (ArgumentProblem, ConfigError, FileNotFoundError, ValueError) as problem:
        return refuse(str(problem))
    spec = ShardSpec(
        source_url=f"{parts.scheme}://{parts.netloc}",
        source_bucket=source_bucket,
        source_region=args.from_region,
        destination_bucket=destination.bucket,
        destination_region=destination.region or cfg.region,
        destination_url=destination.url,
        shards=args.shards,
        jobs=args.jobs,
        part_size=args.part_size,
        retries=max(args.retries, 0),
        prefix=args.prefix,
        check_source_md5=not args.no_source_md5_check,
    )
    static = cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS
    proxy: tuple[tuple[str, str], ...] = ()
    if proxied(cfg, "cargohold"):
        chart = proxy_env(cfg)
        proxy = proxy_settings(chart.get("httpProxy"), chart.get("httpsProxy"), chart["noProxyList"], spec.source_url)
    settings = JobSettings(
        namespace=cfg.kubernetes.namespace,
        image=args.image or cfg.verify.image,
        source_secret=args.source_secret,
        destination_key_secret="cargohold" if static else None,
        parallelism=args.parallelism,
        proxy=proxy,
    )
    documents = manifests(spec, settings)
    if args.print_manifests:
        print(json.dumps({"apiVersion": "v1", "kind": "List", "items": documents}, indent=2))
        return 0
    try:
        check_bucket(destination)
    except ArgumentProblem as problem:
        return refuse(str(problem))
    bucket = Bucket(destination.client(pool=4), destination.bucket)
    kubectl = Kubectl(cfg.kubernetes.kubeconfig, cfg.kubernetes.context)
    try:
        report = run(kubectl, documents, spec, bucket, out=sys.stderr, labels=(args.source, destination.label))
    except KubectlError as error:
        return refuse(str(error))
    print(report.json() if args.json else report.text())
    return 0 if report.ok else 1
