"""RDS for PostgreSQL 17 for brig, galley, background-worker and the index job.

Password authentication only (Wire reads pgPassword once at start: IAM tokens and RDS-managed rotation
would break it), TLS forced by the parameter group, the master user owning the database (brig and galley
migrate their schema at start, which needs CREATE).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.aws.common import child, stateful, tags
from components.aws.datastores.common import COMPONENT, ManagedStore, final_snapshot_name, required
from components.aws.datastores.credentials import store_password
from components.config import StackConfig
from components.config.datastore_rules import connections_needed
from components.config.managed_stores import (
    POSTGRESQL_FAMILY,
    POSTGRESQL_PARAMETERS,
    POSTGRESQL_PORT,
    POSTGRESQL_VERSION,
)


class PostgresqlStore(ManagedStore):
    instance: aws.rds.Instance

    def __init__(self, name: str, cfg: StackConfig, *, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(
            "PostgresqlStore", name, cfg, opts, store="postgresql", ports=[POSTGRESQL_PORT], what="RDS for PostgreSQL"
        )
        pg = cfg.databases.postgresql
        sizing = required(pg.managed, "postgresql").sizing(cfg.is_production, connections_needed(cfg))
        aws_name, subnets = self.aws_name, self.subnets
        subnet_group = aws.rds.SubnetGroup(
            aws_name, name=aws_name, subnet_ids=subnets, tags=tags(COMPONENT), opts=child(self)
        )
        parameters = aws.rds.ParameterGroup(
            aws_name,
            name=aws_name,
            family=POSTGRESQL_FAMILY,
            description="Wire: TLS only",
            parameters=[aws.rds.ParameterGroupParameterArgs(name=k, value=v) for k, v in POSTGRESQL_PARAMETERS.items()],
            tags=tags(COMPONENT),
            opts=child(self),
        )
        # RDS allows no '/', '"', '@' or space in a master password.
        self.password = store_password(self, f"{aws_name}-password", pg.password, length=32)
        self.instance = aws.rds.Instance(
            aws_name,
            identifier=aws_name,
            engine="postgres",
            engine_version=POSTGRESQL_VERSION,
            # Pinned: a minor upgrade is a reviewed change of POSTGRESQL_VERSION, not a maintenance surprise.
            auto_minor_version_upgrade=False,
            instance_class=sizing.instance_class,
            allocated_storage=sizing.allocated_storage_gib,
            max_allocated_storage=sizing.max_allocated_storage_gib,
            storage_type="gp3",
            storage_encrypted=True,
            # None: the AWS-managed key aws/rds.
            kms_key_id=cfg.service_credentials.kms_key_arn,
            db_name=pg.dbname,
            username=pg.user,
            password=self.password,
            port=POSTGRESQL_PORT,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[self.security_group.id],
            parameter_group_name=parameters.name,
            publicly_accessible=False,
            multi_az=sizing.multi_az,
            backup_retention_period=sizing.backup_retention_days,
            copy_tags_to_snapshot=True,
            deletion_protection=cfg.is_production,
            skip_final_snapshot=not cfg.is_production,
            final_snapshot_identifier=final_snapshot_name(cfg, aws_name),
            ca_cert_identifier="rds-ca-rsa2048-g1",
            tags=tags(COMPONENT),
            opts=stateful(self, cfg),
        )
        # `address`, not `endpoint` (host:port): the chart's postgresql.host is a bare hostname.
        self.host = self.instance.address
        self.port = POSTGRESQL_PORT
        self.username = pg.user
        self.backup_arn = self.instance.arn
        self.finish(self.instance)
