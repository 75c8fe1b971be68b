"""In-cluster verify: one Kubernetes Job per service, in the service's own pod environment (pure manifests).

Each Job runs `verify/probes.py` (the probes of `--as-service`) under the service's service account
in the release namespace, with the environment the wire-server chart gives the service: AWS_REGION,
the proxy variables (http(s)_proxy/no_proxy, upper and lower case), and the static-key Secret in
`staticKeys` mode (IRSA comes with the service account). Endpoints are those the services use
(`wire:serviceEndpoints`, or the region's). The probe code travels in one ConfigMap, so the image
only needs Python and boto3: see IMAGE and docs/verify.md ("In-cluster mode").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from components import naming
from components.config import CredentialsMode, PushMode, StackConfig
from components.config.verify import DEFAULT_VERIFY_IMAGE
from components.k8s.values.common import proxied, proxy_env
from components.outputs import AwsOutputs
from verify import service
from verify.expected import Expected, expected

# AWS's Lambda base image for Python: public, maintained, Python 3.12 with boto3 preinstalled (in
# /var/runtime), so nothing is installed at run time and a mirrored copy works air-gapped. Its
# entrypoint is the Lambda runtime; the Job's `command` replaces it. Override with --image or
# wire:verify.image (mirror it: `crane copy public.ecr.aws/lambda/python:3.12 <registry>/lambda-python:3.12`).
IMAGE = DEFAULT_VERIFY_IMAGE
BOTO3_PATH = "/var/runtime"
CONFIGMAP = "wire-infra-verify"
MOUNT = "/opt/wire-infra-verify"
NAME_LABEL = "wire-infra-verify"
# The pod-side files (stdlib + boto3 only), mounted as the package `verify`.
POD_MODULES = ("aws", "results", "probes", "pod", "stores")
PACKAGE_DIR = Path(__file__).resolve().parent
# The Secret and keys the wire-server chart renders for static keys (chart-keys.md §2).
KEY_SECRETS = {"brig": "brig", "gundeck": "gundeck", "cargohold": "cargohold", "galley": "galley-aws"}
# Probes take seconds; a Job still running after this is stuck (a proxy or endpoint that never answers).
DEADLINE_SECONDS = 300
RUN_AS = 65534  # nobody: the pods of the chart run as non-root too


def job_name(svc: str) -> str:
    return f"{NAME_LABEL}-{svc}"


def expected_from_record(cfg: StackConfig, record: AwsOutputs) -> Expected:
    """What verify expects, from the record the helm values are computed from (inside `pulumi up`)."""
    outputs: dict[str, Any] = {
        "awsAccountId": record.account_id,
        "gundeckQueueName": record.push.queue_name,
        "pushArnEnv": record.push.arn_env,
        "brigInternalQueueName": record.brig_internal_queue,
        "prekeyTableName": record.prekey_table,
        "userJournalQueueName": record.user_journal_queue,
        "teamEventsQueueName": record.team_events_queue,
        "assetsBucketName": record.bucket,
        "serviceRoleArns": dict(record.role_arns),
    }
    account = None if cfg.push.mode == PushMode.EXTERNAL else record.account_id
    return expected(cfg, outputs, account)


def service_endpoints(cfg: StackConfig, svc: str) -> dict[str, str]:
    """The endpoints the chart gives `svc` (AwsOutputs carries the same cfg.endpoint values)."""
    endpoints = {name: cfg.endpoint(name) for name in ("sqs", "sns", "ses", "dynamodb", "s3")}
    external = cfg.push.external if cfg.push.mode == PushMode.EXTERNAL else None
    if svc == "gundeck" and external is not None:
        endpoints |= {"sqs": external.sqs_endpoint, "sns": external.sns_endpoint}
    emulator = cfg.service_endpoints.sqs
    if emulator:
        # An emulator answers every API on one endpoint; the identity line needs STS there too.
        endpoints["sts"] = emulator
    return endpoints


def _region(cfg: StackConfig, svc: str) -> str:
    if svc == "gundeck" and cfg.push.mode == PushMode.EXTERNAL and cfg.push.external:
        return cfg.push.external.region
    return cfg.region


def _env(cfg: StackConfig, svc: str) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = [
        {"name": "AWS_REGION", "value": _region(cfg, svc)},
        {"name": "PYTHONPATH", "value": f"{MOUNT}:{BOTO3_PATH}"},
        {"name": "PYTHONDONTWRITEBYTECODE", "value": "1"},
    ]
    static = cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS
    if static or (svc == "gundeck" and cfg.push.mode == PushMode.EXTERNAL):
        secret = KEY_SECRETS[svc]
        for name, key in (("AWS_ACCESS_KEY_ID", "awsKeyId"), ("AWS_SECRET_ACCESS_KEY", "awsSecretKey")):
            env.append({"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}})
    if proxied(cfg, svc):
        # The service's config.proxy values, turned into env as the chart's deployment templates do.
        chart = proxy_env(cfg)
        proxies = (
            ("http_proxy", chart.get("httpProxy")),
            ("https_proxy", chart.get("httpsProxy")),
            ("no_proxy", ",".join(chart.get("noProxyList") or [])),
        )
        for name, value in proxies:
            if value:
                env += [{"name": name, "value": str(value)}, {"name": name.upper(), "value": str(value)}]
    return env


def _labels(svc: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": NAME_LABEL,
        "app.kubernetes.io/component": svc,
        "app.kubernetes.io/managed-by": "wire-infra",
    }


def pod_security() -> dict[str, Any]:
    """The pod securityContext of the Jobs wire-infra runs in the cluster (verify's, the asset copy's)."""
    return {
        "runAsNonRoot": True,
        "runAsUser": RUN_AS,
        "runAsGroup": RUN_AS,
        # Lets the non-root user read the projected IRSA token.
        "fsGroup": RUN_AS,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _job(cfg: StackConfig, svc: str, image: str) -> dict[str, Any]:
    items = [{"key": f"{module}.py", "path": f"verify/{module}.py"} for module in ("__init__", *POD_MODULES)]
    items.append({"key": f"{svc}.json", "path": f"specs/{svc}.json"})
    pod_spec: dict[str, Any] = {
        "serviceAccountName": svc,
        "restartPolicy": "Never",
        # IRSA's token is a separate projected volume (added by EKS's webhook); the API token is not needed.
        "automountServiceAccountToken": False,
        "securityContext": pod_security(),
        "containers": [
            {
                "name": "verify",
                "image": image,
                "command": ["python3", "-m", "verify.pod", f"{MOUNT}/specs/{svc}.json"],
                "env": _env(cfg, svc),
                "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}},
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                },
                "volumeMounts": [{"name": "probes", "mountPath": MOUNT, "readOnly": True}],
            }
        ],
        "volumes": [{"name": "probes", "configMap": {"name": CONFIGMAP, "items": items}}],
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": job_name(svc), "namespace": cfg.kubernetes.namespace, "labels": _labels(svc)},
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": DEADLINE_SECONDS,
            "ttlSecondsAfterFinished": 86400,
            "template": {"metadata": {"labels": _labels(svc)}, "spec": pod_spec},
        },
    }


STORES_JOB = "datastores"
# Where the chart puts the credentials the store checks log in with (brig reads PostgreSQL, RabbitMQ and
# Elasticsearch; gundeck Redis): (env name, Secret, key).
STORE_SECRETS = {
    "postgresql": [("PG_PASSWORD", "brig", "pgPassword")],
    "redis": [("REDIS_PASSWORD", "gundeck", "redisPassword")],
    "rabbitmq": [("RABBITMQ_USERNAME", "brig", "rabbitmqUsername"), ("RABBITMQ_PASSWORD", "brig", "rabbitmqPassword")],
    "elasticsearch": [("ES_CREDENTIALS", "brig", "elasticsearch-credentials.yaml")],
}


def store_spec(cfg: StackConfig, stores: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """What the store checks connect to, as the services do; `stores`: managed store -> (host, port)."""
    from components.k8s.values.datastores import amazon_root_cas

    db = cfg.databases
    spec: dict[str, Any] = {"cassandra": {"host": db.cassandra.host, "port": 9042}}
    managed = {name: stores[name] for name in db.managed_stores() if name in stores}
    pg = db.postgresql
    pg_host, pg_port = managed.get("postgresql", (pg.host, pg.port or 5432))
    if pg.is_managed or pg.password is not None:
        spec["postgresql"] = {
            "host": pg_host,
            "port": pg_port,
            "user": pg.user,
            "dbname": pg.dbname,
            "sslmode": "require" if pg.is_managed else None,
            "passwordEnv": "PG_PASSWORD",
        }
    redis_host, redis_port = managed.get("redis", (db.redis.host, db.redis.port or 6379))
    spec["redis"] = {"host": redis_host, "port": redis_port, "tls": db.redis.is_managed}
    if db.redis.is_managed or db.redis.password is not None:
        spec["redis"]["passwordEnv"] = "REDIS_PASSWORD"
    mq_host, mq_port = managed.get("rabbitmq", (db.rabbitmq.host, db.rabbitmq.port or 5672))
    spec["rabbitmq"] = {"host": mq_host, "port": mq_port, "tls": db.rabbitmq.is_managed, "vhost": "/"}
    if db.rabbitmq.is_managed:
        spec["rabbitmq"] |= {"adminPort": 443, "usernameEnv": "RABBITMQ_USERNAME", "passwordEnv": "RABBITMQ_PASSWORD"}
    es = db.elasticsearch
    es_host, es_port = managed.get("elasticsearch", (es.host, es.port or 9200))
    scheme = "https" if es.is_managed else "http"
    spec["elasticsearch"] = {"url": f"{scheme}://{es_host}:{es_port}", "index": "directory"}
    if es.is_managed or es.password is not None:
        spec["elasticsearch"]["credentialsEnv"] = "ES_CREDENTIALS"
    # A managed store left out of `stores` (its address unknown here) is not checked.
    for name in db.managed_stores():
        if name not in stores:
            spec.pop(name, None)
    if db.managed_stores():
        spec["ca"] = amazon_root_cas()
    return spec


def _store_env(cfg: StackConfig, spec: dict[str, Any]) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = [
        {"name": "AWS_REGION", "value": cfg.region},
        {"name": "PYTHONPATH", "value": f"{MOUNT}:{BOTO3_PATH}"},
        {"name": "PYTHONDONTWRITEBYTECODE", "value": "1"},
    ]
    for store, refs in STORE_SECRETS.items():
        wanted = spec.get(store) or {}
        for name, secret, key in refs:
            if name in wanted.values():
                env.append({"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}})
    return env


def probed_services(cfg: StackConfig) -> list[str]:
    """The services that make AWS calls in this configuration (galley only with its journal)."""
    return [svc for svc in naming.SERVICES if svc != "galley" or cfg.features.team_events_journal]


def manifests(
    cfg: StackConfig, exp: Expected, *, image: str = IMAGE, stores: dict[str, tuple[str, int]] | None = None
) -> list[dict[str, Any]]:
    """The ConfigMap with the probe code and each service's spec, then one Job per service, and one checking
    the data stores (`stores`: the managed ones' addresses; without them only the self-run stores)."""
    services = probed_services(cfg)
    data = {"__init__.py": '"""The in-cluster probes (wire-infra verify)."""\n'}
    data |= {f"{module}.py": (PACKAGE_DIR / f"{module}.py").read_text() for module in POD_MODULES}
    for svc in services:
        spec = service.spec(svc, exp, service_endpoints(cfg, svc))
        data[f"{svc}.json"] = spec.to_json()
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": CONFIGMAP, "namespace": cfg.kubernetes.namespace, "labels": _labels("probes")},
        "data": data,
    }
    spec = store_spec(cfg, stores or {})
    data[f"{STORES_JOB}.json"] = json.dumps(spec, indent=1, sort_keys=True)
    return [configmap, *(_job(cfg, svc, image) for svc in services), _stores_job(cfg, spec, image)]


