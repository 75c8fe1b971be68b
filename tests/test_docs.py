"""The operator docs hold together: every relative link in the README and docs/ reaches a file and heading, and
every numbered list, runbook table and numbered step heading counts 1, 2, 3, ... without a gap."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", ROOT / ".github" / "README.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# Fenced code blocks, at any indentation (a list item's code block is indented).
FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
ORDERED_ITEM = re.compile(r"^(\s*)(\d+)[.)](\s+|$)")
BULLET_ITEM = re.compile(r"^(\s*)[-*+]\s")


def prose(text: str) -> str:
    """The text without its fenced code blocks (links, headings and lists in code are examples, not docs)."""
    return FENCE.sub("", text)


def heading_text(heading: str) -> str:
    """A heading as GitHub renders it to text: links keep their text, markup and inline HTML go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text)
    return text


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading (github-slugger): the rendered text in lower case, every character that is
    not a letter, digit, space, hyphen or underscore dropped, each space a hyphen."""
    text = re.sub(r"[^\w\- ]", "", heading_text(heading).strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor of a file; a heading repeated gets -1, -2, ... as GitHub numbers them."""
    seen: dict[str, int] = defaultdict(int)
    found: set[str] = set()
    text = prose(path.read_text())
    for line in text.splitlines():
        if match := HEADING.match(line):
            slug = anchor(match[2])
            found.add(slug if seen[slug] == 0 else f"{slug}-{seen[slug]}")
            seen[slug] += 1
    return found | set(HTML_ANCHOR.findall(text))


def links(path: Path) -> list[str]:
    text = INLINE_CODE.sub("", prose(path.read_text()))
    return [target for target in LINK.findall(text) if "://" not in target]


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
    assert anchor("Copying the assets (steps 3 and 7)") == "copying-the-assets-steps-3-and-7"
    assert anchor("9. Remove fake-aws") == "9-remove-fake-aws"
    assert anchor("Where `pulumi import` is the better tool") == "where-pulumi-import-is-the-better-tool"
    assert anchor("See [the guide](https://example.com) — twice") == "see-the-guide--twice"


def test_repeated_headings_are_numbered_as_github_does(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("# Run\n\n## Run\n\n```sh\n# Run\n```\n\n### Run\n")
    assert anchors(doc) == {"run", "run-1", "run-2"}


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


# Prose and code name a section as `docs/x.md, "Section"` (or `README, "Section"`): it must exist too.
SECTION_REFERENCE = re.compile(r"(README|[\w./-]+\.md)\)?,? \"([^\"\n]+)\"")
SOURCES = ("components", "plan", "verify", "migrate", "review", "bench", "policy", "tests", "docs")


def section_references() -> list[tuple[Path, str, str]]:
    files = [ROOT / "README.md", *ROOT.glob("Pulumi*.yaml")]
    files += [path for folder in SOURCES for path in (ROOT / folder).rglob("*") if path.suffix in (".py", ".md")]
    return [
        (path, target, section)
        for path in files
        for target, section in SECTION_REFERENCE.findall(path.read_text())
        if path.name != "test_docs.py"
    ]


def test_sections_named_in_prose_and_code_exist() -> None:
    missing = []
    for path, target, section in section_references():
        name = "README.md" if target == "README" else target
        candidates = [ROOT / name, path.parent / name, ROOT / "docs" / Path(name).name]
        linked = next((candidate for candidate in candidates if candidate.is_file()), None)
        if linked is None:
            missing.append(f"{path.relative_to(ROOT)}: {target} does not exist")
        elif anchor(section) not in anchors(linked):
            missing.append(f'{path.relative_to(ROOT)}: {target} has no section "{section}"')
    assert missing == []


# --- numbering -------------------------------------------------------------------------------------------------


def numbering_problems(text: str) -> list[str]:
    """Ordered lists that skip or repeat a number, tables of numbered steps (first column `#` or `Step`) that do,
    and numbered headings (`### 3. ...`) that are not 1, 2, 3, ... among the headings under the same parent."""
    problems: list[str] = []
    lines = prose(text).splitlines()
    # Ordered lists: open lists as (indent, content indent, last number); a line less indented than a list's
    # content after a blank line, a bullet at its indent, or a heading ends it.
    lists: list[list[int]] = []
    blank_before = True
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if not stripped:
            blank_before = True
            continue
        if HEADING.match(line):
            lists.clear()
        elif item := ORDERED_ITEM.match(line):
            lists[:] = [open_ for open_ in lists if open_[0] <= indent]
            number = int(item[2])
            if lists and lists[-1][0] == indent:
                if number != lists[-1][2] + 1:
                    problems.append(f"list item {number} after {lists[-1][2]}: {stripped[:60]}")
                lists[-1][2] = number
            else:
                lists.append([indent, indent + len(item[0].lstrip()) if item[3] else indent + 3, number])
        elif bullet := BULLET_ITEM.match(line):
            lists[:] = [open_ for open_ in lists if open_[0] < len(bullet[1])]
        elif blank_before:
            lists[:] = [open_ for open_ in lists if open_[1] <= indent]
        blank_before = False
    # Tables of steps.
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        if line.lstrip().startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if len(rows) > 2 and rows[0][0] in ("#", "Step", "Step #"):
            numbers = [row[0] for row in rows[2:]]
            expected = [str(n) for n in range(1, len(numbers) + 1)]
            if numbers != expected:
                problems.append(f"table of steps numbered {numbers}, not {expected}")
        rows = []
    # Numbered headings, per parent heading.
    counters: dict[tuple[str, int], list[int]] = defaultdict(list)
    parents: dict[int, str] = {}
    for line in lines:
        if not (match := HEADING.match(line)):
            continue
        level, title = len(match[1]), match[2]
        parents = {lvl: text for lvl, text in parents.items() if lvl < level}
        parent = parents.get(max(parents, default=0), "")
        parents[level] = title
        if title[:1].isdigit():
            step = re.match(r"(\d+)\. \S", title)
            if not step:
                problems.append(f"heading '{title}': a numbered heading is 'N. title', one step each")
                continue
            counters[(parent, level)].append(int(step[1]))
    for (parent, _), numbers in counters.items():
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"step headings under '{parent or '(top)'}' numbered {numbers}")
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_numbered_lists_tables_and_step_headings_count_without_gaps(doc: Path) -> None:
    assert numbering_problems(doc.read_text()) == [], doc.relative_to(ROOT)


def test_the_numbering_rule() -> None:
    """The check finds what issue 27 found in migration.md: steps 1, 2, 4, 5, 6, 8 and a '3 and 7'."""
    runbook = "## Runbook\n\n### 1. a\n\n### 2. b\n\n### 4. d\n\n## 3 and 7. Copy\n"
    problems = numbering_problems(runbook)
    assert any("'3 and 7. Copy'" in problem for problem in problems)
    assert any("numbered [1, 2, 4]" in problem for problem in problems)
    good = "1. a\n   more\n\n   ```sh\n   x\n   ```\n\n2. b\n   - nested\n     1. one\n     2. two\n3. c\n"
    good += "\nText.\n\n1. new list\n"
    assert numbering_problems(good) == []
    assert numbering_problems("1. a\n2. b\n4. c\n") == ["list item 4 after 2: 4. c"]
    assert numbering_problems("| # | Step |\n|---|---|\n| 1 | a |\n| 3 | b |\n") == [
        "table of steps numbered ['1', '3'], not ['1', '2']"
    ]
    assert numbering_problems("# A\n\n## 1. x\n\n### 1. sub\n\n## 2. y\n\n# B\n\n## 1. z\n") == []
