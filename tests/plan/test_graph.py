"""plan/graph.py on synthetic plan.json documents: component expansion, ties, the picture's shape."""

from __future__ import annotations

import re
from typing import Any

import pytest

from plan.graph import (
    creation_graph,
    critical_path,
    critical_resources,
    find_wire_server,
    mermaid,
    transitive_reduction,
)

STACK = "urn:pulumi:t::wire::"


def urn(type_: str, name: str) -> str:
    return f"{STACK}{type_}::{name}"


def res(
    type_: str,
    name: str,
    *,
    deps: tuple[str, ...] = (),
    parent: str | None = None,
    custom: bool = True,
    inputs: dict[str, Any] | None = None,
    read: bool = False,
) -> dict[str, Any]:
    return {
        "urn": urn(type_, name),
        "type": type_,
        "name": name,
        "parent": parent,
        "dependencies": list(deps),
        "custom": custom,
        "protect": False,
        "retainOnDelete": False,
        "read": read,
        "inputs": inputs if inputs is not None else {},
        "secretOutputs": [],
    }


def doc(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "project": "wire", "stack": "t", "resources": list(resources)}


RELEASE = "kubernetes:helm.sh/v3:Release"
QUEUE = "aws:sqs/queue:Queue"
COMPONENT = "wire:aws:EncryptedQueue"


def release(name: str, deps: tuple[str, ...] = (), logical: str | None = None) -> dict[str, Any]:
    return res(RELEASE, logical or name, deps=deps, inputs={"name": name})


def test_component_dependency_waits_for_every_custom_descendant_recursively() -> None:
    component = res(COMPONENT, "q", custom=False)
    inner = res("wire:aws:Inner", "inner", custom=False, parent=component["urn"])
    dlq = res(QUEUE, "q-dlq", parent=component["urn"])
    queue = res(QUEUE, "q", parent=inner["urn"], deps=(dlq["urn"],))
    wire = release("wire-server", deps=(component["urn"],))
    graph = creation_graph(doc(component, inner, dlq, queue, wire))
    assert graph[wire["urn"]] == {dlq["urn"], queue["urn"]}
    assert component["urn"] not in graph  # components are not created, only their children
    assert critical_path(doc(component, inner, dlq, queue, wire)) == [dlq["urn"], queue["urn"], wire["urn"]]


def test_parent_alone_is_not_a_creation_dependency() -> None:
    bucket = res("aws:s3/bucket:Bucket", "b")
    child = res("aws:s3/bucketPolicy:BucketPolicy", "p", parent=bucket["urn"])
    wire = release("wire-server", deps=(child["urn"],))
    assert critical_path(doc(bucket, child, wire)) == [child["urn"], wire["urn"]]


def test_providers_and_unknown_dependencies_are_ignored() -> None:
    provider = res("pulumi:providers:aws", "aws")
    table = res("aws:dynamodb/table:Table", "t", deps=(provider["urn"], f"{STACK}pulumi:pulumi:Stack::wire-t"))
    wire = release("wire-server", deps=(table["urn"],))
    graph = creation_graph(doc(provider, table, wire))
    assert provider["urn"] not in graph
    assert graph[table["urn"]] == frozenset()


def test_ties_go_to_the_smallest_urn_and_critical_resources_lists_every_tied_chain() -> None:
    a1 = res(QUEUE, "a1")
    a2 = res(QUEUE, "a2", deps=(a1["urn"],))
    b1 = res(QUEUE, "b1")
    b2 = res(QUEUE, "b2", deps=(b1["urn"],))
    short = res(QUEUE, "c")
    wire = release("wire-server", deps=(b2["urn"], a2["urn"], short["urn"]))
    document = doc(b1, b2, a1, a2, short, wire)
    assert critical_path(document) == [a1["urn"], a2["urn"], wire["urn"]]
    assert critical_resources(document) == {a1["urn"], a2["urn"], b1["urn"], b2["urn"], wire["urn"]}
    assert critical_path(doc(*reversed(document["resources"]))) == critical_path(document)


def test_ses_and_dns_off_the_path_when_nothing_waits_for_them() -> None:
    identity = res("aws:sesv2/emailIdentity:EmailIdentity", "example.com")
    record = res("aws:route53/record:Record", "dkim", deps=(identity["urn"],))
    role = res("aws:iam/role:Role", "brig")
    wire = release("wire-server", deps=(role["urn"],))
    assert critical_resources(doc(identity, record, role, wire)) == {role["urn"], wire["urn"]}


