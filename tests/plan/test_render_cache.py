"""plan.render keeps helm's output per run (WIRE_RENDER_CACHE): each distinct render once, copies for callers."""

from __future__ import annotations

from pathlib import Path

import pytest

from plan import render as render_module
from plan.render import RENDER_CACHE_ENV, render
from tests import conftest

FAKE_HELM = """#!/bin/sh
echo run >> "{calls}"
for arg in "$@"; do last_values="$arg"; done
echo "apiVersion: v1"
echo "kind: ConfigMap"
echo "metadata: {{name: cm}}"
echo "data:"
sed 's/^/  /' "$last_values"
echo "---"
echo "# an empty document"
"""


@pytest.fixture
def helm(tmp_path: Path) -> tuple[str, Path]:
    calls = tmp_path / "calls"
    script = tmp_path / "helm"
    script.write_text(FAKE_HELM.format(calls=calls))
    script.chmod(0o755)
    return str(script), calls


def runs(calls: Path) -> int:
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def test_each_distinct_render_runs_helm_once(helm: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    binary, calls = helm
    chart = tmp_path / "chart-1.0.0.tgz"
    chart.write_bytes(b"chart")
    monkeypatch.setenv(RENDER_CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(render_module, "_parsed", type(render_module._parsed)())

    first = render(binary, chart, "r", "ns", {"a": "1"}, "1.31")
    assert first.objects == [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "1"}}]
    first.objects[0]["data"]["a"] = "changed by a caller"
    again = render(binary, chart, "r", "ns", {"a": "1"}, "1.31")
    assert again.objects[0]["data"] == {"a": "1"}  # every caller gets its own copy
    assert runs(calls) == 1

    # Another process sharing the folder reads helm's output from it.
    monkeypatch.setattr(render_module, "_parsed", type(render_module._parsed)())
    assert render(binary, chart, "r", "ns", {"a": "1"}, "1.31").objects == again.objects
    assert runs(calls) == 1

    render(binary, chart, "r", "ns", {"a": "2"}, "1.31")  # other values
    render(binary, chart, "r", "other", {"a": "1"}, "1.31")  # other options
    chart.write_bytes(b"another chart")  # the same file name, other content
    render(binary, chart, "r", "ns", {"a": "1"}, "1.31")
    assert runs(calls) == 4


def test_without_the_folder_every_render_runs_helm(
    helm: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    binary, calls = helm
    chart = tmp_path / "chart-1.0.0.tgz"
    chart.write_bytes(b"chart")
    monkeypatch.delenv(RENDER_CACHE_ENV, raising=False)
    render(binary, chart, "r", "ns", {"a": "1"}, "1.31")
    render(binary, chart, "r", "ns", {"a": "1"}, "1.31")
    assert runs(calls) == 2


def test_the_test_run_sets_the_folder_plan_render_reads() -> None:
    assert conftest.RENDER_CACHE_ENV == RENDER_CACHE_ENV
