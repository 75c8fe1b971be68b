"""verify's checks of the managed data stores against a real AWS API (moto_server: RDS, ElastiCache, Amazon MQ,
OpenSearch), created with the settings the program gives them, then with one fault each."""

from __future__ import annotations

from typing import Any

import pytest

from components import naming
from components.config.datastore_rules import connections_needed
from tests.verify import verify_stack as vs
from verify import checks
from verify.aws import Aws, session
from verify.results import Status

pytestmark = pytest.mark.moto
NETWORK = {
    "vpcId": "vpc-0a1b2c3d4e5f60718",
    "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"],
    "clientSecurityGroupIds": ["sg-0a1b2c3d4e5f60799"],
}
STORES = ("postgresql", "redis", "rabbitmq", "elasticsearch")


def managed_config(production: bool = True) -> Any:
    databases = {name: {"managed": {}} for name in STORES}
    return vs.config(vs.values(production=production, network=NETWORK, databases=databases))


def create_stores(url: str, cfg: Any, *, public_rds: bool = False, auth: bool = True, fgac: bool = True) -> None:
    env = cfg.environment
    pg = cfg.databases.postgresql.managed.sizing(cfg.is_production, connections_needed(cfg))
    vs.client(url, "rds").create_db_instance(
        DBInstanceIdentifier=naming.datastore(env, "postgresql"),
        Engine="postgres",
        EngineVersion="17.5",
        DBInstanceClass=pg.instance_class,
        AllocatedStorage=pg.allocated_storage_gib,
        MasterUsername="wire_server",
        MasterUserPassword="generated-password",
        StorageEncrypted=True,
        PubliclyAccessible=public_rds,
        MultiAZ=pg.multi_az,
        BackupRetentionPeriod=pg.backup_retention_days,
        DeletionProtection=cfg.is_production,
    )
    redis = cfg.databases.redis.managed.sizing(cfg.is_production)
    group: dict[str, Any] = dict(
        ReplicationGroupId=naming.datastore(env, "redis"),
        ReplicationGroupDescription="Wire: gundeck",
        Engine="valkey",
        CacheNodeType=redis.node_type,
        NumCacheClusters=1 + redis.replicas,
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
    )
    if auth:
        group["AuthToken"] = "generated-auth-token-0123456789"
    vs.client(url, "elasticache").create_replication_group(**group)
    mq = cfg.databases.rabbitmq.managed.sizing(cfg.is_production)
    vs.client(url, "mq").create_broker(
        BrokerName=naming.datastore(env, "rabbitmq"),
        EngineType="RABBITMQ",
        EngineVersion="3.13",
        HostInstanceType=mq.instance_type,
        DeploymentMode=mq.deployment_mode,
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=True,
        Users=[{"Username": "wire-server", "Password": "generated-password-0123"}],
    )
    vs.client(url, "opensearch").create_domain(
        DomainName=naming.datastore(env, "elasticsearch"),
        EngineVersion="OpenSearch_1.3",
        EncryptionAtRestOptions={"Enabled": True},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True},
        AdvancedSecurityOptions={
            "Enabled": fgac,
            "InternalUserDatabaseEnabled": True,
            "MasterUserOptions": {"MasterUserName": "wire", "MasterUserPassword": "Generated-pass-1"},
        },
        VPCOptions={"SubnetIds": NETWORK["privateSubnetIds"], "SecurityGroupIds": NETWORK["clientSecurityGroupIds"]},
    )


def run_checks(url: str, cfg: Any) -> dict[str, Any]:
    aws = Aws(session(), vs.REGION, {}, url)
    return {result.check: result for result in checks.datastores(aws, cfg)}


def test_stores_as_the_program_creates_them_pass(moto: str) -> None:
    cfg = managed_config()
    create_stores(moto, cfg)
    results = run_checks(moto, cfg)
    assert len(results) == 4
    assert all(result.status == Status.OK for result in results.values()), [r.line() for r in results.values()]


def test_each_fault_is_named(moto: str) -> None:
    cfg = managed_config()
    create_stores(moto, cfg, public_rds=True, auth=False, fgac=False)
    results = run_checks(moto, cfg)
    assert "PubliclyAccessible is True" in results["postgresql (RDS)"].message
    assert "AuthTokenEnabled" in results["redis (ElastiCache)"].message
    assert "fine-grained access control" in results["elasticsearch (OpenSearch)"].message


def test_missing_stores_say_how_to_create_them(moto: str) -> None:
    results = run_checks(moto, managed_config())
    assert all(r.status == Status.FAIL and "run pulumi up" in r.message for r in results.values()), [
        r.line() for r in results.values()
    ]
