"""ElastiCache (Valkey or Redis OSS) for gundeck: one replication group, cluster mode disabled, TLS and AUTH."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.aws.common import child, stateful, tags
from components.aws.datastores.common import COMPONENT, ManagedStore, final_snapshot_name, required
from components.aws.datastores.credentials import store_password
from components.config import StackConfig
from components.config.managed_stores import REDIS_ENGINE_VERSIONS, REDIS_FAMILIES, REDIS_PORT


class RedisStore(ManagedStore):
    group: aws.elasticache.ReplicationGroup

    def __init__(self, name: str, cfg: StackConfig, *, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("RedisStore", name, cfg, opts, store="redis", ports=[REDIS_PORT], what="ElastiCache")
        redis = cfg.databases.redis
        managed = required(redis.managed, "redis")
        sizing = managed.sizing(cfg.is_production)
        aws_name, subnets = self.aws_name, self.subnets
        subnet_group = aws.elasticache.SubnetGroup(
            aws_name, name=aws_name, subnet_ids=subnets, tags=tags(COMPONENT), opts=child(self)
        )
        # ElastiCache AUTH tokens take letters, digits and a few specials only.
        self.password = store_password(self, f"{aws_name}-auth-token", redis.password, length=48)
        self.group = aws.elasticache.ReplicationGroup(
            aws_name,
            replication_group_id=aws_name,
            description="Wire: gundeck",
            engine=managed.engine,
            engine_version=REDIS_ENGINE_VERSIONS[managed.engine],
            auto_minor_version_upgrade=False,
            parameter_group_name=f"default.{REDIS_FAMILIES[managed.engine]}",
            node_type=sizing.node_type,
            num_cache_clusters=1 + sizing.replicas,
            automatic_failover_enabled=sizing.replicas > 0,
            multi_az_enabled=sizing.multi_az,
            port=REDIS_PORT,
            subnet_group_name=subnet_group.name,
            security_group_ids=[self.security_group.id],
            at_rest_encryption_enabled=True,
            kms_key_id=cfg.service_credentials.kms_key_arn,
            transit_encryption_enabled=True,
            auth_token=self.password,
            snapshot_retention_limit=sizing.snapshot_retention_days,
            final_snapshot_identifier=final_snapshot_name(cfg, aws_name),
            tags=tags(COMPONENT),
            opts=stateful(self, cfg),
        )
        # The primary endpoint follows a failover; gundeck connects in `master` mode.
        self.host = self.group.primary_endpoint_address
        self.port = REDIS_PORT
        self.username = None
        self.finish(self.group)
