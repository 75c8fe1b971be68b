"""The managed data stores under the mocks: network, encryption, TLS, protection, credentials, providers."""

from __future__ import annotations

from typing import Any

import pytest

from components.aws.datastore_alarms import ACCOUNT_DIMENSION, datastore_alarm_specs
from plan.registrations import REDACTED, redact_secrets
from tests.components.aws.aws_support import ACCOUNT, config, evaluate, plain

NETWORK = {
    "vpcId": "vpc-0a1b2c3d4e5f60718",
    "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"],
    "clientSecurityGroupIds": ["sg-0a1b2c3d4e5f60799"],
}
ALL_MANAGED = {name: {"managed": {}} for name in ("postgresql", "redis", "rabbitmq", "elasticsearch")}
STORES = {
    "aws:rds/instance:Instance": "prod-wire-pg",
    "aws:elasticache/replicationGroup:ReplicationGroup": "prod-wire-redis",
    "aws:mq/broker:Broker": "prod-wire-mq",
    "aws:opensearch/domain:Domain": "prod-wire-os",
}


def managed(production: bool = True, **databases: Any) -> Any:
    values = {"network": NETWORK, "databases": {**ALL_MANAGED, **databases}, "production": production}
    if not production:
        values["environment"] = "prod"
    return config(values)


@pytest.fixture(scope="module")
def prod() -> Any:
    return evaluate(managed(), dns=False)


def test_each_store_is_private_encrypted_and_protected_in_production(prod: Any) -> None:
    rds = prod.one("aws:rds/instance:Instance")
    assert rds.inputs["engineVersion"] == "17.5" and rds.inputs["publiclyAccessible"] is False
    assert rds.inputs["storageEncrypted"] and rds.inputs["multiAz"] and rds.inputs["deletionProtection"]
    assert rds.inputs["backupRetentionPeriod"] == 14 and rds.inputs["finalSnapshotIdentifier"] == "prod-wire-pg-final"
    assert (rds.inputs["username"], rds.inputs["dbName"]) == ("wire_server", "wire_server")
    params = prod.one("aws:rds/parameterGroup:ParameterGroup").inputs["parameters"]
    assert {"name": "rds.force_ssl", "value": "1"} in [{k: p[k] for k in ("name", "value")} for p in params]
    redis = prod.one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert redis.inputs["transitEncryptionEnabled"] and redis.inputs["atRestEncryptionEnabled"]
    assert redis.inputs["numCacheClusters"] == 3 and redis.inputs["multiAzEnabled"]
    assert redis.inputs["automaticFailoverEnabled"] and redis.inputs["snapshotRetentionLimit"] == 7
    broker = prod.one("aws:mq/broker:Broker")
    assert broker.inputs["deploymentMode"] == "CLUSTER_MULTI_AZ" and broker.inputs["engineVersion"] == "3.13"
    assert broker.inputs["publiclyAccessible"] is False and len(broker.inputs["subnetIds"]) == 3
    domain = prod.one("aws:opensearch/domain:Domain")
    assert domain.inputs["engineVersion"] == "OpenSearch_1.3"
    cluster = domain.inputs["clusterConfig"]
    assert cluster["instanceCount"] == 3 and cluster["zoneAwarenessConfig"]["availabilityZoneCount"] == 3
    assert domain.inputs["encryptAtRest"]["enabled"] and domain.inputs["nodeToNodeEncryption"]["enabled"]
    assert domain.inputs["domainEndpointOptions"]["enforceHttps"]
    security = plain(domain.inputs["advancedSecurityOptions"])
    assert security["enabled"] and security["internalUserDatabaseEnabled"]
    for type_token, name in STORES.items():
        store = prod.one(type_token)
        assert store.protect and store.retain_on_delete, name


