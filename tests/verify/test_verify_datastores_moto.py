"""verify's checks of the managed data stores against a real AWS API (moto_server: RDS, ElastiCache, Amazon MQ,
OpenSearch), created with the settings the program gives them, then with one fault each."""

from __future__ import annotations

from typing import Any

import pytest

from components import naming
from tests.verify import stores_stack as stores
from tests.verify import verify_stack as vs
from verify import checks
from verify.aws import Aws, session
from verify.results import Status

pytestmark = pytest.mark.moto
STORES = ("postgresql", "redis", "rabbitmq", "elasticsearch")


def managed_config(url: str, production: bool = True) -> Any:
    databases = {name: {"managed": {}} for name in STORES}
    network = stores.network(url, vs.REGION)
    return vs.config(vs.values(production=production, network=network, databases=databases))


def run_checks(url: str, cfg: Any) -> dict[str, Any]:
    aws = Aws(session(), vs.REGION, {}, url)
    return {result.check: result for result in checks.datastores(aws, cfg)}


def test_stores_as_the_program_creates_them_pass(moto: str) -> None:
    cfg = managed_config(moto)
    stores.create_stores(moto, cfg)
    results = run_checks(moto, cfg)
    assert len(results) == 8
    assert all(result.status == Status.OK for result in results.values()), [r.line() for r in results.values()]


def test_each_fault_is_named(moto: str) -> None:
    cfg = managed_config(moto)
    stores.create_stores(moto, cfg, public_rds=True, auth=False, fgac=False)
    results = run_checks(moto, cfg)
    assert "PubliclyAccessible is True" in results["postgresql (RDS)"].message
    assert "AuthTokenEnabled" in results["redis (ElastiCache)"].message
    assert "fine-grained access control" in results["elasticsearch (OpenSearch)"].message


def test_missing_stores_say_how_to_create_them(moto: str) -> None:
    results = run_checks(moto, managed_config(moto))
    assert all(r.status == Status.FAIL and "run pulumi up" in r.message for r in results.values()), [
        r.line() for r in results.values()
    ]


def test_what_passes_is_named(moto: str) -> None:
    cfg = managed_config(moto)
    stores.create_stores(moto, cfg)
    results = run_checks(moto, cfg)
    assert "admits only the cluster's groups, on 5671, 443" in results["rabbitmq security group"].message
    assert "TLS only, in its subnets" in results["postgresql (RDS)"].message


def _group(ec2: Any, cfg: Any, store: str) -> dict[str, Any]:
    name = naming.datastore(cfg.environment, store)
    return ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"][0]


def test_a_security_group_open_to_more_than_the_cluster_fails(moto: str) -> None:
    cfg = managed_config(moto)
    stores.create_stores(moto, cfg)
    ec2 = vs.client(moto, "ec2")
    group = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": [naming.datastore(cfg.environment, "postgresql")]}]
    )
    group_id = group["SecurityGroups"][0]["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": []}]
    )
    message = run_checks(moto, cfg)["postgresql security group"].message
    assert "tcp 5432 is open to ['0.0.0.0/0']" in message
    redis_group = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": [naming.datastore(cfg.environment, "redis")]}]
    )
    ec2.revoke_security_group_ingress(
        GroupId=redis_group["SecurityGroups"][0]["GroupId"],
        IpPermissions=redis_group["SecurityGroups"][0]["IpPermissions"],
    )
    assert "on 6379: the services cannot connect" in run_checks(moto, cfg)["redis security group"].message


def test_postgresql_without_forced_tls_fails(moto: str) -> None:
    cfg = managed_config(moto)
    stores.create_stores(moto, cfg)
    vs.client(moto, "rds").modify_db_parameter_group(
        DBParameterGroupName=naming.datastore(cfg.environment, "postgresql"),
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate"}],
    )
    message = run_checks(moto, cfg)["postgresql (RDS)"].message
    assert "rds.force_ssl is '0', expected '1'" in message


def test_stores_outside_the_configured_subnets_fail(moto: str) -> None:
    cfg = managed_config(moto)
    stores.create_stores(moto, cfg)
    other = managed_config(moto)  # another VPC's subnets and groups in the stack file
    results = run_checks(moto, other)
    for check in ("postgresql (RDS)", "redis (ElastiCache)", "rabbitmq (Amazon MQ)", "elasticsearch (OpenSearch)"):
        assert "expected wire:network's" in results[check].message, results[check].line()
    assert "not found in" in results["postgresql security group"].message
