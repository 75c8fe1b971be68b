"""The managed data stores in moto as components/aws/datastores/ creates them: the network they sit in (moto
makes its own ids, so a test's `wire:network` is the one `network` returns), each store's security group, subnet
group and parameter group, then the store."""

from __future__ import annotations

from typing import Any

from components import naming
from components.config import StackConfig
from components.config.datastore_rules import connections_needed, store_subnets
from components.config.managed_stores import (
    OPENSEARCH_VERSION,
    POSTGRESQL_FAMILY,
    POSTGRESQL_PARAMETERS,
    POSTGRESQL_VERSION,
    RABBITMQ_VERSION,
    STORE_PORTS,
)
from tests.verify.verify_stack import client


def network(url: str, region: str) -> dict[str, Any]:
    """A VPC with three private subnets (one per zone) and the cluster's security group: `wire:network`."""
    ec2 = client(url, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{index}.0/24", AvailabilityZone=f"{region}{zone}")["Subnet"][
            "SubnetId"
        ]
        for index, zone in enumerate("abc")
    ]
    nodes = ec2.create_security_group(GroupName="wire-nodes", Description="the cluster's nodes", VpcId=vpc)["GroupId"]
    return {"vpcId": vpc, "privateSubnetIds": subnets, "clientSecurityGroupIds": [nodes]}


def security_group(url: str, cfg: StackConfig, store: str) -> str:
    assert cfg.network is not None
    ec2 = client(url, "ec2", cfg.region)
    name = naming.datastore(cfg.environment, store)
    group = ec2.create_security_group(GroupName=name, Description=f"{store}", VpcId=cfg.network.vpc_id)["GroupId"]
    clients = [{"GroupId": peer} for peer in sorted(cfg.network.client_security_group_ids)]
    permissions = [
        {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "UserIdGroupPairs": clients}
        for port in STORE_PORTS[store]
    ]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=permissions)
    # The program's group has no egress rule; moto (as AWS) starts with allow-all egress, which verify ignores.
    return str(group)


def create_stores(
    url: str, cfg: StackConfig, *, public_rds: bool = False, auth: bool = True, fgac: bool = True
) -> None:
    """Every managed store of `cfg`; the flags break one setting each."""
    env, region, managed = cfg.environment, cfg.region, cfg.databases.managed_stores()
    if "postgresql" in managed:
        assert cfg.databases.postgresql.managed is not None
        pg = cfg.databases.postgresql.managed.sizing(cfg.is_production, connections_needed(cfg))
        name = naming.datastore(env, "postgresql")
        rds = client(url, "rds", region)
        rds.create_db_subnet_group(
            DBSubnetGroupName=name,
            DBSubnetGroupDescription="Managed by Pulumi",
            SubnetIds=store_subnets(cfg, "postgresql"),
        )
        rds.create_db_parameter_group(
            DBParameterGroupName=name, DBParameterGroupFamily=POSTGRESQL_FAMILY, Description="Wire: TLS only"
        )
        rds.modify_db_parameter_group(
            DBParameterGroupName=name,
            Parameters=[
                {"ParameterName": key, "ParameterValue": value, "ApplyMethod": "immediate"}
                for key, value in POSTGRESQL_PARAMETERS.items()
            ],
        )
        rds.create_db_instance(
            DBInstanceIdentifier=name,
            Engine="postgres",
            EngineVersion=POSTGRESQL_VERSION,
            DBInstanceClass=pg.instance_class,
            AllocatedStorage=pg.allocated_storage_gib,
            MasterUsername="wire_server",
            MasterUserPassword="generated-password",
            StorageEncrypted=True,
            PubliclyAccessible=public_rds,
            MultiAZ=pg.multi_az,
            BackupRetentionPeriod=pg.backup_retention_days,
            DeletionProtection=cfg.is_production,
            DBSubnetGroupName=name,
            DBParameterGroupName=name,
            VpcSecurityGroupIds=[security_group(url, cfg, "postgresql")],
        )
    if "redis" in managed:
        assert cfg.databases.redis.managed is not None
        redis = cfg.databases.redis.managed.sizing(cfg.is_production)
        name = naming.datastore(env, "redis")
        elasticache = client(url, "elasticache", region)
        elasticache.create_cache_subnet_group(
            CacheSubnetGroupName=name,
            CacheSubnetGroupDescription="Managed by Pulumi",
            SubnetIds=store_subnets(cfg, "redis"),
        )
        group: dict[str, Any] = dict(
            ReplicationGroupId=name,
            ReplicationGroupDescription="Wire: gundeck",
            Engine="valkey",
            CacheNodeType=redis.node_type,
            NumCacheClusters=1 + redis.replicas,
            TransitEncryptionEnabled=True,
            AtRestEncryptionEnabled=True,
            CacheSubnetGroupName=name,
            SecurityGroupIds=[security_group(url, cfg, "redis")],
        )
        if auth:
            group["AuthToken"] = "generated-auth-token-0123456789"
        elasticache.create_replication_group(**group)
    if "rabbitmq" in managed:
        assert cfg.databases.rabbitmq.managed is not None
        mq = cfg.databases.rabbitmq.managed.sizing(cfg.is_production)
        client(url, "mq", region).create_broker(
            BrokerName=naming.datastore(env, "rabbitmq"),
            EngineType="RABBITMQ",
            EngineVersion=RABBITMQ_VERSION,
            HostInstanceType=mq.instance_type,
            DeploymentMode=mq.deployment_mode,
            PubliclyAccessible=False,
            AutoMinorVersionUpgrade=True,
            SubnetIds=store_subnets(cfg, "rabbitmq"),
            SecurityGroups=[security_group(url, cfg, "rabbitmq")],
            Users=[{"Username": "wire-server", "Password": "generated-password-0123"}],
        )
    if "elasticsearch" in managed:
        client(url, "opensearch", region).create_domain(
            DomainName=naming.datastore(env, "elasticsearch"),
            EngineVersion=OPENSEARCH_VERSION,
            EncryptionAtRestOptions={"Enabled": True},
            NodeToNodeEncryptionOptions={"Enabled": True},
            DomainEndpointOptions={"EnforceHTTPS": True},
            AdvancedSecurityOptions={
                "Enabled": fgac,
                "InternalUserDatabaseEnabled": True,
                "MasterUserOptions": {"MasterUserName": "wire", "MasterUserPassword": "Generated-pass-1"},
            },
            VPCOptions={
                "SubnetIds": store_subnets(cfg, "elasticsearch"),
                "SecurityGroupIds": [security_group(url, cfg, "elasticsearch")],
            },
        )
