"""CloudWatch alarms on the managed data stores (plain data, as alarm_specs.py): CPU, free storage and memory,
connections, Amazon MQ's memory and disk, OpenSearch's cluster status and JVM pressure.

Every alarm watches a metric the service publishes by itself, addressed by the store's deterministic name
(components/naming.py); OpenSearch's metrics also carry the account id, filled in by the Alarms component.
"""

from __future__ import annotations

import dataclasses

from components import naming
from components.aws.alarm_specs import AlarmSpec, alarm_specs
from components.config import StackConfig
from components.config.datastore_rules import connections_needed
from components.config.managed_stores import instance_memory_gib, max_connections

# Stand-in for the account id in a dimension (components/aws/alarms.py replaces it).
ACCOUNT_DIMENSION = "<account>"
CPU_PERCENT = 80
GIB = 2**30
LESS = "LessThanOrEqualToThreshold"
# RabbitMQ blocks publishers at its memory high watermark, 40 % of the broker's memory on Amazon MQ.
MQ_MEMORY_GIB = {"mq.t3.micro": 1, "mq.m5.large": 8, "mq.m5.xlarge": 16, "mq.m5.2xlarge": 32, "mq.m5.4xlarge": 64}
MQ_HIGH_WATERMARK = 0.4
# Amazon MQ's RabbitMQ brokers: 20 GiB of storage on mq.t3.micro, 200 GiB on mq.m5.*.
MQ_DISK_GIB = {"mq.t3.micro": 20}
MQ_DEFAULT_DISK_GIB = 200


def _spec(name: str, description: str, namespace: str, metric: str, dimensions: dict[str, str], **kw) -> AlarmSpec:
    kw.setdefault("statistic", "Maximum")
    return AlarmSpec(
        name=name, description=description, namespace=namespace, metric=metric, dimensions=dimensions, **kw
    )


