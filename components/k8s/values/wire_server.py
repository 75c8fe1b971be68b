"""The wire-server umbrella release: one values tree holding every service's."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.k8s.values.background_worker import background_worker_values
from components.k8s.values.brig import brig_values
from components.k8s.values.cannon import cannon_values
from components.k8s.values.cargohold import cargohold_values
from components.k8s.values.common import WIRE_SERVER, cassandra_endpoint, with_extra_values
from components.k8s.values.datastores import datastore_values, elasticsearch_index_values
from components.k8s.values.galley import galley_values
from components.k8s.values.gundeck import gundeck_values
from components.k8s.values.layout import wire_server_layout
from components.k8s.values.nginz import nginz_fillers, nginz_values
from components.k8s.values.proxy import proxy_release_values
from components.k8s.values.spar import spar_values
from components.outputs import AwsOutputs
from components.trees import deep_merge


def wire_server_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    """Values of the wire-server umbrella chart (one release, every service)."""
    values: dict[str, Any] = {
        "cassandra-migrations": {
            # A single ephemeral Cassandra node cannot hold 3 replicas; production runs 3 nodes.
            "cassandra": {**cassandra_endpoint(cfg), "replicationFactor": 3 if cfg.is_production else 1},
        },
        "elasticsearch-index": elasticsearch_index_values(cfg, aws),
        "brig": brig_values(cfg, aws),
        "galley": galley_values(cfg, aws),
        "gundeck": gundeck_values(cfg, aws),
        "cargohold": cargohold_values(cfg, aws),
        "cannon": cannon_values(cfg),
        "nginz": nginz_values(cfg),
        "spar": spar_values(cfg),
        "background-worker": background_worker_values(cfg),
        **proxy_release_values(cfg, wire_server_layout(cfg.charts.wire_server)),
    }
    values = deep_merge(values, datastore_values(cfg, aws))
    return with_extra_values(cfg, WIRE_SERVER, values, fillers={"nginz": nginz_fillers(cfg)})
