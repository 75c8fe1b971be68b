"""The managed data stores as AWS describes them: encrypted, private, TLS, protected and sized as configured.

Reachability and logins are proven from inside the cluster (verify/stores.py); these checks read the
control plane only, with the operator's credentials.
"""

from __future__ import annotations

from collections.abc import Callable
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


def _describe(check: str, name: str, store: str, call: Callable[[], Any], missing: tuple[str, ...], action: str) -> Any:
    """The store's description, or the Result saying why there is none (missing, denied, failing)."""
    try:
        return call()
    except AwsError as error:
        if error_code(error) in (*NOT_FOUND, *missing):
            return fail(check, name, MISSING.format(store=store))
        return denied_or(error, check, name, action, "cannot describe it")
    except LookupError:  # an empty answer
        return fail(check, name, MISSING.format(store=store))


def _verdict(check: str, name: str, problems: list[str], good: str) -> Result:
    if problems:
        return fail(check, name, "; ".join(problems) + ": run pulumi up (or pulumi refresh) to converge")
    return ok(check, name, good)


def postgresql(rds: Any, cfg: StackConfig) -> Result:
    managed, check = cfg.databases.postgresql.managed, "postgresql (RDS)"
    name = naming.datastore(cfg.environment, "postgresql")
    if managed is None:
        return ok(check, name, "self-run")
    instance = _describe(
        check,
        name,
        "postgresql",
        lambda: rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0],
        ("DBInstanceNotFound", "DBInstanceNotFoundFault"),
        "rds:DescribeDBInstances",
    )
    if isinstance(instance, Result):
        return instance
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
    group = _describe(
        check,
        name,
        "redis",
        lambda: elasticache.describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0],
        ("ReplicationGroupNotFoundFault",),
        "elasticache:DescribeReplicationGroups",
    )
    if isinstance(group, Result):
        return group
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

    def find() -> Any:
        summaries = mq.list_brokers().get("BrokerSummaries", [])
        summary = next((b for b in summaries if b.get("BrokerName") == name), None)
        if summary is None:
            raise LookupError(name)
        return mq.describe_broker(BrokerId=summary["BrokerId"])

    broker = _describe(check, name, "rabbitmq", find, (), "mq:DescribeBroker")
    if isinstance(broker, Result):
        return broker
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
    domain = _describe(
        check,
        name,
        "elasticsearch",
        lambda: client.describe_domain(DomainName=name)["DomainStatus"],
        ("ResourceNotFoundException",),
        "es:DescribeDomain",
    )
    if isinstance(domain, Result):
        return domain
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
