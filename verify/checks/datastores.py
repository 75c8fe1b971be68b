"""The managed data stores as AWS describes them: encrypted, private, TLS, protected and sized as configured.

Reachability and logins are proven from inside the cluster (verify/stores.py); these checks read the
control plane only, with the operator's credentials.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from components import naming
from components.config import StackConfig
from components.config.datastore_rules import connections_needed, store_subnets
from components.config.managed_stores import (
    OPENSEARCH_VERSION,
    POSTGRESQL_PARAMETERS,
    POSTGRESQL_VERSION,
    RABBITMQ_VERSION,
    STORE_PORTS,
)
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


def _subnets(found: list[str], cfg: StackConfig, store: str) -> list[str]:
    wanted = store_subnets(cfg, store)
    if sorted(set(found)) == sorted(wanted):
        return []
    return [f"in subnets {sorted(set(found))}, expected wire:network's {sorted(wanted)}"]


def _groups(found: list[str], group_id: str | None, name: str) -> list[str]:
    """The store is behind its own security group alone (another group could admit anyone)."""
    if group_id is None or sorted(set(found)) == [group_id]:
        return []
    return [f"security groups {sorted(set(found))}, expected only {name} ({group_id})"]


def store_security_group(ec2: Any, cfg: StackConfig, store: str) -> tuple[Result, str | None]:
    """The store's own group admits the cluster's client groups on the store's ports, and nothing else.

    Returns the result and the group's id (None when it was not found).
    """
    check, name = f"{store} security group", naming.datastore(cfg.environment, store)
    assert cfg.network is not None
    vpc = cfg.network.vpc_id
    try:
        filters = [{"Name": "group-name", "Values": [name]}, {"Name": "vpc-id", "Values": [vpc]}]
        groups = ec2.describe_security_groups(Filters=filters)["SecurityGroups"]
    except AwsError as error:
        return denied_or(error, check, name, "ec2:DescribeSecurityGroups", "cannot describe it"), None
    if not groups:
        return fail(check, name, f"not found in {vpc}: run pulumi up (wire:databases.{store}.managed)"), None
    group = groups[0]
    ports, clients = STORE_PORTS[store], set(cfg.network.client_security_group_ids)
    admitted: dict[int, set[str]] = {}
    problems = []
    for rule in group.get("IpPermissions", []):
        protocol, low, high = rule.get("IpProtocol"), rule.get("FromPort"), rule.get("ToPort")
        what = f"{protocol} {low}-{high}" if low != high else f"{protocol} {low}"
        sources = [r.get("CidrIp") for r in rule.get("IpRanges", [])]
        sources += [r.get("CidrIpv6") for r in rule.get("Ipv6Ranges", [])]
        sources += [r.get("PrefixListId") for r in rule.get("PrefixListIds", [])]
        peers = {pair.get("GroupId", "") for pair in rule.get("UserIdGroupPairs", [])}
        if sources:
            problems.append(f"{what} is open to {sorted(sources)}")
        if peers - clients:
            problems.append(f"{what} admits {sorted(peers - clients)}, not wire:network.clientSecurityGroupIds")
        if protocol != "tcp" or low != high or low not in ports:
            problems.append(f"{what} is open, the store serves only tcp {', '.join(map(str, ports))}")
        else:
            admitted.setdefault(low, set()).update(peers & clients)
    for port in ports:
        if clients - admitted.get(port, set()):
            missing = sorted(clients - admitted.get(port, set()))
            problems.append(f"does not admit {missing} on {port}: the services cannot connect")
    result = _verdict(check, name, problems, f"admits only the cluster's groups, on {', '.join(map(str, ports))}")
    return result, group["GroupId"]


def _force_ssl(rds: Any, name: str) -> list[str]:
    """The parameter group's settings (TLS only) as the program sets them."""
    try:
        found = {
            parameter["ParameterName"]: parameter.get("ParameterValue")
            for page in rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName=name)
            for parameter in page.get("Parameters", [])
        }
    except AwsError as error:
        return [f"cannot read parameter group {name} ({error_code(error)}): rds:DescribeDBParameters"]
    return [
        f"parameter group {name}: {key} is {found.get(key)!r}, expected {value!r} (clients could connect without TLS)"
        for key, value in POSTGRESQL_PARAMETERS.items()
        if found.get(key) != value
    ]


