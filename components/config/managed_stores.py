"""`wire:databases.<store>.managed`: the data stores the program creates on AWS, their sizing and credentials.

Present means "create it": RDS for PostgreSQL, ElastiCache (Redis OSS / Valkey), Amazon MQ for RabbitMQ,
Amazon OpenSearch Service. Every sizing key left unset takes a production-grade default when
`wire:production` is true (Multi-AZ, three zones, backups), a small one otherwise (`sizing(production)`).
Cassandra has no managed form: Amazon Keyspaces lacks what Wire's schema needs (docs/datastores.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal, TypeVar

from pydantic import Field, SecretStr

from components.config.base import Model

# Pinned engines: an upgrade is a reviewed change of these (docs/datastores.md: upgrades).
POSTGRESQL_VERSION = "17.5"
POSTGRESQL_FAMILY = "postgres17"
REDIS_ENGINE_VERSIONS = {"valkey": "8.0", "redis": "7.1"}
REDIS_FAMILIES = {"valkey": "valkey8", "redis": "redis7"}
RABBITMQ_VERSION = "3.13"
OPENSEARCH_VERSION = "OpenSearch_1.3"

POSTGRESQL_PORT = 5432
REDIS_PORT = 6379
RABBITMQ_PORT = 5671  # AMQPS: Amazon MQ serves no plain AMQP
RABBITMQ_ADMIN_PORT = 443  # the management API, as background-worker reaches it
OPENSEARCH_PORT = 443
# The ports each store's security group opens to the cluster (AMQPS and the management API for RabbitMQ).
STORE_PORTS: dict[str, tuple[int, ...]] = {
    "postgresql": (POSTGRESQL_PORT,),
    "redis": (REDIS_PORT,),
    "rabbitmq": (RABBITMQ_PORT, RABBITMQ_ADMIN_PORT),
    "elasticsearch": (OPENSEARCH_PORT,),
}
# The PostgreSQL parameter group's settings: TLS only.
POSTGRESQL_PARAMETERS = {"rds.force_ssl": "1"}


@dataclass(frozen=True)
class PostgresqlSizing:
    instance_class: str
    allocated_storage_gib: int
    max_allocated_storage_gib: int
    multi_az: bool
    backup_retention_days: int


@dataclass(frozen=True)
class RedisSizing:
    node_type: str
    replicas: int
    multi_az: bool
    snapshot_retention_days: int


@dataclass(frozen=True)
class RabbitmqSizing:
    instance_type: str
    deployment_mode: str


@dataclass(frozen=True)
class OpensearchSizing:
    instance_type: str
    instance_count: int
    zones: int
    volume_gib: int
    dedicated_master_type: str | None
    dedicated_master_count: int


T = TypeVar("T")


def _pick(value: T | None, production: bool, prod: T, other: T) -> T:
    if value is not None:
        return value
    return prod if production else other


# RDS for PostgreSQL: max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000), where the class
# memory is what remains after the OS and RDS's own processes (about 10 % less than the instance's).
_BYTES_PER_CONNECTION = 9531392
_USABLE_MEMORY = 0.9
_SIZES = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16}
_CLASS = re.compile(
    r"^db\.(?P<family>[a-z]+)(?P<generation>\d+)[a-z]*\.(?P<size>(?P<times>\d*)x?large|micro|small|medium)$"
)


def instance_memory_gib(instance_class: str) -> int | None:
    """Memory of an RDS instance class (burstable t, general-purpose m, memory-optimised r); None if unknown."""
    match = _CLASS.match(instance_class)
    if not match or match["family"] not in ("t", "m", "r"):
        return None
    size = match["size"]
    if size in _SIZES:
        base = _SIZES[size]
    elif size.endswith("xlarge"):
        base = 16 * int(match["times"] or 1)
    else:
        return None
    if (match["family"] == "t" and base > 32) or (match["family"] != "t" and base < 8):
        return None
    return base * 2 if match["family"] == "r" else base


def max_connections(instance_class: str) -> int | None:
    memory = instance_memory_gib(instance_class)
    if memory is None:
        return None
    return min(int(memory * 2**30 * _USABLE_MEMORY / _BYTES_PER_CONNECTION), 5000)


# Default classes, smallest first: the first whose max_connections holds Wire's pools is chosen.
POSTGRESQL_CLASSES = {
    True: ("db.m7g.large", "db.m7g.xlarge", "db.m7g.2xlarge", "db.m7g.4xlarge"),
    False: ("db.t4g.large", "db.t4g.xlarge", "db.t4g.2xlarge"),
}


def default_postgresql_class(production: bool, connections: int) -> str:
    ladder = POSTGRESQL_CLASSES[production]
    return next((name for name in ladder if (max_connections(name) or 0) >= connections), ladder[-1])


class ManagedPostgresql(Model):
    """RDS for PostgreSQL 17: password authentication, TLS required, the user owns its database."""

    instance_class: Annotated[str, Field(pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")] | None = None
    """RDS instance class; by default the smallest db.m7g (production) or db.t4g class whose max_connections holds
    brig's, galley's and background-worker's pools at their replica counts."""
    allocated_storage_gib: Annotated[int, Field(ge=20, le=65536)] | None = None
    """gp3 storage at creation (GiB); 100 in production, else 20."""
    max_allocated_storage_gib: Annotated[int, Field(ge=20, le=65536)] | None = None
    """Storage autoscaling ceiling (GiB); 1000 in production, else 100."""
    multi_az: bool | None = None
    """A standby in another zone with automatic failover; on in production."""
    backup_retention_days: Annotated[int, Field(ge=0, le=35)] | None = None
    """Automated backups (point-in-time restore) kept this many days; 14 in production, else 1."""

    def sizing(self, production: bool, connections: int) -> PostgresqlSizing:
        """`connections`: what Wire's pools need at most (datastore_rules.connections_needed)."""
        return PostgresqlSizing(
            instance_class=self.instance_class or default_postgresql_class(production, connections),
            allocated_storage_gib=_pick(self.allocated_storage_gib, production, 100, 20),
            max_allocated_storage_gib=_pick(self.max_allocated_storage_gib, production, 1000, 100),
            multi_az=_pick(self.multi_az, production, True, False),
            backup_retention_days=_pick(self.backup_retention_days, production, 14, 1),
        )


