"""team-settings and account-pages."""

from __future__ import annotations

import pytest

from components.k8s.values.web_apps import account_pages_values, team_settings_values
from tests.components.k8s.k8s_support import make_cfg


@pytest.mark.parametrize("self_hosted", [True, False])
def test_web_apps_self_hosted(self_hosted: bool) -> None:
    cfg = make_cfg(webApps={"teamSettings": True, "accountPages": True, "selfHosted": self_hosted})
    expected = "true" if self_hosted else "false"
    for values in (team_settings_values(cfg), account_pages_values(cfg)):
        assert values["envVars"]["IS_SELF_HOSTED"] == expected
    assert team_settings_values(cfg)["config"]["externalUrls"]["appHost"] == "teams.example.org"
    assert account_pages_values(cfg)["config"]["externalUrls"]["appHost"] == "account.example.org"
