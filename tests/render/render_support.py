"""Rendering the stacks of tests/render/variants.py with the real charts, and reading the objects back."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from components import yaml_text
from components.config import ChartSource, StackConfig
from components.config.wire_builds import release_chart_sources
from components.k8s.netpol import network_policies
from components.k8s.values import WIRE_SERVER, release_chart, release_namespace, release_values
from components.outputs import redact
from plan.render import (
    ENABLE_HINT,
    RenderError,
    StandIn,
    find_helm,
    locate_chart_or_stand_in,
    render,
)
from tests.components.k8s.k8s_support import aws_outputs, stack_file_cfg
from tests.render.variants import stack_files
from tests.run_notes import note

IN_CI = os.environ.get("CI") == "true"
# Charts that are not among the pinned ones shipped for offline rendering: rendered when present, else skipped
# (their values are checked as data in tests/components/k8s/values/).
OPTIONAL_CHARTS = ("webapp", "team-settings")

# Every stack renders on both wire-server layouts (components/k8s/values/layout.py): `@5.29` pins wire-server
# and nginx-ingress-services 5.29.5 (what installations upgrade from); `@5.30` keeps the stack's pins when they
# have the 5.30+ layout, else takes the newest release's.
LAYOUTS = ("5.29", "5.30")
INLINE_PROXY_VERSION = "5.29.5"

STACKS = stack_files()
STACK_IDS = [f"{stack}@{layout}" for stack in sorted(STACKS) for layout in LAYOUTS]

# Why render tests did not run, and the pinned charts rendered with a stand-in of the same layout
# (plan/render.STAND_INS): each reported once at the end of the run (tests/run_notes.py).
SKIPPED_NOTE = f"render tests skipped ({{}}): to run them, {ENABLE_HINT}"
STAND_INS_NOTE = "render tests: {}"

# The pseudo-release of Manifests.by_release that holds the program's NetworkPolicies.
NETWORK_POLICIES = "network-policies"

POD_KINDS = {"Deployment": "spec", "StatefulSet": "spec", "DaemonSet": "spec", "Job": "spec", "Pod": None}


@functools.cache
def stack_cfg(stack_id: str) -> StackConfig:
    """The stack's configuration with the wire-server layout of its id (`<stack>@<layout>`)."""
    stack, _, layout = stack_id.partition("@")
    return with_layout(stack_file_cfg(STACKS[stack]), layout)


def with_layout(cfg: StackConfig, layout: str) -> StackConfig:
    charts = cfg.charts
    if layout == "5.29":
        repo = release_chart_sources(None)["wireServer"]["repo"]
        pinned = {
            name: ChartSource(chart=getattr(charts, name).chart, repo=repo, version=INLINE_PROXY_VERSION)
            for name in ("wire_server", "nginx_ingress_services")
        }
        return cfg.model_copy(update={"charts": charts.model_copy(update=pinned)})
    if layout == "5.30" and (charts.wire_server.major_minor or (0, 0)) < (5, 30):
        newest = ChartSource(**release_chart_sources(None)["wireServer"])
        return cfg.model_copy(update={"charts": charts.model_copy(update={"wire_server": newest})})
    return cfg


def kube_version(cfg: StackConfig) -> str:
    return getattr(cfg.kubernetes, "version", "1.31")


def unavailable(reason: str) -> None:
    """Skip (with the hint how to enable the render tests), or fail in CI where the charts must be there."""
    if IN_CI:
        pytest.fail(f"render tests need helm and the pinned charts in CI: {reason}; {ENABLE_HINT}")
    note(SKIPPED_NOTE, reason)
    pytest.skip(f"render tests: {reason}; {ENABLE_HINT}")


def helm_or_skip() -> str:
    helm = find_helm()
    if helm is None:
        unavailable("no helm binary")
    assert helm is not None
    return helm


def chart_or_skip(cfg: StackConfig, release: str) -> Path:
    source = release_chart(cfg, release)
    found = locate_chart_or_stand_in(source)
    if found is None:
        if source.chart in OPTIONAL_CHARTS:
            pytest.skip(f"chart {source.chart} {source.version} not available (optional)")
        unavailable(f"chart {source.chart} {source.version} not found")
    assert found is not None
    note_stand_in(source, *found)
    return found[0]


def note_stand_in(source: ChartSource, chart: Path, used: StandIn | None) -> None:
    if used is not None:
        note(STAND_INS_NOTE, f"{source.chart} {source.version} rendered with {chart.name} ({used.why})")