class ManagedRedis(Model):
    """An ElastiCache replication group, cluster mode disabled (gundeck's `connectionMode: master`)."""

    engine: Literal["valkey", "redis"] = "valkey"
    """valkey (Valkey 8.0, the cheaper one) or redis (Redis OSS 7.1); gundeck speaks the same protocol to both."""
    node_type: Annotated[str, Field(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")] | None = None
    """Node type; cache.m7g.large in production, else cache.t4g.small."""
    replicas: Annotated[int, Field(ge=0, le=5)] | None = None
    """Read replicas besides the primary; 2 in production (three zones), else 0."""
    multi_az: bool | None = None
    """Replicas in other zones with automatic failover (needs a replica); on in production."""
    snapshot_retention_days: Annotated[int, Field(ge=0, le=35)] | None = None
    """Daily snapshots kept this many days; 7 in production, else 0 (none)."""

    def sizing(self, production: bool) -> RedisSizing:
        return RedisSizing(
            node_type=_pick(self.node_type, production, "cache.m7g.large", "cache.t4g.small"),
            replicas=_pick(self.replicas, production, 2, 0),
            multi_az=_pick(self.multi_az, production, True, False),
            snapshot_retention_days=_pick(self.snapshot_retention_days, production, 7, 0),
        )


class ManagedRabbitmq(Model):
    """An Amazon MQ for RabbitMQ 3.13 broker (quorum queues), reached over AMQPS on 5671."""

    instance_type: Annotated[str, Field(pattern=r"^mq\.[a-z0-9]+\.[a-z0-9]+$")] | None = None
    """Broker instance type; mq.m5.large in production (a cluster needs m5 or larger), else mq.t3.micro."""
    deployment_mode: Literal["CLUSTER_MULTI_AZ", "SINGLE_INSTANCE"] | None = None
    """CLUSTER_MULTI_AZ (three nodes in three zones) in production, else SINGLE_INSTANCE."""

    def sizing(self, production: bool) -> RabbitmqSizing:
        return RabbitmqSizing(
            instance_type=_pick(self.instance_type, production, "mq.m5.large", "mq.t3.micro"),
            deployment_mode=_pick(self.deployment_mode, production, "CLUSTER_MULTI_AZ", "SINGLE_INSTANCE"),
        )


class ManagedOpensearch(Model):
    """An Amazon OpenSearch Service domain (OpenSearch 1.3) in the VPC, basic auth (fine-grained access control)."""

    instance_type: Annotated[str, Field(pattern=r"^[a-z0-9]+\.[a-z0-9]+\.search$")] | None = None
    """Data node type; r6g.large.search in production, else t3.medium.search."""
    instance_count: Annotated[int, Field(ge=1, le=80)] | None = None
    """Data nodes; 3 in production (one per zone), else 1."""
    volume_gib: Annotated[int, Field(ge=10, le=16384)] | None = None
    """gp3 volume per data node (GiB); 100 in production, else 10."""
    dedicated_master_type: Annotated[str, Field(pattern=r"^[a-z0-9]+\.[a-z0-9]+\.search$")] | None = None
    """Three dedicated master nodes of this type; m6g.large.search in production, none otherwise."""

    def sizing(self, production: bool, subnets: int) -> OpensearchSizing:
        count = _pick(self.instance_count, production, 3, 1)
        master = self.dedicated_master_type or ("m6g.large.search" if production else None)
        # One subnet per zone; zone awareness wants the data nodes spread evenly (an even count over 2 zones,
        # a multiple of 3 over 3): the most zones that allows, else one.
        room = min(count, subnets)
        zones = next((z for z in (3, 2) if z <= room and count % z == 0), 1)
        return OpensearchSizing(
            instance_type=_pick(self.instance_type, production, "r6g.large.search", "t3.medium.search"),
            instance_count=count,
            zones=zones,
            volume_gib=_pick(self.volume_gib, production, 100, 10),
            dedicated_master_type=master,
            dedicated_master_count=3 if master else 0,
        )


# --- credential rules (AWS's own limits, checked before anything is created) ---------------------------

# RDS names: a letter, then letters, digits and underscores (a '-' as in wire-server is refused).
RDS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
RDS_RESERVED_NAMES = {"rdsadmin", "rdsrepladmin", "rds_superuser"}
RDS_PASSWORD_FORBIDDEN = set('/"@ ')
# ElastiCache AUTH tokens: 16-128 printable characters, specials limited to these.
REDIS_TOKEN = re.compile(r"^[A-Za-z0-9!&#$^<>\-]{16,128}$")
# Amazon MQ users: letters, digits, '-', '.', '_', '~'; passwords 12-250 characters without ',', ':', '='.
MQ_USERNAME = re.compile(r"^[A-Za-z0-9\-._~]{2,100}$")
MQ_PASSWORD_FORBIDDEN = set(",:=")
# OpenSearch's master user (fine-grained access control's internal database).
OPENSEARCH_USERNAME = re.compile(r"^[A-Za-z0-9\-_]{1,16}$")
OPENSEARCH_SPECIALS = set("!#$%&*+-.:;<=>?^_~")


def rds_password_problem(password: SecretStr) -> str | None:
    value = password.get_secret_value()
    if not 8 <= len(value) <= 128 or set(value) & RDS_PASSWORD_FORBIDDEN or not value.isprintable():
        return (
            "RDS takes 8-128 printable characters without '/', '\"', '@' or spaces; choose another, or unset it "
            "and let the program generate one"
        )
    return None


def redis_token_problem(password: SecretStr) -> str | None:
    if not REDIS_TOKEN.match(password.get_secret_value()):
        return (
            "ElastiCache takes an AUTH token of 16-128 letters, digits and !&#$^<>- only; choose another, or unset "
            "it and let the program generate one"
        )
    return None


def mq_password_problem(password: SecretStr) -> str | None:
    value = password.get_secret_value()
    if not 12 <= len(value) <= 250 or set(value) & MQ_PASSWORD_FORBIDDEN or len(set(value)) < 4:
        return (
            "Amazon MQ takes 12-250 characters, at least 4 of them different, without ',', ':' or '='; choose "
            "another, or unset it and let the program generate one"
        )
    return None


def opensearch_password_problem(password: SecretStr) -> str | None:
    value = password.get_secret_value()
    classes = (str.isupper, str.islower, str.isdigit)
    complete = all(any(test(char) for char in value) for test in classes) and any(
        c in OPENSEARCH_SPECIALS for c in value
    )
    if not 8 <= len(value) <= 128 or not complete:
        return (
            "OpenSearch's master user needs 8-128 characters with an upper- and a lower-case letter, a digit and "
            "one of !#$%&*+-.:;<=>?^_~; choose another, or unset it and let the program generate one"
        )
    return None
