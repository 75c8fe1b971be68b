"""A1: `python -m migrate assets` against `rclone copy --checksum -M` on the same workload and servers.

Two moto servers on 127.0.0.1 stand in for fake-aws-s3 and the stack's bucket. The workload is what
issue 29 measured: 400 x 64 KiB and 60 x 1 MiB objects plus 6 x 12 MiB uploaded in 5 MiB parts (a
multipart ETag at the source), cargohold's keys (`v3/<retention>/<uuid>`) and metadata. It is copied in
two parts, the small objects (objects/s) and the large ones (MiB/s), each by both tools as whole
processes, alternating run by run into an emptied destination, best of N; the CPU seconds (user + system)
of each tool's process are reported too, as the machine's other load moves wall times. Without rclone on PATH the
copy is measured alone and the ratio is reported as skipped.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from components.stackfile import PROJECT_ROOT

KIB, MIB = 1024, 1024 * 1024
SOURCE_PART = 5 * MIB
REGION = "us-east-1"
KEY, SECRET = "bench-key", "bench-secret"


@dataclass(frozen=True)
class Batch:
    count: int
    size: int
    multipart: bool = False


# Part name -> what it holds. "small" is about requests per object, "large" about bytes per second.
WORKLOAD: dict[str, tuple[Batch, ...]] = {
    "small": (Batch(400, 64 * KIB),),
    "large": (Batch(60, MIB), Batch(6, 12 * MIB, multipart=True)),
}
RETENTIONS = ("eternal", "persistent", "volatile", "eternal-infrequent_access")


@dataclass(frozen=True)
class Part:
    name: str
    objects: int
    size: int  # bytes


@dataclass(frozen=True)
class Measured:
    part: Part
    tool: str
    runs: list[float]
    cpu: list[float] = field(default_factory=list)  # seconds of CPU (user + system) of each run

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def objects_per_second(self) -> float:
        return self.part.objects / self.best

    @property
    def mib_per_second(self) -> float:
        return self.part.size / MIB / self.best


def parts() -> list[Part]:
    return [
        Part(name, sum(b.count for b in batches), sum(b.count * b.size for b in batches))
        for name, batches in WORKLOAD.items()
    ]


def client(url: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(s3={"addressing_style": "path"}, max_pool_connections=16)
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=config,
    )


def assets(batches: Sequence[Batch], seed: int) -> Iterator[tuple[str, bytes, dict[str, str], bool]]:
    """Keys, bodies and metadata as cargohold writes them (deterministic)."""
    rng = random.Random(seed)
    for batch in batches:
        for _ in range(batch.count):
            key = f"v3/{rng.choice(RETENTIONS)}/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
            metadata = {
                "user": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "token": f"t{rng.getrandbits(64):x}",
            }
            yield key, rng.randbytes(batch.size), metadata, batch.multipart


def fill(s3: Any, bucket: str, batches: Sequence[Batch], seed: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    s3.create_bucket(Bucket=bucket)

    def put(item: tuple[str, bytes, dict[str, str], bool]) -> None:
        key, body, metadata, multipart = item
        args = {"Bucket": bucket, "Key": key, "ContentType": "application/octet-stream", "Metadata": metadata}
        if not multipart:
            s3.put_object(Body=body, **args)
            return
        upload = s3.create_multipart_upload(**args)["UploadId"]
        done = []
        for number, start in enumerate(range(0, len(body), SOURCE_PART), 1):
            chunk = body[start : start + SOURCE_PART]
            etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=number, Body=chunk)["ETag"]
            done.append({"PartNumber": number, "ETag": etag})
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": done})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, assets(batches, seed)))


def reset(url: str, bucket: str) -> None:
    """An empty destination bucket: moto's state reset, the bucket made again."""
    from tests.moto_support import post

    post(f"{url}/moto-api/reset")
    client(url).create_bucket(Bucket=bucket)


