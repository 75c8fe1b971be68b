"""plan/render.py without helm: where charts and helm are found, placeholders, schema validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.config import ChartSource
from plan import render

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "brig"},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "brig"}},
        "template": {"metadata": {"labels": {"app": "brig"}}, "spec": {"containers": [{"name": "brig"}]}},
    },
}


def test_valid_objects_pass_and_custom_resources_are_left_alone() -> None:
    certificate = {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "x"}, "spec": {}}
    assert render.schema_problems([DEPLOYMENT, certificate], "1.33") == []


def test_schema_problems_name_the_object_and_field() -> None:
    bad = {**DEPLOYMENT, "spec": {**DEPLOYMENT["spec"], "replicas": "three", "replica": 3}}
    problems = render.schema_problems([bad], "1.33")
    assert "Deployment/brig: spec.replicas: 'three' is not of type 'integer', 'null'" in problems
    assert any("'replica' was unexpected" in problem for problem in problems)
    assert render.schema_problems([{"apiVersion": "v1", "kind": "Nope", "metadata": {"name": "x"}}], "1.33") == [
        "Nope/x: no schema for v1 in Kubernetes 1.33"
    ]


def test_an_object_validated_before_gets_the_same_problems_and_only_for_its_version() -> None:
    bad = {**DEPLOYMENT, "spec": {**DEPLOYMENT["spec"], "replicas": "three"}}
    first = render.schema_problems([bad, bad], "1.33")
    assert first[0] == first[1] and render.schema_problems([bad], "1.33") == first[:1]
    assert render.schema_problems([DEPLOYMENT], "1.33") == []
    unsortable = {**DEPLOYMENT, "metadata": {"name": "brig", "labels": {1: "a", "b": "c"}}}
    assert render.schema_problems([unsortable], "1.33") == render.schema_problems([unsortable], "1.33")


def test_charts_come_from_the_charts_dir_then_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = ChartSource(chart="wire-server", repo="https://charts.example.com", version="5.29.5")
    shipped, cache = tmp_path / "shipped", tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv(render.CHARTS_DIR_ENV, str(shipped))
    assert render.locate_chart(source) is None
    cached = cache / "wire-infra" / "charts" / "wire-server-5.29.5.tgz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    assert render.locate_chart(source) == cached
    shipped.mkdir()
    (shipped / "wire-server-5.29.5.tgz").write_bytes(b"")
    assert render.locate_chart(source) == shipped / "wire-server-5.29.5.tgz"
    local = ChartSource(chart="wire-server", path=str(tmp_path))
    assert render.locate_chart(local) == tmp_path


def test_helm_from_the_environment_or_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helm = tmp_path / "helm"
    helm.write_text("")
    monkeypatch.setenv(render.HELM_ENV, str(helm))
    assert render.find_helm() == str(helm)
    monkeypatch.setenv(render.HELM_ENV, str(tmp_path / "missing"))
    assert render.find_helm() is None
    monkeypatch.delenv(render.HELM_ENV)
    monkeypatch.setenv("PATH", str(tmp_path))
    helm.chmod(0o755)
    assert render.find_helm() == str(helm)


def test_secret_placeholders_render_as_base64() -> None:
    tree = {"secrets": {"configJson": "[secret]", "list": ["[secret]", "plain"]}}
    filled = render._fill_placeholders(tree)
    assert filled == {
        "secrets": {"configJson": render.RENDER_PLACEHOLDER, "list": [render.RENDER_PLACEHOLDER, "plain"]}
    }


def test_a_pinned_version_without_a_packaged_chart_renders_with_its_explicit_stand_in(tmp_path: Path) -> None:
    for name in (
        "wire-server-5.29.5.tgz",
        "wire-server-5.30.0-develop.20260411.tgz",
        "nginx-ingress-services-5.29.5.tgz",
    ):
        (tmp_path / name).write_bytes(b"")
    repo = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"

    def found(chart: str, version: str) -> tuple[str, str | None] | None:
        located = render.locate_chart_or_stand_in(ChartSource(chart=chart, repo=repo, version=version), [tmp_path])
        return None if located is None else (located[0].name, located[1] and located[1].version)

    assert found("wire-server", "5.29.5") == ("wire-server-5.29.5.tgz", None)  # exact: no stand-in
    assert found("wire-server", "5.32.0") == ("wire-server-5.30.0-develop.20260411.tgz", "5.30.0-develop.20260411")
    assert found("wire-server", "5.32.0-pre.3") == (
        "wire-server-5.30.0-develop.20260411.tgz",
        "5.30.0-develop.20260411",
    )
    assert found("wire-server", "5.29.1") == ("wire-server-5.29.5.tgz", "5.29.5")
    assert found("nginx-ingress-services", "5.28.0") == ("nginx-ingress-services-5.29.5.tgz", "5.29.5")
    assert found("nginx-ingress-services", "5.31.0") is None  # its stand-in is not packaged here
    assert found("wire-server", "5.28.0") is None  # no stand-in: another layout may differ
    assert found("webapp", "0.8.0-pre.3297") is None
    assert ChartSource(chart="cert-manager", repo=repo, version="v1.16.3").major_minor == (1, 16)
    assert ChartSource(chart="x", path="./x").major_minor is None
