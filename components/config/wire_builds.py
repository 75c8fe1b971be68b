"""Wire's release manifests: which chart versions Wire ships together, and from which helm repository.

Wire publishes one `build.json` per release branch of wireapp/wire-builds (`2026-q1`, `2026-q2`, ...): every
chart of the release with its version and repository. `data/wire-builds/<branch>.json` keeps the rows of the
charts this program deploys, with the branch and commit they were read from. `wire:release` names one of
them; `wire:charts.<release>` still overrides one chart.

Refresh a manifest from a `build.json` an operator downloaded (no network here):

    curl -fsSLo build.json https://raw.githubusercontent.com/wireapp/wire-builds/<commit>/build.json
    python -m components.config.wire_builds refresh build.json --branch 2026-q2 --commit <commit>

Nothing here imports Pulumi; the files are read on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data" / "wire-builds"
MANIFEST_SOURCE = "https://github.com/wireapp/wire-builds/blob/{commit}/build.json"

# Chart name in a manifest -> its `wire:charts` key: the charts a release sets.
RELEASE_CHARTS = {
    "wire-server": "wireServer",
    "nginx-ingress-services": "nginxIngressServices",
    "webapp": "webapp",
    "team-settings": "teamSettings",
    "account-pages": "accountPages",
    "cert-manager": "certManager",
}
# Wire lists cert-manager 1.16.3 from its own repository. What that package is (jetstack's chart re-published,
# or a wrapper with its own values) is not documented in wire-server, wire-server-deploy or wire-builds, and
# its chart version lacks the `v` that every jetstack cert-manager chart version has. Until that is known the
# program installs jetstack's chart of the same cert-manager release, whose values it writes and renders
# (docs/addons.md).
UPSTREAM_CERT_MANAGER_REPO = "https://charts.jetstack.io"

_BRANCH_RE = re.compile(r"^[0-9]{4}-q[1-4]$")
_COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class WireRelease:
    """One release manifest: its branch (the release's name), the commit read, and its chart rows."""

    name: str
    commit: str
    charts: dict[str, dict[str, str]]
    """Manifest chart name -> {"version", "repo"}, as the manifest lists them."""

    @property
    def source(self) -> str:
        return MANIFEST_SOURCE.format(commit=self.commit)

    def chart_sources(self) -> dict[str, dict[str, str]]:
        """`wire:charts` key -> the chart source this release means ({"chart", "repo", "version"})."""
        sources = {}
        for chart, key in RELEASE_CHARTS.items():
            row = self.charts[chart]
            if chart == "cert-manager":
                sources[key] = {"chart": chart, "repo": UPSTREAM_CERT_MANAGER_REPO, "version": f"v{row['version']}"}
            else:
                sources[key] = {"chart": chart, "repo": row["repo"], "version": row["version"]}
        return sources


class ManifestError(ValueError):
    """A build.json that is not a Wire release manifest this program can use."""


def parse_manifest(document: Any, *, branch: str, commit: str) -> WireRelease:
    """The rows of RELEASE_CHARTS from a wire-builds `build.json` (or one of the stored copies)."""
    if not _BRANCH_RE.match(branch):
        raise ManifestError(f"branch '{branch}' is not a wire-builds release branch (<year>-q<1-4>, e.g. 2026-q2)")
    if not _COMMIT_RE.match(commit):
        raise ManifestError(f"commit '{commit}' is not a full git commit hash (40 hex digits)")
    charts = document.get("helmCharts") if isinstance(document, dict) else None
    if not isinstance(charts, dict):
        raise ManifestError("no helmCharts map: not a wire-builds build.json")
    rows: dict[str, dict[str, str]] = {}
    problems = []
    for chart in RELEASE_CHARTS:
        row = charts.get(chart)
        version = row.get("version") if isinstance(row, dict) else None
        repo = row.get("repo") if isinstance(row, dict) else None
        if not (isinstance(version, str) and version and isinstance(repo, str) and repo.startswith("https://")):
            problems.append(f"{chart}: needs a version and an https repo, has {row!r}")
            continue
        rows[chart] = {"version": version, "repo": repo}
    if problems:
        raise ManifestError("; ".join(problems))
    return WireRelease(name=branch, commit=commit, charts=rows)


def stored_document(release: WireRelease) -> dict[str, Any]:
    return {"branch": release.name, "commit": release.commit, "source": release.source, "helmCharts": release.charts}


@cache
def known_releases() -> dict[str, WireRelease]:
    """Every stored manifest by name, oldest first."""
    found = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = parse_manifest(document, branch=document["branch"], commit=document["commit"])
    return found


def newest_release() -> str:
    """The default `wire:release`: the newest stored manifest (branch names sort by date)."""
    return max(known_releases())


def release_chart_sources(name: str | None) -> dict[str, dict[str, str]]:
    """The chart sources of a release (the newest when `name` is None or unknown: an unknown one is reported
    by `wire:release` itself)."""
    releases = known_releases()
    return releases.get(name or "", releases[newest_release()]).chart_sources()


def check_release_name(name: str) -> str:
    if name not in known_releases():
        raise ValueError(
            f"'{name}' is not a Wire release this program knows; known releases: {', '.join(known_releases())} "
            "(to add one: python -m components.config.wire_builds refresh <its build.json> --branch <b> --commit <c>)"
        )
    return name


def field_name(key: str) -> str:
    """The `Charts` field of a `wire:charts` key (`wireServer` -> `wire_server`)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def with_release_charts(charts: Any, release: Any) -> Any:
    """`wire:charts` with every chart the release sets filled in under the operator's overrides.

    An override is merged field by field over the release's row, except that a `path` replaces the row (a
    local chart has no repository or version) and a `repo` without a `version` takes none from the release
    (another repository has its own versions): that stays an error of the chart source.
    """
    if charts is not None and not isinstance(charts, dict):
        return charts  # reported by the charts section
    name = release if isinstance(release, str) else None
    merged: dict[str, Any] = dict(charts or {})
    for key, row in release_chart_sources(name).items():
        snake = field_name(key)
        given_key = key if key in merged or snake not in merged else snake
        given = merged.get(given_key)
        if given is None:
            merged[given_key] = dict(row)
        elif isinstance(given, dict):
            if "path" in given or ("repo" in given and "version" not in given):
                merged[given_key] = {"chart": row["chart"], **given}
            else:
                merged[given_key] = {**row, **given}
    return merged


def chart_overrides(charts: Any, release: str) -> list[str]:
    """Where the stack's charts differ from the release's rows, one line per chart (none: as released)."""
    lines = []
    for key, row in release_chart_sources(release).items():
        source = getattr(charts, field_name(key))
        if source.path is not None:
            lines.append(f"{row['chart']}: local chart {source.path} (release: {row['version']} from {row['repo']})")
        elif (source.version, source.repo) != (row["version"], row["repo"]):
            lines.append(
                f"{row['chart']}: {source.version} from {source.repo} (release: {row['version']} from {row['repo']})"
            )
    return lines


# --- refresh command ------------------------------------------------------------------------------------


def refresh(build_json: Path, *, branch: str | None, commit: str | None, data_dir: Path = DATA_DIR) -> list[str]:
    """Store the rows of a downloaded build.json as `<branch>.json`; returns what changed, one line each."""
    try:
        document = json.loads(build_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"{build_json}: {error}") from None
    branch = branch or (document.get("branch") if isinstance(document, dict) else None)
    commit = commit or (document.get("commit") if isinstance(document, dict) else None)
    if not branch or not commit:
        raise ManifestError("say which release branch and commit the build.json is from: --branch and --commit")
    release = parse_manifest(document, branch=branch, commit=commit)
    target = data_dir / f"{release.name}.json"
    before: dict[str, Any] = {}
    if target.is_file():
        before = json.loads(target.read_text(encoding="utf-8")).get("helmCharts", {})
    changes = [
        f"{chart}: {before.get(chart, {}).get('version', '-')} -> {row['version']} ({row['repo']})"
        for chart, row in release.charts.items()
        if before.get(chart) != row
    ]
    data_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(stored_document(release), indent=2) + "\n", encoding="utf-8")
    known_releases.cache_clear()
    return [f"{target.name}: {release.name} at {release.commit}", *(changes or ["charts unchanged"])]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m components.config.wire_builds",
        description="Wire's release manifests (wireapp/wire-builds build.json) the program knows.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the known releases and their charts")
    refresh_parser = commands.add_parser("refresh", help="store a downloaded build.json as a release manifest")
    refresh_parser.add_argument("build_json", type=Path, help="the downloaded build.json")
    refresh_parser.add_argument("--branch", help="its wire-builds release branch, e.g. 2026-q2")
    refresh_parser.add_argument("--commit", help="the wire-builds commit it was downloaded from (40 hex digits)")
    args = parser.parse_args(argv)
    if args.command == "list":
        for name, release in known_releases().items():
            print(f"{name} ({release.source})")
            for chart, row in release.charts.items():
                print(f"  {chart} {row['version']} {row['repo']}")
        return 0
    try:
        lines = refresh(args.build_json, branch=args.branch, commit=args.commit)
    except ManifestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
