"""The wire-server umbrella: external databases and replicas across services."""

from __future__ import annotations

from components.k8s.values.wire_server import wire_server_values
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from tests.components.k8s.values.values_support import ws


def test_external_databases_and_replicas() -> None:
    cfg = make_cfg(
        databases={"cassandra": {"host": "cass.db", "port": 9042}, "redis": {"host": "redis.db"}},
        replicas={"brig": 5, "cannon": 2, "nginz": 4, "backgroundWorker": 2},
        production=True,
    )
    values = ws(cfg)
    assert values["cassandra-migrations"]["cassandra"] == {"host": "cass.db", "port": 9042, "replicationFactor": 3}
    assert values["elasticsearch-index"]["elasticsearch"]["host"] == "elasticsearch-external"
    for service in ("brig", "galley", "gundeck", "cannon", "spar"):
        assert values[service]["config"]["cassandra"]["host"] == "cass.db"
    for key in ("cassandra", "cassandraGalley", "cassandraBrig"):
        assert values["background-worker"]["config"][key]["host"] == "cass.db"
    assert values["gundeck"]["config"]["redis"]["host"] == "redis.db"
    assert values["brig"]["config"]["postgresql"]["port"] == "5432"
    assert values["brig"]["replicaCount"] == 5
    assert values["cannon"]["replicaCount"] == 2
    assert values["nginz"]["replicaCount"] == 4
    assert values["background-worker"]["replicaCount"] == 2
    assert (
        wire_server_values(make_cfg(production=False), aws_outputs(make_cfg()))["cassandra-migrations"]["cassandra"][
            "replicationFactor"
        ]
        == 1
    )