def tool_env(source: str, destination: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_", "SOURCE_AWS_"))}
    env |= {
        "SOURCE_AWS_ACCESS_KEY_ID": KEY,
        "SOURCE_AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_CONFIG_FILE": str(tmp / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "RCLONE_CONFIG": str(tmp / "rclone.conf"),
        # Python's bytecode cache, as on an operator's machine (rclone is compiled once too): not in the
        # checkout, and not switched off by a PYTHONDONTWRITEBYTECODE of the environment bench runs in.
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name, url in (("SRC", source), ("DST", destination)):
        env |= {
            f"RCLONE_CONFIG_{name}_TYPE": "s3",
            f"RCLONE_CONFIG_{name}_PROVIDER": "Other",
            f"RCLONE_CONFIG_{name}_ENDPOINT": url,
            f"RCLONE_CONFIG_{name}_REGION": REGION,
            f"RCLONE_CONFIG_{name}_ACCESS_KEY_ID": KEY,
            f"RCLONE_CONFIG_{name}_SECRET_ACCESS_KEY": SECRET,
            f"RCLONE_CONFIG_{name}_FORCE_PATH_STYLE": "true",
        }
    return env


def copy_argv(source: str, bucket: str, destination: str, journal: Path, python: str = sys.executable) -> list[str]:
    return [
        python,
        "-m",
        "migrate",
        "assets",
        "--from",
        f"{source}/{bucket}",
        "--to-endpoint",
        destination,
        "--to-bucket",
        bucket,
        "--to-region",
        REGION,
        "--journal",
        str(journal),
    ]


def rclone_argv(rclone: str, bucket: str) -> list[str]:
    # rclone's defaults otherwise (4 transfers, 8 checkers): what an operator would type.
    return [rclone, "copy", "--checksum", "-M", f"SRC:{bucket}", f"DST:{bucket}"]


def _timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of a tool."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(list(argv), cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {done.returncode}:\n{tail}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


@contextmanager
def servers() -> Iterator[tuple[str, str]]:
    from tests.moto_support import moto_server

    with ExitStack() as stack:
        yield stack.enter_context(moto_server()), stack.enter_context(moto_server())


def measure(runs: int, rclone: str | None, log: Any = print) -> list[Measured]:
    """Every part, both tools alternating run by run (one warm-up each), best of `runs`."""
    results: list[Measured] = []
    with servers() as (source, destination), tempfile.TemporaryDirectory(prefix="wire-bench-assets-") as tmp:
        env = tool_env(source, destination, Path(tmp))
        src = client(source)
        for seed, part in enumerate(parts()):
            fill(src, part.name, WORKLOAD[part.name], seed)
        for part in parts():
            tools: dict[str, Callable[[str], list[str]]] = {
                "migrate": lambda run, p=part: copy_argv(source, p.name, destination, Path(tmp) / f"journal-{run}")
            }
            if rclone:
                tools["rclone"] = lambda _run, p=part: rclone_argv(rclone, p.name)
            times: dict[str, list[float]] = {name: [] for name in tools}
            cpu: dict[str, list[float]] = {name: [] for name in tools}
            for attempt in range(runs + 1):
                for name, argv in tools.items():
                    reset(destination, part.name)
                    elapsed, seconds = _timed(argv(f"{part.name}-{attempt}"), env)
                    if attempt:  # the first round warms the OS cache, the servers and Python's bytecode cache
                        times[name].append(elapsed)
                        cpu[name].append(seconds)
            for name, series in times.items():
                log(
                    f"bench: A1 {part.name} {name}: "
                    + ", ".join(f"{t:.2f}" for t in series)
                    + " s (CPU "
                    + ", ".join(f"{t:.2f}" for t in cpu[name])
                    + " s)"
                )
                results.append(Measured(part, name, series, cpu[name]))
    return results


def find_rclone() -> str | None:
    return shutil.which("rclone")


RATIO_MIN = 1.0  # the copy at least as fast as rclone on the same workload


def figures(results: Sequence[Measured], rclone_missing: str = "") -> list[Any]:
    """A1 figures: objects/s and MiB/s of each tool and part, the throughput ratios copy / rclone."""
    from bench.report import Figure

    out: list[Figure] = []
    by = {(m.part.name, m.tool): m for m in results}
    for m in results:
        what = f"{m.part.objects} objects, {m.part.size / MIB:.0f} MiB"
        note = f"best of {len(m.runs)}: {m.best:.2f} s ({what})"
        out.append(
            Figure(
                f"A1.{m.part.name}.{m.tool}.objects",
                f"{m.tool}, {m.part.name} objects",
                m.objects_per_second,
                "objects/s",
                "",
                None,
                note,
            )
        )
        if m.cpu:
            out.append(
                Figure(
                    f"A1.{m.part.name}.{m.tool}.cpu",
                    f"{m.tool}, {m.part.name} objects, CPU",
                    min(m.cpu),
                    "s",
                    "",
                    None,
                    "least of the runs, user + system of the tool's process (not the servers')",
                )
            )
        out.append(
            Figure(
                f"A1.{m.part.name}.{m.tool}.mib",
                f"{m.tool}, {m.part.name} objects",
                m.mib_per_second,
                "MiB/s",
                "",
                None,
                note,
            )
        )
    target = f">= {RATIO_MIN:g}x"
    names = [part.name for part in parts()]
    for name in [*names, "total"]:
        ours = [by.get((n, "migrate")) for n in (names if name == "total" else [name])]
        theirs = [by.get((n, "rclone")) for n in (names if name == "total" else [name])]
        label = f"throughput migrate / rclone, {name}"
        if any(m is None for m in ours):
            continue
        if any(m is None for m in theirs):
            out.append(Figure(f"A1.{name}.ratio", label, "skipped", "", target, None, rclone_missing))
            continue
        mine = sum(m.best for m in ours if m)
        other = sum(m.best for m in theirs if m)
        ratio = other / mine
        note = f"rclone {other:.2f} s / migrate {mine:.2f} s (same servers, alternating)"
        out.append(Figure(f"A1.{name}.ratio", label, ratio, "x", target, ratio >= RATIO_MIN, note))
    return out