def test_ses_on_a_tied_chain_is_reported_even_when_the_tie_break_hides_it() -> None:
    identity = res("aws:sesv2/emailIdentity:EmailIdentity", "z-identity")
    policy = res("aws:sqs/queuePolicy:QueuePolicy", "brig", deps=(identity["urn"],))  # sorts after the queue
    dlq = res(QUEUE, "a-dlq")
    queue = res(QUEUE, "a", deps=(dlq["urn"],))
    wire = release("wire-server", deps=(policy["urn"], queue["urn"]))
    document = doc(identity, policy, dlq, queue, wire)
    assert identity["urn"] not in critical_path(document)
    assert identity["urn"] in critical_resources(document)


def test_wire_server_found_by_release_name_then_logical_name() -> None:
    by_input = release("wire-server", logical="wire")
    other = release("webapp", logical="wire-server")
    assert find_wire_server(doc(other, by_input)) == by_input["urn"]
    assert find_wire_server(doc(release("x", logical="wire-server"))) == urn(RELEASE, "wire-server")
    assert find_wire_server(doc(res(QUEUE, "wire-server"))) is None
    assert critical_path(doc(res(QUEUE, "q"))) == []


def test_a_cycle_is_an_error_not_a_hang() -> None:
    a = res(QUEUE, "a", deps=(urn(QUEUE, "b"),))
    b = res(QUEUE, "b", deps=(a["urn"],))
    wire = release("wire-server", deps=(a["urn"],))
    with pytest.raises(ValueError, match="cycle"):
        critical_path(doc(a, b, wire))


def test_long_chains_do_not_hit_the_recursion_limit() -> None:
    chain = [res(QUEUE, "q0")]
    for i in range(1, 3000):
        chain.append(res(QUEUE, f"q{i}", deps=(chain[-1]["urn"],)))
    wire = release("wire-server", deps=(chain[-1]["urn"],))
    assert len(critical_path(doc(*chain, wire))) == 3001


def test_transitive_reduction_drops_implied_edges_only() -> None:
    graph = {"a": frozenset(), "b": frozenset({"a"}), "c": frozenset({"a", "b"}), "d": frozenset({"a"})}
    assert transitive_reduction(graph) == {
        "a": frozenset(),
        "b": frozenset({"a"}),
        "c": frozenset({"b"}),
        "d": frozenset({"a"}),
    }


def _example() -> dict[str, Any]:
    component = res("wire:aws:AssetStorage", "assets", custom=False)
    bucket = res("aws:s3/bucket:Bucket", 'my"bucket', parent=component["urn"])
    cdn = res("aws:cloudfront/distribution:Distribution", "cdn", parent=component["urn"], deps=(bucket["urn"],))
    releases = res("wire:k8s:WireReleases", "wire", custom=False)
    wire = res(RELEASE, "wire-server", parent=releases["urn"], deps=(component["urn"],), inputs={"name": "wire-server"})
    service = res("kubernetes:core/v1:Service", "cannon", parent=releases["urn"], deps=(wire["urn"],), read=True)
    role = res("aws:iam/role:Role", "lonely")
    return doc(component, bucket, cdn, releases, wire, service, role)


def test_mermaid_shape_subgraphs_edges_and_highlighted_path() -> None:
    text = mermaid(_example())
    lines = text.splitlines()
    assert lines[0] == "graph LR"
    assert text.endswith("\n")
    assert sum(line.strip().startswith("subgraph ") for line in lines) == 2
    assert sum(line.strip() == "end" for line in lines) == 2
    nodes = dict(re.findall(r'^\s+(n\d+)\["([^"]*)"\]$', text, flags=re.M))
    assert len(nodes) == 5  # components are subgraphs, not nodes
    assert "#quot;" in next(label for label in nodes.values() if label.startswith("Bucket"))
    assert any("(read)" in label for label in nodes.values())
    edges = re.findall(r"^\s+(n\d+) --> (n\d+)$", text, flags=re.M)
    by_label = {label.split("<br/>")[0]: node for node, label in nodes.items()}
    # bucket -> cdn -> release -> service; bucket -> release is implied by the cdn and dropped.
    assert edges == [
        (by_label["Bucket"], by_label["Distribution"]),
        (by_label["Distribution"], by_label["Release"]),
        (by_label["Release"], by_label["Service (read)"]),
    ]
    assert "classDef critical" in text
    critical = re.search(r"^\s+class ([\w,]+) critical$", text, flags=re.M)
    assert critical is not None
    assert critical.group(1).split(",") == [by_label["Bucket"], by_label["Distribution"], by_label["Release"]]
    assert re.search(r"^\s+linkStyle 0,1 stroke", text, flags=re.M)


def test_mermaid_without_wire_server_has_no_highlight() -> None:
    text = mermaid(doc(res(QUEUE, "a"), res(QUEUE, "b", deps=(urn(QUEUE, "a"),))))
    assert "  class " not in text
    assert "linkStyle" not in text
    assert mermaid(doc()) == "graph LR\n  classDef critical fill:#fdd,stroke:#c00,stroke-width:3px\n"
