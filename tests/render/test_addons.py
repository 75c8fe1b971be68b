"""The add-on charts render with the values the program writes: cert-manager (its pinned chart) and the AWS Load
Balancer Controller (the pinned chart 1.17.1 and 1.7.2, the previous pin installations move from), for every
stack that installs them, with kubernetes-validate over all objects (CRDs included; custom resources are
left to their CRD schemas)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.config import ChartSource, StackConfig
from components.config.addons import CERT_MANAGER_NAMESPACE, LB_CONTROLLER_NAMESPACE
from components.k8s.values.addons import (
    AWS_LOAD_BALANCER_CONTROLLER,
    CERT_MANAGER,
    IRSA_ANNOTATION,
    aws_load_balancer_controller_values,
    cert_manager_values,
)
from plan.render import RenderError, locate_chart, render, schema_problems
from tests.render.render_support import STACKS, helm_or_skip, kube_version, stack_cfg, unavailable

ROLE = "arn:aws:iam::123456789012:role/prod-addon"
# The controller versions rendered: the pin, and the previous pin (chart 1.7.2 = controller v2.7.2).
LB_CONTROLLER_CHARTS = ("1.17.1", "1.7.2")


def _installing(addon: str) -> list[str]:
    """The stacks installing the add-on, one per distinct values tree and chart (the rest render the same)."""
    seen: dict[str, str] = {}
    for stack in sorted(STACKS):
        cfg = stack_cfg(f"{stack}@5.30")
        if not getattr(cfg.addons, addon).install:
            continue
        tree = cert_manager_values(ROLE) if addon == "cert_manager" else aws_load_balancer_controller_values(cfg, ROLE)
        source = getattr(cfg.charts, addon)
        key = json.dumps([tree, source.model_dump(), kube_version(cfg)], sort_keys=True)
        seen.setdefault(key, stack)
    return sorted(seen.values())


def _chart(source: ChartSource) -> Path:
    chart = locate_chart(source)
    if chart is None:
        unavailable(f"chart {source.chart} {source.version} not found")
    assert chart is not None
    return chart


def _render(cfg: StackConfig, source: ChartSource, release: str, namespace: str, values: dict) -> list[dict]:
    helm = helm_or_skip()
    try:
        rendered = render(helm, _chart(source), release, namespace, values, kube_version(cfg))
    except RenderError as error:
        pytest.fail(f"helm template failed: {error}")
    problems = schema_problems(rendered.objects, kube_version(cfg))
    assert problems == []
    return rendered.objects


def _chart_defaults(source: ChartSource) -> dict:
    import subprocess

    import yaml

    shown = subprocess.run([helm_or_skip(), "show", "values", str(_chart(source))], capture_output=True, text=True)
    return yaml.safe_load(shown.stdout)


def _service_account(objects: list[dict], name: str) -> dict:
    return next(obj for obj in objects if obj["kind"] == "ServiceAccount" and obj["metadata"]["name"] == name)


@pytest.mark.parametrize("stack", _installing("cert_manager"))
def test_cert_manager_renders_with_its_role(stack: str) -> None:
    cfg = stack_cfg(f"{stack}@5.30")
    values = cert_manager_values(ROLE)
    objects = _render(cfg, cfg.charts.cert_manager, CERT_MANAGER, CERT_MANAGER_NAMESPACE, values)
    # The chart's own keys for what the values set (the chart packaged from git lacks the CRD template that
    # cert-manager's release build generates, so the CRDs themselves are not rendered here).
    defaults = _chart_defaults(cfg.charts.cert_manager)
    assert set(values["crds"]) <= set(defaults["crds"])
    for crd in (obj for obj in objects if obj["kind"] == "CustomResourceDefinition"):
        assert crd["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    account = _service_account(objects, "cert-manager")
    assert account["metadata"]["annotations"][IRSA_ANNOTATION] == ROLE


@pytest.mark.parametrize("version", LB_CONTROLLER_CHARTS)
@pytest.mark.parametrize("stack", _installing("aws_load_balancer_controller"))
def test_aws_load_balancer_controller_renders_for_the_cluster(stack: str, version: str) -> None:
    cfg = stack_cfg(f"{stack}@5.30")
    source = cfg.charts.aws_load_balancer_controller.model_copy(update={"version": version})
    values = aws_load_balancer_controller_values(cfg, ROLE)
    objects = _render(cfg, source, AWS_LOAD_BALANCER_CONTROLLER, LB_CONTROLLER_NAMESPACE, values)
    deployment = next(obj for obj in objects if obj["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 2
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    addon = cfg.addons.aws_load_balancer_controller
    assert f"--cluster-name={addon.cluster_name}" in args
    assert f"--aws-region={cfg.region}" in args
    if addon.vpc_id is not None:
        assert f"--aws-vpc-id={addon.vpc_id}" in args
    account = _service_account(objects, "aws-load-balancer-controller")
    assert account["metadata"]["annotations"][IRSA_ANNOTATION] == ROLE
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "aws-load-balancer-controller"


def test_some_stack_installs_each_add_on() -> None:
    assert _installing("cert_manager") and _installing("aws_load_balancer_controller")


def test_the_render_command_renders_every_release_and_names_its_stand_ins(capsys: pytest.CaptureFixture[str]) -> None:
    from plan.render import main

    helm_or_skip()
    _chart(stack_cfg("stack:prod@5.30").charts.cert_manager)
    status = main(["--stack", "prod"])
    out = capsys.readouterr().out
    for release in ("cert-manager", "aws-load-balancer-controller", "ingress-nginx", "account-pages"):
        assert f"✔ {release}: " in out
    assert "wire-server-5.32.0.tgz is not here; rendering with wire-server-5.30.0-develop.20260411.tgz" in out
    assert "✔ wire-server: " in out and "✔ nginx-ingress-services: " in out
    # webapp and team-settings 0.16.0 are not packaged here: named, and the command fails.
    assert "webapp: chart webapp-" in out and status == 1
