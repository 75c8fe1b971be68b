"""The managed data stores' configuration: defaults from production, every rule, and sizing over any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from components.config.datastore_rules import connections_needed
from components.config.managed_stores import (
    ManagedOpensearch,
    ManagedPostgresql,
    default_postgresql_class,
    max_connections,
)
from tests.components.config.config_support import base, load, problems

NETWORK = {
    "vpcId": "vpc-0a1b2c3d4e5f60718",
    "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"],
    "clientSecurityGroupIds": ["sg-0a1b2c3d4e5f60799"],
}


def test_managed_postgresql_defaults_to_rds_names_and_needs_no_password() -> None:
    cfg = load(base(network=NETWORK, databases={"postgresql": {"managed": {}}}))
    pg = cfg.databases.postgresql
    assert (pg.host, pg.user, pg.dbname, pg.is_managed) == (None, "wire_server", "wire_server", True)
    assert cfg.databases.managed_stores() == ["postgresql"]


def test_a_self_run_store_still_gets_its_default_host() -> None:
    cfg = load(base(databases={"rabbitmq": {"username": "wire"}}), secret_keys={"databases"})
    assert cfg.databases.rabbitmq.host == "rabbitmq-external" and not cfg.databases.rabbitmq.is_managed


def test_operator_credentials_must_fit_the_service() -> None:
    found = problems(
        base(
            network=NETWORK,
            databases={
                "postgresql": {"managed": {}, "password": "has@sign-and-more"},
                "redis": {"managed": {}, "password": "short"},
                "rabbitmq": {"managed": {}, "username": "guest", "password": "a,b:c=d-eeeeeee"},
                "elasticsearch": {"managed": {}, "password": "alllowercase"},
            },
        ),
        secret_keys={"databases"},
    )
    assert sorted(p.split(":")[1] for p in found) == sorted(
        [
            "databases.postgresql.password",
            "databases.redis.password",
            "databases.rabbitmq.username",
            "databases.rabbitmq.password",
            "databases.elasticsearch.password",
        ]
    )


@settings(max_examples=60, deadline=None)
@given(
    production=st.booleans(),
    brig=st.integers(1, 12),
    galley=st.integers(1, 12),
    worker=st.integers(1, 4),
)
def test_the_default_postgresql_class_holds_the_pools_or_is_refused(
    production: bool, brig: int, galley: int, worker: int
) -> None:
    replicas = {"brig": brig, "galley": galley, "backgroundWorker": worker}
    values = base(production=production, network=NETWORK, databases={"postgresql": {"managed": {}}}, replicas=replicas)
    needed = 206 + 100 * (brig + 1) + 100 * (galley + 1) + 5 * (worker + 1) - 100
    chosen = default_postgresql_class(production, needed)
    limit = max_connections(chosen)
    assert limit is not None
    if limit >= needed:
        cfg = load(values)
        assert connections_needed(cfg) == needed
        assert ManagedPostgresql().sizing(production, needed).instance_class == chosen
    else:  # beyond the largest default class: refused with the fix, never planned to crash
        assert any("instanceClass" in p and "connections" in p for p in problems(values))


@settings(max_examples=60, deadline=None)
@given(count=st.integers(1, 12), subnets=st.integers(1, 6), production=st.booleans())
def test_opensearch_spreads_data_nodes_evenly(count: int, subnets: int, production: bool) -> None:
    sizing = ManagedOpensearch(instance_count=count).sizing(production, subnets)
    assert sizing.zones in (1, 2, 3) and sizing.zones <= max(1, min(count, subnets))
    assert count % sizing.zones == 0 or sizing.zones == 1


def test_keys_without_effect_are_warned_about() -> None:
    lone_user = load(base(databases={"elasticsearch": {"username": "brig"}}))
    assert any("username and password go together" in w for w in lone_user.warnings())
    unused_network = load(base(network=NETWORK))
    assert any("network is set, but no store" in w for w in unused_network.warnings())
    single = load(base(network=NETWORK, databases={"rabbitmq": {"managed": {"deploymentMode": "SINGLE_INSTANCE"}}}))
    assert any("SINGLE_INSTANCE in production" in w for w in single.warnings())