def test_only_the_cluster_reaches_a_store_and_only_on_its_ports(prod: Any) -> None:
    groups = {r.name: r.inputs for r in prod.find("aws:ec2/securityGroup:SecurityGroup")}
    expected = {"prod-wire-pg": [5432], "prod-wire-redis": [6379], "prod-wire-mq": [5671, 443], "prod-wire-os": [443]}
    assert sorted(groups) == sorted(expected)
    for name, ports in expected.items():
        rules = groups[name]["ingress"]
        assert [rule["fromPort"] for rule in rules] == ports
        assert all(rule["securityGroups"] == NETWORK["clientSecurityGroupIds"] for rule in rules)
        assert all("cidrBlocks" not in rule for rule in rules) and not groups[name].get("egress")


def test_passwords_are_generated_secrets_with_an_explicit_provider(prod: Any) -> None:
    generated = prod.find("random:index/randomPassword:RandomPassword")
    assert len(generated) == 4
    assert all(r.provider and "pulumi:providers:random::random" in r.provider for r in generated)
    assert all(r.provider and "pulumi:providers:aws" in r.provider for type_ in STORES for r in prod.find(type_))
    rds = prod.one("aws:rds/instance:Instance")
    assert redact_secrets(rds.inputs["password"]) == REDACTED
    assert redact_secrets(prod.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs["authToken"]) == REDACTED
    record = prod.result
    assert set(record.stores) == {"postgresql", "redis", "rabbitmq", "elasticsearch"}
    assert record.stores["postgresql"].host.endswith(".eu-central-1.rds.amazonaws.com")
    assert record.stores["rabbitmq"].port == 5671 and record.stores["rabbitmq"].username == "wire-server"
    assert record.stores["elasticsearch"].username == "wire"


def test_an_operators_password_is_kept() -> None:
    cfg = managed(postgresql={"managed": {}, "password": "operator-chosen-password"})
    evaluation = evaluate(cfg, dns=False)
    assert plain(evaluation.one("aws:rds/instance:Instance").inputs["password"]) == "operator-chosen-password"
    assert len(evaluation.find("random:index/randomPassword:RandomPassword")) == 3


def test_outside_production_the_stores_are_small_and_deletable() -> None:
    evaluation = evaluate(managed(production=False), dns=False)
    rds = evaluation.one("aws:rds/instance:Instance")
    # The smallest burstable class holding 3 brig and 3 galley pods' pools (and one surge pod each).
    assert rds.inputs["instanceClass"] == "db.t4g.xlarge" and not rds.inputs["multiAz"]
    assert not rds.inputs["deletionProtection"] and rds.inputs["skipFinalSnapshot"] and not rds.protect
    assert evaluation.one("aws:mq/broker:Broker").inputs["deploymentMode"] == "SINGLE_INSTANCE"
    assert len(evaluation.one("aws:mq/broker:Broker").inputs["subnetIds"]) == 1
    assert "zoneAwarenessConfig" not in evaluation.one("aws:opensearch/domain:Domain").inputs["clusterConfig"]


def test_a_first_preview_plans_with_unknown_endpoints() -> None:
    evaluation = evaluate(managed(), dns=False, preview=True)
    assert evaluation.one("aws:rds/instance:Instance")


def test_store_alarms_and_the_account_in_opensearch_metrics(prod: Any) -> None:
    specs = {spec.name: spec for spec in datastore_alarm_specs(managed(), 300)}
    assert {"prod-wire-os-status-red", "prod-wire-os-status-yellow", "prod-wire-os-jvm-pressure"} <= set(specs)
    assert {"prod-wire-mq-memory", "prod-wire-mq-disk", "prod-wire-pg-free-storage", "prod-wire-pg-connections"} <= set(
        specs
    )
    assert {f"prod-wire-redis-00{i}-memory" for i in (1, 2, 3)} <= set(specs)
    assert specs["prod-wire-os-status-red"].dimensions["ClientId"] == ACCOUNT_DIMENSION
    alarm = next(r for r in prod.find("aws:cloudwatch/metricAlarm:MetricAlarm") if r.name == "prod-wire-os-status-red")
    assert alarm.inputs["dimensions"] == {"DomainName": "prod-wire-os", "ClientId": ACCOUNT}
    free = next(r for r in prod.find("aws:cloudwatch/metricAlarm:MetricAlarm") if r.name == "prod-wire-pg-free-storage")
    assert free.inputs["comparisonOperator"] == "LessThanOrEqualToThreshold"
