"""`wire:release`: Wire's release manifests as data, the charts they set, overrides, and the refresh command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.config.wire_builds import (
    DATA_DIR,
    RELEASE_CHARTS,
    ManifestError,
    known_releases,
    main,
    newest_release,
    parse_manifest,
    refresh,
)
from tests.components.config.config_support import base, load, problems
from tests.reference_support import reference_or_skip

WEBAPP_REPO = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-webapp"
WIRE_REPO = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"


def test_the_stored_manifests_have_their_provenance_and_every_chart_a_release_sets() -> None:
    assert list(known_releases()) == ["2026-q1", "2026-q2"]
    for name, release in known_releases().items():
        stored = json.loads((DATA_DIR / f"{name}.json").read_text())
        assert stored["branch"] == name
        assert len(stored["commit"]) == 40
        assert stored["source"] == f"https://github.com/wireapp/wire-builds/blob/{stored['commit']}/build.json"
        assert set(release.charts) == set(RELEASE_CHARTS)


def test_the_stored_rows_are_those_of_wire_builds() -> None:
    wire_builds = reference_or_skip("wire-builds")
    for name, release in known_releases().items():
        upstream = json.loads((wire_builds / f"{name}.json").read_text())
        assert upstream["commit"] == release.commit
        assert {chart: upstream["helmCharts"][chart] for chart in RELEASE_CHARTS} == release.charts


def test_the_default_is_the_newest_release_with_wires_repositories() -> None:
    cfg = load(base())
    assert newest_release() == "2026-q2" == cfg.release
    charts = cfg.charts
    assert (charts.wire_server.version, charts.wire_server.repo) == ("5.32.0", WIRE_REPO)
    assert (charts.nginx_ingress_services.version, charts.nginx_ingress_services.repo) == ("5.28.0", WIRE_REPO)
    assert (charts.webapp.version, charts.webapp.repo) == ("0.8.0-pre.3297", WEBAPP_REPO)
    assert (charts.team_settings.version, charts.team_settings.repo) == ("0.16.0", WEBAPP_REPO)
    assert (charts.account_pages.version, charts.account_pages.repo) == ("0.9.0-pre.1", WEBAPP_REPO)
    # jetstack's chart of the cert-manager release Wire ships (wire_builds.UPSTREAM_CERT_MANAGER_REPO).
    assert (charts.cert_manager.version, charts.cert_manager.repo) == ("v1.16.3", "https://charts.jetstack.io")
    assert cfg.chart_overrides == []


def test_a_release_sets_every_wire_chart_exactly_as_its_manifest_lists_it() -> None:
    cfg = load(base(release="2026-q1"))
    assert (cfg.charts.wire_server.version, cfg.charts.wire_server.repo) == (
        "5.30.9",
        "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-develop",
    )
    assert cfg.charts.team_settings.version == "0.12.0-pre.133"
    assert cfg.charts.webapp.version == "0.8.0-pre.2525"


def test_an_override_changes_one_chart_and_is_named() -> None:
    cfg = load(base(release="2026-q1", charts={"wireServer": {"version": "5.30.8"}}))
    assert cfg.charts.wire_server.version == "5.30.8"
    assert cfg.charts.wire_server.repo.endswith("/charts-develop")  # the release's repository stays
    assert cfg.charts.webapp.version == "0.8.0-pre.2525"
    assert cfg.chart_overrides == [
        "wire-server: 5.30.8 from https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-develop "
        "(release: 5.30.9 from https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-develop)"
    ]


def test_a_local_chart_replaces_the_release_row() -> None:
    cfg = load(base(charts={"wire_server": {"path": "./charts/wire-server"}}))
    assert (cfg.charts.wire_server.path, cfg.charts.wire_server.version) == ("./charts/wire-server", None)
    assert cfg.chart_overrides[0].startswith("wire-server: local chart ./charts/wire-server")


def test_another_repository_needs_its_own_version() -> None:
    assert problems(base(charts={"webapp": {"repo": WIRE_REPO}})) == [
        "wire:charts.webapp: chart 'webapp' needs repo and a pinned version, or a local path"
    ]


def test_an_unknown_release_names_the_known_ones() -> None:
    found = problems(base(release="2026-q9"))
    assert len(found) == 1
    assert found[0].startswith("wire:release: '2026-q9' is not a Wire release this program knows; known releases: ")
    assert "2026-q1, 2026-q2" in found[0]


def _build_json(tmp_path: Path, **charts: dict[str, str]) -> Path:
    rows = {chart: {"version": "1.0.0", "repo": WIRE_REPO, "meta": {"commit": "x"}} for chart in RELEASE_CHARTS}
    rows["sftd"] = {"version": "0.1.0", "repo": "https://example.com/charts-avs"}
    rows.update(charts)
    path = tmp_path / "build.json"
    path.write_text(json.dumps({"helmCharts": rows}))
    return path


def test_refresh_stores_the_rows_the_program_uses_with_their_provenance(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build = _build_json(tmp_path)
    lines = refresh(build, branch="2026-q3", commit="a" * 40, data_dir=data)
    stored = json.loads((data / "2026-q3.json").read_text())
    assert stored["branch"] == "2026-q3" and stored["commit"] == "a" * 40
    assert set(stored["helmCharts"]) == set(RELEASE_CHARTS)  # no sftd, no meta
    assert stored["helmCharts"]["wire-server"] == {"version": "1.0.0", "repo": WIRE_REPO}
    assert lines[1] == f"wire-server: - -> 1.0.0 ({WIRE_REPO})"
    build = _build_json(tmp_path, **{"wire-server": {"version": "1.0.1", "repo": WIRE_REPO}})
    assert refresh(build, branch="2026-q3", commit="b" * 40, data_dir=data)[1:] == [
        f"wire-server: 1.0.0 -> 1.0.1 ({WIRE_REPO})"
    ]


def test_refresh_refuses_what_is_not_a_release_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="--branch and --commit"):
        refresh(_build_json(tmp_path), branch=None, commit=None, data_dir=tmp_path)
    with pytest.raises(ManifestError, match="not a wire-builds release branch"):
        parse_manifest({"helmCharts": {}}, branch="main", commit="a" * 40)
    with pytest.raises(ManifestError, match="webapp: needs a version and an https repo"):
        refresh(_build_json(tmp_path, webapp={"version": ""}), branch="2026-q3", commit="a" * 40, data_dir=tmp_path)


def test_the_refresh_command_reports_bad_input_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refresh", str(tmp_path / "missing.json"), "--branch", "2026-q3", "--commit", "a" * 40]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
