"""The operator docs hold together: every relative link in the README and docs/ reaches a file and heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {anchor(heading) for heading in HEADING.findall(FENCE.sub("", path.read_text()))}


def links(path: Path) -> list[str]:
    return [target for target in LINK.findall(FENCE.sub("", path.read_text())) if "://" not in target]


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_relative_links_reach_a_file_and_heading(doc: Path) -> None:
    broken = []
    for target in links(doc):
        if target.startswith("mailto:"):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no heading #{fragment}")
    assert not broken, f"{doc.relative_to(ROOT)}: {broken}"


def test_the_readme_links_every_doc() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [path.name for path in (ROOT / "docs").glob("*.md") if f"(docs/{path.name}" not in readme]
    assert not missing, f"README.md does not link {missing}"


def test_the_anchor_rule() -> None:
    assert anchor("Cluster add-ons for `ingress.controller: awsNlb`") == "cluster-add-ons-for-ingresscontroller-awsnlb"
    assert anchor("Performance (benchmarks)") == "performance-benchmarks"


def test_readme_names_every_pinned_chart_version() -> None:
    from components.config.charts import Charts

    readme = (ROOT / "README.md").read_text()
    charts = Charts()
    missing = [
        f"{source.chart} {source.version}"
        for source in (getattr(charts, name) for name in type(charts).model_fields)
        if f"| {source.chart} | {source.version} |" not in readme
    ]
    assert not missing, f"README's 'Tested chart versions' table lacks {missing}"


def test_readme_says_which_chart_rendered_each_pinned_version() -> None:
    """A pin without its own packaged chart is described with the stand-in that rendered it; "rendered (exact)"
    only where the pinned chart itself is packaged (needs WIRE_CHARTS_DIR: the charts available here)."""
    import os

    from components.config.charts import Charts
    from plan.render import locate_chart, stand_in

    if not os.environ.get("WIRE_CHARTS_DIR"):
        if os.environ.get("CI") == "true":
            pytest.fail("set WIRE_CHARTS_DIR: the README's table is checked against the packaged charts")
        pytest.skip("set WIRE_CHARTS_DIR=<folder of packaged charts> to check the README's table against them")
    readme = (ROOT / "README.md").read_text()
    charts = Charts()
    wrong = []
    for source in (getattr(charts, name) for name in type(charts).model_fields):
        row = next(line for line in readme.splitlines() if line.startswith(f"| {source.chart} | {source.version} |"))
        exact = locate_chart(source) is not None
        if "rendered (exact" in row and not exact:
            wrong.append(f"{source.chart} {source.version}: says exact, but no such chart is packaged")
        substitute = stand_in(source)
        if not exact and substitute is not None and substitute.version not in row:
            wrong.append(
                f"{source.chart} {source.version}: rendered with {substitute.version}, the row does not say so"
            )
        if not exact and substitute is None and "values checked as data" not in row:
            wrong.append(
                f"{source.chart} {source.version}: not rendered here, the row must say 'values checked as data'"
            )
    assert wrong == []