def _verdict(check: str, name: str, problems: list[str], good: str) -> Result:
    if problems:
        return fail(check, name, "; ".join(problems) + ": run pulumi up (or pulumi refresh) to converge")
    return ok(check, name, good)


def postgresql(rds: Any, cfg: StackConfig, group_id: str | None = None) -> Result:
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
    problems = _problems(instance, wanted)
    subnet_group = instance.get("DBSubnetGroup") or {}
    if subnet_group.get("DBSubnetGroupName") != name:
        problems.append(f"subnet group is {subnet_group.get('DBSubnetGroupName')!r}, expected {name!r}")
    problems += _subnets([s["SubnetIdentifier"] for s in subnet_group.get("Subnets", [])], cfg, "postgresql")
    groups = [g["VpcSecurityGroupId"] for g in instance.get("VpcSecurityGroups", [])]
    problems += _groups(groups, group_id, name)
    parameter_groups = [g.get("DBParameterGroupName") for g in instance.get("DBParameterGroups", [])]
    if name not in parameter_groups:
        problems.append(f"parameter groups {parameter_groups}, expected {name!r} (TLS only)")
    else:
        problems += _force_ssl(rds, name)
    good = "encrypted, private, TLS only, in its subnets, sized and protected as configured"
    return _verdict(check, name, problems, good)


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
    try:
        subnet_groups = elasticache.describe_cache_subnet_groups(CacheSubnetGroupName=name)["CacheSubnetGroups"]
        subnets = [s["SubnetIdentifier"] for g in subnet_groups for s in g.get("Subnets", [])]
        problems += _subnets(subnets, cfg, "redis")
    except AwsError as error:
        problems.append(f"subnet group {name}: {error_code(error)} (pulumi up creates it)")
    # Not compared: which groups the nodes use (ElastiCache reports them per node, describe_cache_clusters, and
    # moto keeps no nodes to test it on); store_security_group checks what the store's own group admits.
    if group.get("ClusterEnabled"):
        problems.append("cluster mode is on, but gundeck connects in master mode")
    return _verdict(check, name, problems, "TLS, AUTH and encryption at rest on, cluster mode off")


def rabbitmq(mq: Any, cfg: StackConfig, group_id: str | None = None) -> Result:
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
    problems += _subnets(broker.get("SubnetIds", []), cfg, "rabbitmq")
    problems += _groups(broker.get("SecurityGroups", []), group_id, name)
    return _verdict(check, name, problems, f"RabbitMQ {broker.get('EngineVersion')}, private, as configured")


def opensearch(client: Any, cfg: StackConfig, group_id: str | None = None) -> Result:
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
    vpc = domain.get("VPCOptions")
    if not vpc:
        problems.append("the domain is not in the VPC (public endpoint)")
    else:
        problems += _subnets(vpc.get("SubnetIds", []), cfg, "elasticsearch")
        problems += _groups(vpc.get("SecurityGroupIds", []), group_id, name)
    return _verdict(check, name, problems, "OpenSearch 1.3 in the VPC, encrypted, HTTPS, basic auth on")


def datastores(aws: Any, cfg: StackConfig) -> list[Result]:
    """Every managed store (none when all are self-run)."""
    managed = cfg.databases.managed_stores()
    results: list[Result] = []
    groups: dict[str, str | None] = {}
    for store in ("postgresql", "redis", "rabbitmq", "elasticsearch"):
        if store in managed:
            found, groups[store] = store_security_group(aws.client("ec2"), cfg, store)
            results.append(found)
    if "postgresql" in managed:
        results.append(postgresql(aws.client("rds"), cfg, groups["postgresql"]))
    if "redis" in managed:
        results.append(redis(aws.client("elasticache"), cfg))
    if "rabbitmq" in managed:
        results.append(rabbitmq(aws.client("mq"), cfg, groups["rabbitmq"]))
    if "elasticsearch" in managed:
        results.append(opensearch(aws.client("opensearch"), cfg, groups["elasticsearch"]))
    return results
