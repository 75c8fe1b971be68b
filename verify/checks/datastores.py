"""The managed data stores as AWS describes them: encrypted, private, TLS, protected and sized as configured.

Reachability and logins are proven from inside the cluster (verify/stores.py); these checks read the
control plane only, with the operator's credentials.
"""

from __future__ import annotations

from typing import Any

from components import naming
from components.config import StackConfig
from components.config.datastore_rules import connections_needed
from components.config.managed_stores import OPENSEARCH_VERSION, POSTGRESQL_VERSION, RABBITMQ_VERSION
from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.results import Result, fail, ok

MISSING = "not found: run pulumi up (wire:databases.{store}.managed)"


def _problems(found: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    return [
        f"{key} is {found.get(key)!r}, expected {value!r}" for key, value in wanted.items() if found.get(key) != value
    ]


def _verdict(check: str, name: str, problems: list[str], good: str) -> Result:
    if problems:
        return fail(check, name, "; ".join(problems) + ": run pulumi up (or pulumi refresh) to converge")
    return ok(check, name, good)


def postgresql(rds: Any, cfg: StackConfig) -> Result:
    managed, check = cfg.databases.postgresql.managed, "postgresql (RDS)"
    name = naming.datastore(cfg.environment, "postgresql")
    if managed is None:
        return ok(check, name, "self-run")
    try:
        instance = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    except AwsError as error:
        if error_code(error) in (*NOT_FOUND, "DBInstanceNotFound", "DBInstanceNotFoundFault"):
            return fail(check, name, MISSING.format(store="postgresql"))
        return denied_or(error, check, name, "rds:DescribeDBInstances", "cannot describe the instance")
    sizing = managed.sizing(cfg.is_production, connections_needed(cfg))
    wanted = {
        "Engine": "postgres",
        "EngineVersion": POSTGRESQL_VERSION,
        "StorageEncrypted": True,
        "PubliclyAccessible": False,
        "MultiAZ": sizing.multi_az,
        "DBInstanceClass": sizing.instance_class,
        "BackupRetentionPeriod": sizing.backup_retention_days,
    }
    if cfg.is_production:
        wanted["DeletionProtection"] = True
    return _verdict(check, name, _problems(instance, wanted), "encrypted, private, sized and protected as configured")


def redis(elasticache: Any, cfg: StackConfig) -> Result:
    managed, check = cfg.databases.redis.managed, "redis (ElastiCache)"
    name = naming.datastore(cfg.environment, "redis")
    if managed is None:
        return ok(check, name, "self-run")
    try:
        group = elasticache.describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]
    except AwsError as error:
        if error_code(error) in (*NOT_FOUND, "ReplicationGroupNotFoundFault"):
            return fail(check, name, MISSING.format(store="redis"))
        return denied_or(error, check, name, "elasticache:DescribeReplicationGroups", "cannot describe the group")
    wanted = {"TransitEncryptionEnabled": True, "AtRestEncryptionEnabled": True, "AuthTokenEnabled": True}
    problems = _problems(group, wanted)
    if group.get("ClusterEnabled"):
        problems.append("cluster mode is on, but gundeck connects in master mode")
    return _verdict(check, name, problems, "TLS, AUTH and encryption at rest on, cluster mode off")


def rabbitmq(mq: Any, cfg: StackConfig) -> Result:
    managed, check = cfg.databases.rabbitmq.managed, "rabbitmq (Amazon MQ)"
    name = naming.datastore(cfg.environment, "rabbitmq")
    if managed is None:
        return ok(check, name, "self-run")
    try:
        brokers = mq.list_brokers().get("BrokerSummaries", [])
        summary = next((b for b in brokers if b.get("BrokerName") == name), None)
        if summary is None:
            return fail(check, name, MISSING.format(store="rabbitmq"))
        broker = mq.describe_broker(BrokerId=summary["BrokerId"])
    except AwsError as error:
        return denied_or(error, check, name, "mq:DescribeBroker", "cannot describe the broker")
    sizing = managed.sizing(cfg.is_production)
    wanted = {
        "EngineType": "RABBITMQ",
        "DeploymentMode": sizing.deployment_mode,
        "HostInstanceType": sizing.instance_type,
        "PubliclyAccessible": False,
    }
    found = {**broker, "EngineType": str(broker.get("EngineType", "")).upper()}
    problems = _problems(found, wanted)
    if not str(broker.get("EngineVersion", "")).startswith(RABBITMQ_VERSION):
        problems.append(f"EngineVersion is {broker.get('EngineVersion')!r}, expected {RABBITMQ_VERSION}.x")
    return _verdict(check, name, problems, f"RabbitMQ {broker.get('EngineVersion')}, private, as configured")


def opensearch(client: Any, cfg: StackConfig) -> Result:
    managed, check = cfg.databases.elasticsearch.managed, "elasticsearch (OpenSearch)"
    name = naming.datastore(cfg.environment, "elasticsearch")
    if managed is None:
        return ok(check, name, "self-run")
    try:
        domain = client.describe_domain(DomainName=name)["DomainStatus"]
    except AwsError as error:
        if error_code(error) in (*NOT_FOUND, "ResourceNotFoundException"):
            return fail(check, name, MISSING.format(store="elasticsearch"))
        return denied_or(error, check, name, "es:DescribeDomain", "cannot describe the domain")
    problems = _problems(domain, {"EngineVersion": OPENSEARCH_VERSION})
    flags = {
        "encryption at rest": (domain.get("EncryptionAtRestOptions") or {}).get("Enabled"),
        "node-to-node encryption": (domain.get("NodeToNodeEncryptionOptions") or {}).get("Enabled"),
        "HTTPS only": (domain.get("DomainEndpointOptions") or {}).get("EnforceHTTPS"),
        "fine-grained access control (brig's basic auth)": (domain.get("AdvancedSecurityOptions") or {}).get("Enabled"),
    }
    problems += [f"{what} is off" for what, on in flags.items() if not on]
    if not domain.get("VPCOptions"):
        problems.append("the domain is not in the VPC (public endpoint)")
    return _verdict(check, name, problems, "OpenSearch 1.3 in the VPC, encrypted, HTTPS, basic auth on")


def datastores(aws: Any, cfg: StackConfig) -> list[Result]:
    """Every managed store (none when all are self-run)."""
    managed = cfg.databases.managed_stores()
    results = []
    if "postgresql" in managed:
        results.append(postgresql(aws.client("rds"), cfg))
    if "redis" in managed:
        results.append(redis(aws.client("elasticache"), cfg))
    if "rabbitmq" in managed:
        results.append(rabbitmq(aws.client("mq"), cfg))
    if "elasticsearch" in managed:
        results.append(opensearch(aws.client("opensearch"), cfg))
    return results
