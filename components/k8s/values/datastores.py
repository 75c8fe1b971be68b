"""The managed data stores in the wire-server values: every service that reads a store gets its outputs.

Self-run stores keep the values each service's module computes from `wire:databases`; a managed store's
address, TLS settings and credentials are laid over them here, at exactly the chart's keys (chart 5.29.5
and 5.30): PostgreSQL for brig, galley, background-worker and elasticsearch-index's migrate-data job;
Redis for gundeck; RabbitMQ for brig, galley, gundeck, cannon and background-worker; OpenSearch for brig
and elasticsearch-index.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from components.config import StackConfig
from components.config.managed_stores import RABBITMQ_ADMIN_PORT
from components.k8s.values.common import db_endpoint, postgresql_endpoint, set_if
from components.outputs import AwsOutputs, StoreOutputs

# The Secret holding Amazon's root CAs for the RabbitMQ clients (the chart reads their CA only from a Secret).
CA_SECRET_NAME = "wire-infra-amazon-root-cas"
CA_SECRET_KEY = "ca.pem"
_CA_FILE = Path(__file__).resolve().parents[2] / "aws" / "data" / "amazon-root-cas.pem"
RABBITMQ_CLIENTS = ("brig", "galley", "gundeck", "cannon", "background-worker")
POSTGRESQL_CLIENTS = ("brig", "galley", "background-worker")


@cache
def amazon_root_cas() -> str:
    """Amazon Trust Services' root CAs, PEM (components/aws/data/README.md says where they come from)."""
    return _CA_FILE.read_text(encoding="ascii")


def elasticsearch_index_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    """elasticsearch-index's jobs: the index (create-index) and the users copied from Cassandra and PostgreSQL
    (migrate-data, which falls back to host `postgresql` unless `postgresql` is set)."""
    from components.k8s.values.common import cassandra_endpoint

    es = cfg.databases.elasticsearch
    values: dict[str, Any] = {
        "elasticsearch": db_endpoint(es.host, es.port),
        "cassandra": cassandra_endpoint(cfg),
        "postgresql": postgresql_endpoint(cfg),
    }
    secrets: dict[str, Any] = {}
    credentials = _elasticsearch_credentials(cfg, aws)
    if credentials:
        secrets["elasticsearch"] = credentials
        # The chart mounts its Secret only when it holds elasticsearch credentials: pgPassword alone would
        # name a file that is not there (migrate-data fails), so it is set only alongside them.
        set_if(secrets, "pgPassword", _pg_password(cfg, aws))
    if secrets:
        values["secrets"] = secrets
    return values


def datastore_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    """The wire-server values every managed store changes (merged over the services' own values)."""
    overlay: dict[str, dict[str, Any]] = self_run_credentials(cfg)

    def service(name: str, section: str) -> dict[str, Any]:
        return overlay.setdefault(name, {}).setdefault(section, {})

    postgresql = aws.stores.get("postgresql")
    if postgresql is not None:
        endpoint = _managed_postgresql(cfg, postgresql)
        for name in POSTGRESQL_CLIENTS:
            service(name, "config")["postgresql"] = dict(endpoint)
            service(name, "secrets")["pgPassword"] = postgresql.password
        overlay["elasticsearch-index"] = {"postgresql": dict(endpoint)}

    redis = aws.stores.get("redis")
    if redis is not None:
        service("gundeck", "config")["redis"] = {
            "host": redis.host,
            "port": redis.port,
            # Cluster mode is off: one primary endpoint that follows failover.
            "connectionMode": "master",
            "enableTls": True,
            "insecureSkipVerifyTls": False,
            # gundeck's TLS client trusts no CA unless given one.
            "tlsCa": amazon_root_cas(),
        }
        service("gundeck", "secrets")["redisPassword"] = redis.password

    rabbitmq = aws.stores.get("rabbitmq")
    if rabbitmq is not None:
        for name in RABBITMQ_CLIENTS:
            endpoint: dict[str, Any] = {
                "host": rabbitmq.host,
                "port": rabbitmq.port,
                "vHost": "/",
                "enableTls": True,
                "insecureSkipVerifyTls": False,
                "tlsCaSecretRef": {"name": CA_SECRET_NAME, "key": CA_SECRET_KEY},
            }
            if name == "background-worker":
                # background-worker reads queue state from the management API, which Amazon MQ serves on 443.
                endpoint["adminPort"] = RABBITMQ_ADMIN_PORT
            service(name, "config")["rabbitmq"] = endpoint
            service(name, "secrets")["rabbitmq"] = {"username": rabbitmq.username, "password": rabbitmq.password}

    opensearch = aws.stores.get("elasticsearch")
    if opensearch is not None:
        service("brig", "config")["elasticsearch"] = {
            "scheme": "https",
            "host": opensearch.host,
            "port": opensearch.port,
            "insecureSkipVerifyTls": False,
        }
        service("brig", "secrets")["elasticsearch"] = _elasticsearch_credentials(cfg, aws)
        index = overlay.setdefault("elasticsearch-index", {})
        index["elasticsearch"] = {"scheme": "https", "host": opensearch.host, "port": opensearch.port}
    return overlay


def self_run_credentials(cfg: StackConfig) -> dict[str, Any]:
    """Secrets of self-run stores that have credentials set (brig's elasticsearch login, gundeck's redisPassword)."""
    values: dict[str, Any] = {}
    es, redis = cfg.databases.elasticsearch, cfg.databases.redis
    if not es.is_managed and es.username is not None and es.password is not None:
        values["brig"] = {"secrets": {"elasticsearch": {"username": es.username, "password": es.password}}}
    if not redis.is_managed and redis.password is not None:
        values["gundeck"] = {"secrets": {"redisPassword": redis.password}}
    return values


def _managed_postgresql(cfg: StackConfig, store: StoreOutputs) -> dict[str, Any]:
    pg = cfg.databases.postgresql
    # Free-form libpq keywords: RDS requires TLS (rds.force_ssl), so the services ask for it.
    return {"host": store.host, "port": str(store.port), "user": pg.user, "dbname": pg.dbname, "sslmode": "require"}


def _pg_password(cfg: StackConfig, aws: AwsOutputs) -> Any:
    managed = aws.stores.get("postgresql")
    return managed.password if managed is not None else cfg.databases.postgresql.password


def _elasticsearch_credentials(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    managed = aws.stores.get("elasticsearch")
    if managed is not None:
        return {"username": managed.username, "password": managed.password}
    es = cfg.databases.elasticsearch
    if es.username is not None and es.password is not None:
        return {"username": es.username, "password": es.password}
    return {}
