"""The NetworkPolicies component under the Pulumi mocks: registered after wire-server exactly when enforced, one per
derived manifest, in preview too (names known before the AWS outputs)."""

from __future__ import annotations

from components.k8s.netpol import network_policies, policy_names
from components.k8s.values import release_values
from components.k8s.values.common import WIRE_SERVER
from components.outputs import redact
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from tests.components.k8s.test_releases import evaluate

POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
RELEASE = "kubernetes:helm.sh/v3:Release"


def test_enforced_policies_are_registered_after_wire_server() -> None:
    cfg = make_cfg()
    evaluation, _ = evaluate(cfg)
    registered = {r.name: r for r in evaluation.find(POLICY)}
    assert sorted(registered) == sorted(policy_names(cfg))
    wire_server = evaluation.one(RELEASE, "wire-server")
    expected = {
        doc["metadata"]["name"]: doc
        for doc in network_policies(cfg, redact(release_values(cfg, aws_outputs(cfg))[WIRE_SERVER]))
    }
    for name, resource in registered.items():
        assert wire_server.urn in resource.dependencies
        assert resource.inputs["spec"] == expected[name]["spec"]
        assert resource.inputs["metadata"]["namespace"] == cfg.kubernetes.namespace


def test_off_registers_none() -> None:
    evaluation, _ = evaluate(make_cfg(networkPolicies="off"))
    assert evaluation.find(POLICY) == []


def test_preview_names_every_policy() -> None:
    cfg = make_cfg()
    evaluation, _ = evaluate(cfg, preview=True)
    assert sorted(r.name for r in evaluation.find(POLICY)) == sorted(policy_names(cfg))