def _stores_job(cfg: StackConfig, spec: dict[str, Any], image: str) -> dict[str, Any]:
    """brig's pod environment (its service account), the store checks' module and the chart's Secrets."""
    job = _job(cfg, "brig", image)
    job["metadata"] = {**job["metadata"], "name": job_name(STORES_JOB), "labels": _labels(STORES_JOB)}
    template = job["spec"]["template"]
    template["metadata"] = {"labels": _labels(STORES_JOB)}
    container = template["spec"]["containers"][0]
    container["command"] = ["python3", "-m", "verify.stores", f"{MOUNT}/specs/{STORES_JOB}.json"]
    container["env"] = _store_env(cfg, spec)
    items = [{"key": f"{module}.py", "path": f"verify/{module}.py"} for module in ("__init__", *POD_MODULES)]
    items.append({"key": f"{STORES_JOB}.json", "path": f"specs/{STORES_JOB}.json"})
    template["spec"]["volumes"] = [{"name": "probes", "configMap": {"name": CONFIGMAP, "items": items}}]
    return job


def job_manifests(cfg: StackConfig, record: AwsOutputs, *, image: str = IMAGE) -> list[dict[str, Any]]:
    """The manifests from the AWS outputs record (what a Job resource in the Pulumi program would use)."""
    stores = {name: (store.host, store.port) for name, store in record.stores.items()}
    return manifests(cfg, expected_from_record(cfg, record), image=image, stores=stores)


def stores_from_outputs(outputs: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """The managed stores' addresses from the stack output `datastoreEndpoints` (name -> "host:port")."""
    found = {}
    for name, endpoint in (outputs.get("datastoreEndpoints") or {}).items():
        host, _, port = str(endpoint).rpartition(":")
        if host and port.isdigit():
            found[name] = (host, int(port))
    return found
