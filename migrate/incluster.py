"""`python -m migrate assets --in-cluster`: the copy as a Kubernetes Indexed Job next to fake-aws-s3 (pure manifests).

N shards (`completions`), `parallelism` of them at once, each pod running `python3 -m migrate.shard` on
shard `$JOB_COMPLETION_INDEX` (migrate/shard.py); Kubernetes schedules, retries each index on its own
(`backoffLimitPerIndex`) and parallelises: this program has no scheduler. The image is the one verify's
in-cluster Jobs use (AWS's Lambda Python image: Python 3.12 with boto3, botocore and urllib3 in
/var/runtime, public, mirrorable); the copy's pod-side modules (standard library and boto3 only) travel
in a ConfigMap mounted as the packages `migrate` and `verify`, so no image has to be built, pushed or
trusted beyond that one, and the code that runs is exactly this checkout's. Credentials: the destination
through cargohold's service account (its IRSA role: s3:ListBucket, GetObject, PutObject, DeleteObject,
AbortMultipartUpload on the assets bucket; its key Secret in staticKeys mode), the source's keys from a
Secret (fake-aws-s3's or cargohold's keys, never in a manifest).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.shard import ShardSpec
from verify.incluster import pod_security

IMAGE = "public.ecr.aws/lambda/python:3.12"  # = verify's DEFAULT_VERIFY_IMAGE (wire:verify.image)
BOTO3_PATH = "/var/runtime"
NAME = "wire-infra-migrate-assets"
MOUNT = "/opt/wire-infra-migrate"
SPEC_KEY = "spec.json"
SOURCE_SECRET = "wire-infra-migrate-source"
# The key names of cargohold's Secret: `--source-secret cargohold` works while it still holds fake-aws's keys.
SOURCE_SECRET_KEYS = ("awsKeyId", "awsSecretKey")
ROOT = Path(__file__).resolve().parent.parent
# package -> modules the shard imports; each package gets a stub __init__ (the real ones import the CLIs).
POD_MODULES = {
    "migrate": (
        "checksums",
        "clients",
        "http1",
        "journal",
        "metadata",
        "objects",
        "progress",
        "relay",
        "report",
        "runner",
        "s3http",
        "s3shapes",
        "shard",
        "sigv4",
        "transfer",
    ),
    "verify": ("aws",),
}
RETRIES_PER_SHARD = 4


@dataclass(frozen=True)
class JobSettings:
    namespace: str
    image: str = IMAGE
    service_account: str = "cargohold"
    source_secret: str = SOURCE_SECRET
    # staticKeys mode: the destination's keys from this Secret (cargohold's, as the chart renders it).
    destination_key_secret: str | None = None
    parallelism: int | None = None  # default: every shard at once
    # cargohold's outbound proxy when the stack sends it through one: name -> value (http_proxy, ...).
    proxy: tuple[tuple[str, str], ...] = ()


def _labels(component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": NAME,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "wire-infra",
    }


def configmap_data(spec: ShardSpec) -> dict[str, str]:
    data = {SPEC_KEY: spec.to_json() + "\n"}
    for package, modules in POD_MODULES.items():
        data[f"{package}.__init__.py"] = f'"""The in-cluster asset copy\'s `{package}` modules (wire-infra)."""\n'
        for module in modules:
            data[f"{package}.{module}.py"] = (ROOT / package / f"{module}.py").read_text()
    return data


def _secret_env(name: str, secret: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def _env(spec: ShardSpec, settings: JobSettings) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = [
        {"name": "AWS_REGION", "value": spec.destination_region},
        {"name": "PYTHONPATH", "value": f"{MOUNT}:{BOTO3_PATH}"},
        {"name": "PYTHONDONTWRITEBYTECODE", "value": "1"},
        {"name": "PYTHONUNBUFFERED", "value": "1"},
        _secret_env("SOURCE_AWS_ACCESS_KEY_ID", settings.source_secret, SOURCE_SECRET_KEYS[0]),
        _secret_env("SOURCE_AWS_SECRET_ACCESS_KEY", settings.source_secret, SOURCE_SECRET_KEYS[1]),
    ]
    for name, value in settings.proxy:
        env += [{"name": name, "value": value}, {"name": name.upper(), "value": value}]
    if settings.destination_key_secret:
        env.append(_secret_env("AWS_ACCESS_KEY_ID", settings.destination_key_secret, "awsKeyId"))
        env.append(_secret_env("AWS_SECRET_ACCESS_KEY", settings.destination_key_secret, "awsSecretKey"))
    return env


def proxy_settings(
    http_proxy: str | None, https_proxy: str | None, no_proxy: list[str], source_url: str
) -> tuple[tuple[str, str], ...]:
    """The proxy variables of cargohold's pods, with the source (in the cluster) never sent through the proxy."""
    from urllib.parse import urlsplit

    source_host = urlsplit(source_url).hostname or ""
    values = [
        ("http_proxy", http_proxy),
        ("https_proxy", https_proxy),
        ("no_proxy", ",".join([*no_proxy, source_host])),
    ]
    return tuple((name, str(value)) for name, value in values if value)


def _memory_mib(spec: ShardSpec) -> int:
    # One part in memory per object in flight (plus the one being sent), and the interpreter.
    return 2 * spec.jobs * spec.part_size // (1024 * 1024) + 128


def manifests(spec: ShardSpec, settings: JobSettings) -> list[dict[str, Any]]:
    """The ConfigMap (the shard's code and spec) and the Indexed Job of `spec.shards` shards."""
    items = [{"key": SPEC_KEY, "path": SPEC_KEY}]
    for package, modules in POD_MODULES.items():
        for module in ("__init__", *modules):
            items.append({"key": f"{package}.{module}.py", "path": f"{package}/{module}.py"})
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": NAME, "namespace": settings.namespace, "labels": _labels("code")},
        "data": configmap_data(spec),
    }
    memory = _memory_mib(spec)
    pod: dict[str, Any] = {
        "serviceAccountName": settings.service_account,
        "restartPolicy": "Never",
        # IRSA's token is its own projected volume (EKS's webhook); the Kubernetes API token is not needed.
        "automountServiceAccountToken": False,
        "securityContext": pod_security(),
        "containers": [
            {
                "name": "copy",
                "image": settings.image,
                "command": ["python3", "-m", "migrate.shard", f"{MOUNT}/{SPEC_KEY}"],
                "env": _env(spec, settings),
                "resources": {
                    "requests": {"cpu": "500m", "memory": f"{memory}Mi"},
                    "limits": {"memory": f"{2 * memory}Mi"},
                },
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                },
                "volumeMounts": [{"name": "code", "mountPath": MOUNT, "readOnly": True}],
            }
        ],
        # SIGTERM aborts the uploads in flight and flushes the journal: give it time.
        "terminationGracePeriodSeconds": 60,
        "volumes": [{"name": "code", "configMap": {"name": NAME, "items": items}}],
    }
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": NAME, "namespace": settings.namespace, "labels": _labels("copy")},
        "spec": {
            "completionMode": "Indexed",
            "completions": spec.shards,
            "parallelism": min(settings.parallelism or spec.shards, spec.shards),
            # Each shard is retried on its own; one that keeps failing does not stop the others.
            "backoffLimitPerIndex": RETRIES_PER_SHARD,
            "maxFailedIndexes": spec.shards,
            "ttlSecondsAfterFinished": 7 * 86400,
            "template": {"metadata": {"labels": _labels("copy")}, "spec": pod},
        },
    }
    return [configmap, job]
