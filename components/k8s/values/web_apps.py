"""The web app releases team-settings and account-pages."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig, WireHost
from components.k8s.values.common import ACCOUNT_PAGES, TEAM_SETTINGS, host_name, websocket_host, with_extra_values


def _web_app_values(cfg: StackConfig, host: WireHost, replicas: int) -> dict[str, Any]:
    external_urls = {"backendRest": host_name(cfg, WireHost.NGINZ_HTTPS), "appHost": host_name(cfg, host)}
    if host == WireHost.TEAMS:
        # Only team-settings opens a websocket; no chart reads backendDomain (4.14.0, account-pages 0.9.0-pre.1).
        external_urls["backendWebsocket"] = websocket_host(cfg)
    return {
        "replicaCount": replicas,
        "config": {"externalUrls": external_urls},
        # Explicit either way: since chart 4.15.0 the apps default to self-hosted, so "false" must be said.
        "envVars": {"IS_SELF_HOSTED": "true" if cfg.web_apps.self_hosted else "false"},
    }


def team_settings_values(cfg: StackConfig) -> dict[str, Any]:
    values = _web_app_values(cfg, WireHost.TEAMS, cfg.replicas.webapp)
    pull_secret = cfg.web_apps.team_settings_pull_secret
    if pull_secret is not None:
        # The chart writes it unchanged as the .dockerconfigjson of the pod's image pull secret.
        values["secrets"] = {"configJson": pull_secret}
    return with_extra_values(cfg, TEAM_SETTINGS, values)


def account_pages_values(cfg: StackConfig) -> dict[str, Any]:
    return with_extra_values(cfg, ACCOUNT_PAGES, _web_app_values(cfg, WireHost.ACCOUNT, cfg.replicas.webapp))
