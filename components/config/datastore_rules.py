"""Rules of the managed data stores that read other sections: the network, `production`, replicas, pools.

Registered with the cross-section rules and warnings (registry.py) when this module is imported (all_rules.py does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from components.config.managed_stores import max_connections
from components.config.network import MIN_SUBNETS_PRODUCTION
from components.config.registry import rule, warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig

# PostgreSQL pool size per pod in chart 5.29.5 (config.postgresqlPool.size) and the services holding one.
POOL_SIZES = {"brig": 100, "galley": 100, "background-worker": 5}
# elasticsearch-index's migrate-data job opens a pool of its own while the release installs.
INDEX_JOB_POOL = 100
# Connections RDS keeps for its own superusers (superuser_reserved_connections and rdsadmin).
RESERVED_CONNECTIONS = 6


def _pool_size(cfg: StackConfig, service: str) -> int:
    tree: Any = cfg.extra_values.get("wireServer", {})
    for key in (service, "config", "postgresqlPool", "size"):
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree if isinstance(tree, int) and not isinstance(tree, bool) else POOL_SIZES[service]


def connections_needed(cfg: StackConfig) -> int:
    """Connections Wire opens at most, during a rolling update (one surge pod per service) and an index job."""
    replicas = {
        "brig": cfg.replicas.brig,
        "galley": cfg.replicas.galley,
        "background-worker": cfg.replicas.background_worker,
    }
    pods = sum((count + 1) * _pool_size(cfg, service) for service, count in replicas.items())
    return pods + INDEX_JOB_POOL + RESERVED_CONNECTIONS


def store_subnets(cfg: StackConfig, store: str) -> list[str]:
    """The private subnets a managed store is placed in: all of them (each once), one for a single-instance
    broker, one per zone an OpenSearch domain spans."""
    subnets = list(dict.fromkeys(cfg.network.private_subnet_ids)) if cfg.network else []
    dbs = cfg.databases
    if store == "rabbitmq" and dbs.rabbitmq.managed is not None:
        single = dbs.rabbitmq.managed.sizing(cfg.is_production).deployment_mode == "SINGLE_INSTANCE"
        return subnets[:1] if single else subnets
    if store == "elasticsearch" and dbs.elasticsearch.managed is not None:
        return subnets[: dbs.elasticsearch.managed.sizing(cfg.is_production, len(subnets)).zones]
    return subnets


@rule("databases", "network")
def _managed_stores_need_a_network(cfg: StackConfig) -> list[str]:
    managed = cfg.databases.managed_stores()
    if not managed or cfg.network is not None:
        return []
    keys = ", ".join(f"wire:databases.{name}.managed" for name in managed)
    return [
        f"wire:network is required by {keys}: set vpcId, privateSubnetIds and clientSecurityGroupIds (the "
        "cluster's VPC, its private subnets and its node security groups)"
    ]


@rule("databases", "network", "production")
def _production_spans_three_zones(cfg: StackConfig) -> list[str]:
    if not (cfg.is_production and cfg.databases.managed_stores() and cfg.network):
        return []
    subnets = set(cfg.network.private_subnet_ids)
    if len(subnets) >= MIN_SUBNETS_PRODUCTION:
        return []
    return [
        f"wire:network.privateSubnetIds: production spreads each managed store over {MIN_SUBNETS_PRODUCTION} "
        f"availability zones, but {len(subnets)} subnets are listed; add one private subnet per zone, or set "
        "wire:production false"
    ]


@rule("databases", "production", "replicas", "extra_values")
def _postgresql_sizing(cfg: StackConfig) -> list[str]:
    managed = cfg.databases.postgresql.managed
    if managed is None:
        return []
    sizing = managed.sizing(cfg.is_production, connections_needed(cfg))
    key = "wire:databases.postgresql.managed"
    problems = []
    if cfg.is_production and sizing.backup_retention_days == 0:
        problems.append(
            f"{key}.backupRetentionDays: 0 turns automated backups (and point-in-time restore) off, which "
            "production needs; keep at least 1 (default 14)"
        )
    if sizing.max_allocated_storage_gib < sizing.allocated_storage_gib:
        problems.append(
            f"{key}.maxAllocatedStorageGib: {sizing.max_allocated_storage_gib} is below the allocated storage "
            f"({sizing.allocated_storage_gib} GiB); raise it (storage autoscaling only grows)"
        )
    limit = max_connections(sizing.instance_class)
    needed = connections_needed(cfg)
    if limit is not None and needed > limit:
        problems.append(
            f"{key}.instanceClass: {sizing.instance_class} allows about {limit} connections (max_connections), but "
            f"brig's, galley's and background-worker's pools (per pod, one surge pod each) and the index job "
            f"open up to {needed}; choose a class with more memory (e.g. db.m7g.xlarge or db.r7g.large), or "
            "fewer replicas"
        )
    return problems


@rule("databases", "production")
def _redis_failover(cfg: StackConfig) -> list[str]:
    managed = cfg.databases.redis.managed
    if managed is None:
        return []
    sizing = managed.sizing(cfg.is_production)
    if sizing.multi_az and sizing.replicas == 0:
        return [
            "wire:databases.redis.managed.multiAz: failover to another zone needs a replica there, and replicas is "
            "0; set replicas to 1 or more (2 in three zones), or multiAz false"
        ]
    return []


@rule("databases", "production")
def _rabbitmq_deployment(cfg: StackConfig) -> list[str]:
    managed = cfg.databases.rabbitmq.managed
    if managed is None:
        return []
    sizing = managed.sizing(cfg.is_production)
    if sizing.deployment_mode == "CLUSTER_MULTI_AZ" and sizing.instance_type.startswith("mq.t3."):
        return [
            f"wire:databases.rabbitmq.managed.instanceType: {sizing.instance_type} serves a single instance only; "
            "a CLUSTER_MULTI_AZ broker needs mq.m5.large or larger"
        ]
    return []


@rule("databases", "production", "network")
def _opensearch_layout(cfg: StackConfig) -> list[str]:
    managed = cfg.databases.elasticsearch.managed
    if managed is None or cfg.network is None:
        return []
    sizing = managed.sizing(cfg.is_production, len(set(cfg.network.private_subnet_ids)))
    key = "wire:databases.elasticsearch.managed"
    problems = []
    if sizing.instance_type.startswith("t2.") or (sizing.dedicated_master_type or "").startswith("t2."):
        problems.append(
            f"{key}: t2 instance types cannot encrypt at rest, which fine-grained access control (brig's basic "
            "auth) needs; choose t3, m6g or r6g"
        )
    if cfg.is_production and (sizing.instance_count < 3 or sizing.zones < 3):
        problems.append(
            f"{key}.instanceCount: production needs at least 3 data nodes spread evenly over 3 zones (a multiple "
            f"of 3), but {sizing.instance_count} give {sizing.zones} zone(s); set 3, 6, ... or wire:production false"
        )
    return problems


@warning
def datastore_warnings(cfg: StackConfig) -> list[str]:
    """Valid choices an operator should know the cost of."""
    found: list[str] = []
    dbs = cfg.databases
    es = dbs.elasticsearch
    if not es.is_managed and (es.username is None) != (es.password is None):
        found.append(
            "databases.elasticsearch: username and password go together (brig's basic auth); with only one set, "
            "brig sends none: set both, or remove the one"
        )
    if cfg.network is not None and not dbs.managed_stores():
        found.append("network is set, but no store of databases is managed: it has no effect; remove it")
    pg = dbs.postgresql.managed
    if pg is not None and max_connections(pg.sizing(cfg.is_production, connections_needed(cfg)).instance_class) is None:
        found.append(
            "databases.postgresql.managed.instanceClass: its memory (and so max_connections) is unknown to the "
            "program; check it holds brig's, galley's and background-worker's pools"
        )
    if not cfg.is_production:
        return found
    if pg is not None and not pg.sizing(True, connections_needed(cfg)).multi_az:
        found.append("databases.postgresql.managed.multiAz is false in production: no standby, an AZ outage stops Wire")
    if dbs.redis.managed is not None and dbs.redis.managed.sizing(True).replicas == 0:
        found.append("databases.redis.managed.replicas is 0 in production: no failover for gundeck's Redis")
    if dbs.rabbitmq.managed is not None and dbs.rabbitmq.managed.sizing(True).deployment_mode == "SINGLE_INSTANCE":
        found.append("databases.rabbitmq.managed.deploymentMode is SINGLE_INSTANCE in production: no failover")
    return found