def datastore_alarm_specs(cfg: StackConfig, period: int) -> list[AlarmSpec]:
    env, production, specs = cfg.environment, cfg.is_production, []
    dbs = cfg.databases
    if dbs.postgresql.managed is not None:
        sizing = dbs.postgresql.managed.sizing(production, connections_needed(cfg))
        rds = naming.datastore(env, "postgresql")
        dims = {"DBInstanceIdentifier": rds}
        specs.append(
            _spec(
                f"{rds}-cpu",
                f"{rds}: CPU at {CPU_PERCENT} % or more; a larger instance class may be due.",
                "AWS/RDS",
                "CPUUtilization",
                dims,
                period_seconds=period,
                threshold=CPU_PERCENT,
            )
        )
        free = sizing.allocated_storage_gib * GIB // 10
        specs.append(
            _spec(
                f"{rds}-free-storage",
                f"{rds}: 10 % or less of its storage at creation is free; check storage "
                "autoscaling's ceiling (maxAllocatedStorageGib).",
                "AWS/RDS",
                "FreeStorageSpace",
                dims,
                statistic="Minimum",
                period_seconds=period,
                threshold=free,
                comparison=LESS,
            )
        )
        memory = instance_memory_gib(sizing.instance_class)
        if memory is not None:
            specs.append(
                _spec(
                    f"{rds}-free-memory",
                    f"{rds}: 5 % or less of its memory is free.",
                    "AWS/RDS",
                    "FreeableMemory",
                    dims,
                    statistic="Minimum",
                    period_seconds=period,
                    threshold=memory * GIB // 20,
                    comparison=LESS,
                )
            )
        limit = max_connections(sizing.instance_class)
        if limit is not None:
            specs.append(
                _spec(
                    f"{rds}-connections",
                    f"{rds}: 90 % of max_connections ({limit}) in use; Wire's pools need "
                    f"up to {connections_needed(cfg)} during a rollout.",
                    "AWS/RDS",
                    "DatabaseConnections",
                    dims,
                    period_seconds=period,
                    threshold=int(limit * 0.9),
                )
            )
    if dbs.redis.managed is not None:
        sizing = dbs.redis.managed.sizing(production)
        group = naming.datastore(env, "redis")
        # ElastiCache names the nodes of a replication group <group>-001, -002, ...
        for index in range(1, sizing.replicas + 2):
            node = f"{group}-{index:03d}"
            dims = {"CacheClusterId": node}
            specs.append(
                _spec(
                    f"{node}-cpu",
                    f"{node}: the engine's CPU at {CPU_PERCENT} % or more (gundeck's Redis).",
                    "AWS/ElastiCache",
                    "EngineCPUUtilization",
                    dims,
                    period_seconds=period,
                    threshold=CPU_PERCENT,
                )
            )
            specs.append(
                _spec(
                    f"{node}-memory",
                    f"{node}: 80 % or more of its memory used; evictions follow.",
                    "AWS/ElastiCache",
                    "DatabaseMemoryUsagePercentage",
                    dims,
                    period_seconds=period,
                    threshold=80,
                )
            )
    if dbs.rabbitmq.managed is not None:
        sizing = dbs.rabbitmq.managed.sizing(production)
        broker = naming.datastore(env, "rabbitmq")
        dims = {"Broker": broker}
        specs.append(
            _spec(
                f"{broker}-cpu",
                f"{broker}: CPU at {CPU_PERCENT} % or more.",
                "AWS/AmazonMQ",
                "SystemCpuUtilization",
                dims,
                period_seconds=period,
                threshold=CPU_PERCENT,
            )
        )
        memory = MQ_MEMORY_GIB.get(sizing.instance_type)
        if memory is not None:
            watermark = memory * GIB * MQ_HIGH_WATERMARK
            specs.append(
                _spec(
                    f"{broker}-memory",
                    f"{broker}: RabbitMQ uses 80 % of its memory high watermark; at the "
                    "watermark it blocks every publisher (Wire's events stop).",
                    "AWS/AmazonMQ",
                    "RabbitMQMemUsed",
                    dims,
                    period_seconds=period,
                    threshold=int(watermark * 0.8),
                )
            )
        disk = MQ_DISK_GIB.get(sizing.instance_type, MQ_DEFAULT_DISK_GIB)
        specs.append(
            _spec(
                f"{broker}-disk",
                f"{broker}: 20 % or less of its {disk} GiB disk free; at RabbitMQ's free-disk "
                "limit it blocks every publisher.",
                "AWS/AmazonMQ",
                "RabbitMQDiskFree",
                dims,
                statistic="Minimum",
                period_seconds=period,
                threshold=disk * GIB // 5,
                comparison=LESS,
            )
        )
    if dbs.elasticsearch.managed is not None:
        subnets = len(set(cfg.network.private_subnet_ids)) if cfg.network else 1
        sizing = dbs.elasticsearch.managed.sizing(production, subnets)
        domain = naming.datastore(env, "elasticsearch")
        dims = {"DomainName": domain, "ClientId": ACCOUNT_DIMENSION}
        specs += [
            _spec(
                f"{domain}-status-red",
                f"{domain}: cluster status red, a primary shard is unassigned (user search fails).",
                "AWS/ES",
                "ClusterStatus.red",
                dims,
                period_seconds=60,
                threshold=1,
            ),
            _spec(
                f"{domain}-status-yellow",
                f"{domain}: cluster status yellow, a replica shard is unassigned.",
                "AWS/ES",
                "ClusterStatus.yellow",
                dims,
                period_seconds=60,
                threshold=1,
            ),
            _spec(
                f"{domain}-jvm-pressure",
                f"{domain}: JVM memory pressure at 85 % or more.",
                "AWS/ES",
                "JVMMemoryPressure",
                dims,
                period_seconds=period,
                threshold=85,
            ),
            _spec(
                f"{domain}-cpu",
                f"{domain}: CPU at {CPU_PERCENT} % or more.",
                "AWS/ES",
                "CPUUtilization",
                dims,
                period_seconds=period,
                threshold=CPU_PERCENT,
            ),
            # FreeStorageSpace is in MiB, per node; Minimum is the fullest node.
            _spec(
                f"{domain}-free-storage",
                f"{domain}: a node has 20 % or less of its volume free.",
                "AWS/ES",
                "FreeStorageSpace",
                dims,
                statistic="Minimum",
                period_seconds=period,
                threshold=sizing.volume_gib * 1024 // 5,
                comparison=LESS,
            ),
        ]
    return specs


def stack_alarm_specs(cfg: StackConfig) -> list[AlarmSpec]:
    """Every alarm of the stack, in the order the Alarms component registers them (verify expects the same)."""
    return alarm_specs(cfg) + datastore_alarm_specs(cfg, cfg.alarms.period_seconds)


def with_account(spec: AlarmSpec, account: str) -> AlarmSpec:
    """The spec with the account id put in where a metric carries it (OpenSearch's ClientId)."""
    dimensions = {key: account if value == ACCOUNT_DIMENSION else value for key, value in spec.dimensions.items()}
    return dataclasses.replace(spec, dimensions=dimensions)