def values_of(cfg: StackConfig) -> dict[str, Any]:
    """Every release's values for `cfg`, secrets as `[secret]` placeholders."""
    return {release: redact(tree) for release, tree in release_values(cfg, aws_outputs(cfg)).items()}


@dataclass
class Manifests:
    """The objects of every release of one stack."""

    by_release: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Parsed service configurations: read-only like the objects, which every test of the stack shares.
    _configs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)

    def all(self) -> Iterator[dict[str, Any]]:
        for objects in self.by_release.values():
            yield from objects

    def find(self, kind: str, name: str) -> dict[str, Any] | None:
        for obj in self.all():
            if obj.get("kind") == kind and obj["metadata"].get("name") == name:
                return obj
        return None

    def get(self, kind: str, name: str) -> dict[str, Any]:
        found = self.find(kind, name)
        assert found is not None, f"no {kind}/{name} rendered"
        return found

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.all() if obj.get("kind") == kind]

    def service_config(self, configmap: str, key: str | None = None) -> dict[str, Any]:
        """The YAML service configuration inside a ConfigMap (`<name>.yaml` unless `key` is given)."""
        where = (configmap, key or f"{configmap}.yaml")
        if where not in self._configs:
            data = self.get("ConfigMap", configmap).get("data") or {}
            self._configs[where] = yaml_text.load(data[where[1]])
        return self._configs[where]

    def config_text(self, configmap: str, key: str) -> str:
        return (self.get("ConfigMap", configmap).get("data") or {})[key]

    def containers(self, kind: str, name: str) -> list[dict[str, Any]]:
        spec = pod_spec(self.get(kind, name))
        return list(spec.get("containers") or []) + list(spec.get("initContainers") or [])

    def env(self, kind: str, name: str, container: str | None = None) -> dict[str, Any]:
        """Environment of a workload's container (the first one unless named): name -> value or valueFrom."""
        for candidate in self.containers(kind, name):
            if container is None or candidate["name"] == container:
                return {item["name"]: item.get("value", item.get("valueFrom")) for item in candidate.get("env") or []}
        raise AssertionError(f"{kind}/{name} has no container {container}")

    def secret_keys(self, name: str) -> set[str]:
        secret = self.get("Secret", name)
        return set(secret.get("data") or {}) | set(secret.get("stringData") or {})

    def annotations(self, kind: str, name: str) -> dict[str, str]:
        return self.get(kind, name)["metadata"].get("annotations") or {}


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    if obj["kind"] == "Pod":
        return obj["spec"]
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def workloads(manifests: Manifests) -> Iterator[dict[str, Any]]:
    for obj in manifests.all():
        if obj.get("kind") in ("Deployment", "StatefulSet", "DaemonSet", "Job", "Pod", "CronJob"):
            yield obj


@functools.cache
def _charts_or_skip(stack_id: str) -> None:
    """helm and every pinned chart of the stack are here: checked once per stack (a skip is not cached)."""
    cfg = stack_cfg(stack_id)
    helm_or_skip()
    for release in values_of(cfg):
        source = release_chart(cfg, release)
        if source.chart not in OPTIONAL_CHARTS:
            chart_or_skip(cfg, release)


@functools.cache
def _render_stack(stack_id: str) -> Manifests | RenderError:
    cfg = stack_cfg(stack_id)
    helm = find_helm()
    assert helm is not None
    manifests = Manifests()
    values = values_of(cfg)
    for release, tree in values.items():
        found = locate_chart_or_stand_in(release_chart(cfg, release))
        if found is None:  # an optional chart (checked by the caller)
            continue
        chart = found[0]
        try:
            rendered = render(helm, chart, release, release_namespace(cfg, release), tree, kube_version(cfg))
        except RenderError as error:
            return error
        manifests.by_release[release] = rendered.objects
    # The NetworkPolicies the program registers beside the releases (wire:networkPolicies), checked with them.
    manifests.by_release[NETWORK_POLICIES] = network_policies(cfg, values.get(WIRE_SERVER) or {})
    return manifests


def rendered(stack_id: str) -> Manifests:
    """Every release of the stack rendered by its pinned chart (skip when helm or a chart is missing)."""
    _charts_or_skip(stack_id)
    result = _render_stack(stack_id)
    if isinstance(result, RenderError):
        pytest.fail(f"helm template failed: {result}")
    return result
