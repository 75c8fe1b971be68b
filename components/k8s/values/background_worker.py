"""background-worker: the databases it shares with brig and galley."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.config.federation import federation_domain
from components.k8s.values.common import cassandra_endpoint, database_secrets, postgresql_endpoint, rabbitmq_endpoint


def background_worker_values(cfg: StackConfig) -> dict[str, Any]:
    cassandra = cassandra_endpoint(cfg)
    return {
        "replicaCount": cfg.replicas.background_worker,
        "config": {
            "federationDomain": federation_domain(cfg),
            "rabbitmq": rabbitmq_endpoint(cfg),
            "cassandra": cassandra,
            "cassandraGalley": dict(cassandra),
            "cassandraBrig": dict(cassandra),
            "postgresql": postgresql_endpoint(cfg),
        },
        "secrets": database_secrets(cfg, postgres=True),
    }
