"""The creation-order graph of a plan.json document: the deploy critical path and a Mermaid picture.

Pulumi creates a custom resource once everything in its `dependencies` exists. A dependency on a
component resource (custom: false) means waiting for every custom resource below that component,
recursively. `parent` alone orders nothing. Provider resources are left out: they are configured,
not created through a cloud API, and never gate anything in practice.

One implementation of the critical path serves both the picture (graph.mmd next to plan.json) and
the benchmark (bench P3), so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from itertools import pairwise
from typing import Any

RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
WIRE_SERVER = "wire-server"
PROVIDER_PREFIX = "pulumi:providers:"

Document = Mapping[str, Any]
Graph = dict[str, frozenset[str]]


def _resources(document: Document) -> list[dict[str, Any]]:
    return list(document.get("resources", []))


def _is_node(resource: Mapping[str, Any]) -> bool:
    return bool(resource.get("custom")) and not str(resource.get("type", "")).startswith(PROVIDER_PREFIX)


def creation_graph(document: Document) -> Graph:
    """For every custom resource: the custom resources it waits for, component dependencies expanded."""
    resources = _resources(document)
    by_urn = {r["urn"]: r for r in resources}
    children: dict[str, list[str]] = {}
    for resource in resources:
        if resource.get("parent"):
            children.setdefault(resource["parent"], []).append(resource["urn"])

    @cache
    def custom_below(component: str) -> frozenset[str]:
        found: set[str] = set()
        for child in children.get(component, []):
            if _is_node(by_urn[child]):
                found.add(child)
            elif not by_urn[child].get("custom"):
                found |= custom_below(child)
        return frozenset(found)

    graph: Graph = {}
    for resource in resources:
        if not _is_node(resource):
            continue
        waits: set[str] = set()
        for dependency in resource.get("dependencies", []):
            target = by_urn.get(dependency)
            if target is None:  # the stack itself or a resource outside the plan: nothing to wait for
                continue
            if _is_node(target):
                waits.add(dependency)
            elif not target.get("custom"):
                waits |= custom_below(dependency)
        waits.discard(resource["urn"])
        graph[resource["urn"]] = frozenset(waits)
    return graph


def find_wire_server(document: Document) -> str | None:
    """The URN of the wire-server helm release: by release name first, then by logical name."""
    releases = [r for r in _resources(document) if r.get("type") == RELEASE_TYPE and r.get("custom")]
    for matches in (
        lambda r: (r.get("inputs") or {}).get("name") == WIRE_SERVER,
        lambda r: r.get("name") == WIRE_SERVER,
    ):
        found = sorted(r["urn"] for r in releases if matches(r))
        if found:
            return found[0]
    return None


def chain_depths(graph: Graph, target: str) -> dict[str, int]:
    """For `target` and everything it waits for: the length of the longest chain ending there (itself included)."""
    depth: dict[str, int] = {}
    visiting: set[str] = set()
    # Iterative post-order: large stacks must not depend on Python's recursion limit.
    stack: list[tuple[str, bool]] = [(target, False)]
    while stack:
        node, expanded = stack.pop()
        if node in depth:
            continue
        if not expanded:
            if node in visiting:
                raise ValueError(f"dependency cycle through {node}")
            visiting.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in graph.get(node, ()) if p not in depth)
            continue
        visiting.discard(node)
        depth[node] = 1 + max((depth[p] for p in graph.get(node, ())), default=0)
    return depth


def longest_chain(graph: Graph, target: str) -> list[str]:
    """The longest chain of resources created one after another, ending with `target` (included).

    Ties go to the smallest URN so the result is stable from run to run.
    """
    depth = chain_depths(graph, target)
    chain = [target]
    while depth[chain[-1]] > 1:
        below = depth[chain[-1]] - 1
        chain.append(min(p for p in graph[chain[-1]] if depth[p] == below))
    return chain[::-1]


def on_longest_chains(graph: Graph, target: str) -> frozenset[str]:
    """Every resource on some longest chain to `target`: what a tie-break could hide from `longest_chain`."""
    depth = chain_depths(graph, target)
    height = {target: 1}  # longest chain from a resource down to target, both included
    # A dependent is always deeper than what it waits for, so deepest first visits dependents first.
    for node in sorted(depth, key=lambda n: -depth[n]):
        for predecessor in graph.get(node, ()):
            if node in height:
                height[predecessor] = max(height.get(predecessor, 0), height[node] + 1)
    return frozenset(n for n in depth if depth[n] + height.get(n, 0) - 1 == depth[target])


def critical_path(document: Document) -> list[str]:
    """URNs of the longest creation chain ending with the wire-server release (last); [] without one."""
    target = find_wire_server(document)
    return longest_chain(creation_graph(document), target) if target else []


def critical_resources(document: Document) -> frozenset[str]:
    """URNs on any longest creation chain to the wire-server release (ties included)."""
    target = find_wire_server(document)
    return on_longest_chains(creation_graph(document), target) if target else frozenset()


def transitive_reduction(graph: Graph) -> Graph:
    """Drop edges implied by a longer chain; the picture stays readable and no ordering is lost.

    Edges of a longest path always survive: a second way between their ends would make the path longer.
    """
    reach: dict[str, frozenset[str]] = {}

    def ancestors(node: str) -> frozenset[str]:
        if node not in reach:
            found: set[str] = set()
            pending = list(graph.get(node, ()))
            while pending:
                current = pending.pop()
                if current not in found:
                    found.add(current)
                    pending.extend(graph.get(current, ()))
            reach[node] = frozenset(found)
        return reach[node]

    reduced: Graph = {}
    for node, direct in graph.items():
        implied: set[str] = set()
        for dependency in direct:
            implied |= ancestors(dependency)
        reduced[node] = frozenset(direct - implied)
    return reduced


def _label(text: str) -> str:
    # Mermaid labels are double-quoted; a quote inside would end the label early.
    return text.replace('"', "#quot;")


def _short_type(resource_type: str) -> str:
    return resource_type.rsplit(":", 1)[-1]


def mermaid(document: Document) -> str:
    """A Mermaid `graph LR` of the custom resources: components as subgraphs, arrows in creation order
    (from what is created first), the critical path to wire-server drawn in red."""
    resources = _resources(document)
    by_urn = {r["urn"]: r for r in resources}
    graph = creation_graph(document)
    edges_by_node = transitive_reduction(graph)
    path = critical_path(document)
    on_path = set(path)
    path_edges = set(pairwise(path))

    node_id = {urn: f"n{i}" for i, urn in enumerate(u for u in by_urn if u in graph)}
    children: dict[str | None, list[str]] = {}
    for resource in resources:
        parent = resource.get("parent")
        children.setdefault(parent if parent in by_urn else None, []).append(resource["urn"])

    lines = ["graph LR"]

    def has_nodes(urn: str) -> bool:
        return urn in node_id or any(has_nodes(child) for child in children.get(urn, []))

    def emit(urns: Iterable[str], depth: int) -> None:
        indent = "  " * depth
        for urn in urns:
            resource = by_urn[urn]
            if urn in node_id:
                read = " (read)" if resource.get("read") else ""
                text = _label(f"{_short_type(resource['type'])}{read}<br/>{resource['name']}")
                lines.append(f'{indent}{node_id[urn]}["{text}"]')
            # A custom resource can parent others (the queue parents its DLQ): they sit beside it.
            kids = [child for child in children.get(urn, []) if has_nodes(child)]
            if not kids:
                continue
            if resource.get("custom"):
                emit(kids, depth)
                continue
            title = _label(f"{_short_type(resource['type'])} {resource['name']}")
            lines.append(f'{indent}subgraph c{list(by_urn).index(urn)}["{title}"]')
            emit(kids, depth + 1)
            lines.append(f"{indent}end")

    emit([urn for urn in children.get(None, []) if has_nodes(urn)], 1)

    critical_links: list[int] = []
    count = 0
    for urn in node_id:  # plan order, then dependencies sorted: the same document gives the same picture
        for dependency in sorted(edges_by_node[urn], key=lambda u: node_id[u]):
            lines.append(f"  {node_id[dependency]} --> {node_id[urn]}")
            if (dependency, urn) in path_edges:
                critical_links.append(count)
            count += 1

    lines.append("  classDef critical fill:#fdd,stroke:#c00,stroke-width:3px")
    if on_path:
        lines.append(f"  class {','.join(node_id[urn] for urn in path)} critical")
    if critical_links:
        lines.append(f"  linkStyle {','.join(map(str, critical_links))} stroke:#c00,stroke-width:3px")
    return "\n".join(lines) + "\n"


__all__ = [
    "chain_depths",
    "creation_graph",
    "critical_path",
    "critical_resources",
    "find_wire_server",
    "longest_chain",
    "mermaid",
    "on_longest_chains",
    "transitive_reduction",
]
