"""The whole program (components/stack.py): AWS only, without releases (`kubernetes.releases: false`)."""

from __future__ import annotations

from typing import Any

import pulumi

from components.k8s.values import release_names
from components.stack import build
from plan.mocks import run_program
from tests.components.aws.aws_support import REGION, config
from tests.components.config.config_support import base, problems

TARGET = {"zoneId": "Z0123456789EXAMPLE", "target": {"hostname": "lb-1.elb.eu-central-1.amazonaws.com"}}


def evaluate(cfg):
    def program() -> Any:
        built = build(cfg)
        return pulumi.Output.all(**built.value_trees)

    return run_program(program, config={"aws:region": REGION})


def test_aws_only_registers_no_kubernetes_resource_but_computes_every_release_value() -> None:
    cfg = config(kubernetes={"releases": False}, dns=TARGET, ingress={"controller": "awsNlb"})
    evaluation = evaluate(cfg)
    assert not [r for r in evaluation.resources if r.type.startswith(("kubernetes:", "wire:k8s:"))]
    assert evaluation.stack_outputs["releases"] == []
    assert sorted(evaluation.result) == sorted(release_names(cfg))
    assert evaluation.result["wire-server"]["gundeck"]["config"]["aws"]["queueName"] == "prod-gundeck-events"
    records = {r.inputs["name"]: r for r in evaluation.find("aws:route53/record:Record")}
    assert records["nginz-https.example.com"].inputs["records"] == ["lb-1.elb.eu-central-1.amazonaws.com"]


def test_aws_only_refuses_cluster_settings_it_would_ignore() -> None:
    found = problems(base(kubernetes={"releases": False, "context": "kind-wire"}))
    assert found == [
        "wire:kubernetes: context only say where the releases go, and releases is false (AWS only): "
        "remove them, or set releases: true"
    ]


def test_aws_only_cannot_point_dns_at_an_ingress_controller_it_does_not_deploy() -> None:
    found = problems(
        base(
            kubernetes={"releases": False},
            dns={"zoneId": "Z0123456789EXAMPLE", "target": {"fromIngressController": True}},
            ingress={"controller": "awsNlb"},
        )
    )
    assert len(found) == 1 and "fromIngressController: reads the ingress controller" in found[0], found
