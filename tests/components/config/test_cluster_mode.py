"""Settings that cannot take effect with kubernetes.releases false, the pull secret, and sections answered at once."""

from __future__ import annotations

import base64
import json

import pytest

from components.config import ConfigError, load_config
from tests.components.config.config_support import base, load, problems

AWS_ONLY = {"releases": False}
PULL_SECRET = base64.b64encode(json.dumps({"auths": {"quay.io": {"auth": "eDp5"}}}).encode()).decode()


def test_cluster_actions_are_refused_with_releases_false_like_context() -> None:
    found = problems(
        base(
            kubernetes=AWS_ONLY,
            verify={"inCluster": True},
            addons={"certManager": {"install": True, "email": "ops@example.com"}},
        )
    )
    assert [p.split(":")[1] for p in found] == ["verify.inCluster", "addons.certManager.install"]
    assert all("wire:kubernetes.releases is false" in p and "remove it, or set releases: true" in p for p in found)


def test_settings_that_shape_the_values_are_accepted_and_a_harmless_one_warned() -> None:
    cfg = load(
        base(
            kubernetes=AWS_ONLY,
            verify={"image": "registry.example.com/python:3.12"},
            addons={"certManager": {"issuerName": "letsencrypt-prod"}},
            charts={"wireServer": {"version": "5.29.5"}},
        )
    )
    [warning] = [w for w in cfg.warnings() if w.startswith("wire:verify.image")]
    assert "--print-manifests" in warning
    assert not [w for w in load(base(verify={"image": "registry.example.com/python:3.12"})).warnings() if "verify" in w]


def test_a_pull_secret_without_team_settings_is_warned_about() -> None:
    cfg = load(base(webApps={"teamSettingsPullSecret": PULL_SECRET}), secret_keys={"webApps"})
    assert any(
        w.startswith("wire:webApps.teamSettingsPullSecret: team-settings is not deployed") for w in cfg.warnings()
    )


def test_the_pull_secret_is_the_base64_of_a_docker_config() -> None:
    assert load(base(webApps={"teamSettings": True, "teamSettingsPullSecret": PULL_SECRET}), secret_keys={"webApps"})
    # wire-server-deploy's example: an empty config.json ("{}"), valid.
    assert load(base(webApps={"teamSettings": True, "teamSettingsPullSecret": "e30K"}), secret_keys={"webApps"})
    raw = problems(
        base(webApps={"teamSettings": True, "teamSettingsPullSecret": '{"auths": {}}'}), secret_keys={"webApps"}
    )
    assert raw == [
        "wire:webApps.teamSettingsPullSecret: is the config.json itself; the chart needs its base64: base64 -w0 < "
        "config.json (the file Wire sent), then pulumi config set --secret --path 'wire:webApps.teamSettingsPullSecret'"
    ]
    garbage = problems(base(webApps={"teamSettingsPullSecret": "not base64!"}), secret_keys={"webApps"})
    assert garbage[0].startswith("wire:webApps.teamSettingsPullSecret: is not the base64 of a Docker config.json")
    assert "not base64!" not in " ".join(garbage)


def test_add_on_rules_come_with_the_keys_own_problems() -> None:
    found = problems(
        base(
            addons={
                "certManager": {"install": "true", "issuer": "dns02", "staging": "maybe"},
                "awsLoadBalancerController": {"install": True, "clusterName": "has space"},
            }
        )
    )
    keys = sorted(p.split(":")[1] for p in found)
    assert keys == [
        "addons.awsLoadBalancerController.clusterName",
        "addons.certManager.email",
        "addons.certManager.issuer",
        "addons.certManager.staging",
    ]


def test_chart_versions_are_pinned_and_reported_with_the_other_problems() -> None:
    found = problems(base(charts={"wireServer": {"repo": "ftp://x", "version": "~5.29"}, "webapp": {"version": "*"}}))
    assert sorted(p.split(":")[1] for p in found) == [
        "charts.webapp.version",
        "charts.wireServer.repo",
        "charts.wireServer.version",
    ]
    for version in ("5.29.5", "v1.16.3", "0.8.0-pre.2525", "5.30.0-develop.20260411", "1.2.3+build.4"):
        assert load(base(charts={"wireServer": {"version": version}})).charts.wire_server.version == version


def test_the_pull_secret_is_asked_for_beside_the_other_problems_of_web_apps() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(base(webApps={"teamSettings": True, "webapp": "maybe"}), region="eu-central-1")
    found = [p for p in caught.value.problems if p.startswith("wire:webApps")]
    assert [p.split(":")[1].split(" ")[0] for p in found] == ["webApps.webapp", "webApps.teamSettingsPullSecret"]
