"""Modelled wall time of a first `pulumi up` (bench P3): each resource's typical creation time, along the
creation graph (plan/graph.py), resources without a dependency between them created in parallel.

Typical times are rounded from AWS's documentation and common experience (they vary by region and load):
RDS "can take several minutes" (a Multi-AZ instance about 15 min), ElastiCache replication groups about
10 min, Amazon MQ brokers "about 15 minutes" (a cluster about 20), OpenSearch domains 15-30 min (VPC,
dedicated masters: about 25), CloudFront distributions until Deployed about 5 min. A helm release waits for
its pods (wire-server: its migrations first). Anything else is an API call of seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bench.report import Figure
from plan.graph import creation_graph, find_wire_server

MINUTE = 60.0
DEFAULT_SECONDS = 5.0
SLOW_SECONDS: dict[str, float] = {
    "aws:cloudfront/distribution:Distribution": 5 * MINUTE,
    "aws:elasticache/replicationGroup:ReplicationGroup": 10 * MINUTE,
    "aws:opensearch/domain:Domain": 25 * MINUTE,
    "aws:iam/role:Role": 10.0,  # IAM is eventually consistent: the provider waits for the role to propagate
    "kubernetes:helm.sh/v3:Release": 2 * MINUTE,
    "aws:sesv2/emailIdentity:EmailIdentity": 10.0,
}
WIRE_SERVER_RELEASE_SECONDS = 6 * MINUTE  # cassandra-migrations and elasticsearch-index Jobs, then the services
STORE_TYPES = (
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:mq/broker:Broker",
    "aws:opensearch/domain:Domain",
)


def creation_seconds(resource: Mapping[str, Any], wire_server: str | None = None) -> float:
    type_, inputs = resource.get("type", ""), resource.get("inputs") or {}
    if resource.get("read"):
        return 1.0
    if resource.get("urn") == wire_server:
        return WIRE_SERVER_RELEASE_SECONDS
    if type_ == "aws:rds/instance:Instance":
        return (15 if inputs.get("multiAz") else 10) * MINUTE
    if type_ == "aws:mq/broker:Broker":
        return (20 if inputs.get("deploymentMode") == "CLUSTER_MULTI_AZ" else 15) * MINUTE
    return SLOW_SECONDS.get(type_, DEFAULT_SECONDS)


@dataclass(frozen=True)
class DeployModel:
    total_seconds: float
    wire_server_ready_seconds: float | None
    # URN -> (start, finish) seconds after `pulumi up` began.
    schedule: dict[str, tuple[float, float]] = field(default_factory=dict)
    # The chain that decides when wire-server is ready (first created first).
    wire_server_path: list[str] = field(default_factory=list)

    def stores(self, document: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
        types = {r["urn"]: r.get("type") for r in document.get("resources", [])}
        return {urn: span for urn, span in self.schedule.items() if types.get(urn) in STORE_TYPES}


def deploy_model(document: Mapping[str, Any]) -> DeployModel:
    graph = creation_graph(document)
    by_urn = {r["urn"]: r for r in document.get("resources", [])}
    wire_server = find_wire_server(document)
    finish: dict[str, float] = {}
    start: dict[str, float] = {}
    # Iterative post-order over the acyclic graph.
    for root in sorted(graph):
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node in finish:
                continue
            if not expanded:
                stack.append((node, True))
                stack.extend((dep, False) for dep in graph.get(node, ()) if dep not in finish)
                continue
            start[node] = max((finish[dep] for dep in graph.get(node, ())), default=0.0)
            finish[node] = start[node] + creation_seconds(by_urn[node], wire_server)
    path: list[str] = []
    if wire_server in finish:
        node: str | None = wire_server
        while node is not None:
            path.append(node)
            waits = graph.get(node, frozenset())
            node = max(sorted(waits), key=lambda dep: finish[dep]) if waits else None
    return DeployModel(
        total_seconds=max(finish.values(), default=0.0),
        wire_server_ready_seconds=finish.get(wire_server) if wire_server else None,
        schedule={urn: (start[urn], finish[urn]) for urn in sorted(finish)},
        wire_server_path=path[::-1],
    )


def stores_in_parallel(document: Mapping[str, Any], model: DeployModel) -> bool:
    """No managed store waits for another: they are all created at once (after their few-second parts)."""
    stores = model.stores(document)
    if not stores:
        return True
    return max(start for start, _ in stores.values()) < min(finish for _, finish in stores.values())


def deploy_figures(document: Mapping[str, Any]) -> tuple[list[Figure], dict[str, Any]]:
    """P3.wall (informational) and P3.stores_parallel, with the details for results.json."""
    model = deploy_model(document)
    by_urn = {r["urn"]: r for r in document.get("resources", [])}
    stores = model.stores(document)
    parallel = stores_in_parallel(document, model)
    ready = model.wire_server_ready_seconds

    def label(urn: str) -> str:
        resource = by_urn.get(urn) or {}
        return f"{str(resource.get('type', '?')).rsplit(':', 1)[-1]} {resource.get('name', urn)}"

    path = " -> ".join(f"{label(u)} ({model.schedule[u][1] / MINUTE:.1f} min)" for u in model.wire_server_path)
    spans = ", ".join(f"{label(u)} {a / MINUTE:.1f}-{b / MINUTE:.1f} min" for u, (a, b) in sorted(stores.items()))
    figures = [
        Figure(
            "P3.wall",
            "modelled wall time of a first pulumi up until wire-server is ready",
            None if ready is None else round(ready / MINUTE, 1),
            "min",
            "-",
            None,
            path,
        ),
        Figure(
            "P3.stores_parallel",
            "managed data stores created in parallel (none waits for another)",
            len(stores),
            "stores",
            "all in parallel",
            parallel,
            spans,
        ),
    ]
    details = {
        "totalSeconds": model.total_seconds,
        "wireServerReadySeconds": ready,
        "wireServerPath": model.wire_server_path,
        "stores": {urn: list(span) for urn, span in stores.items()},
    }
    return figures, details
