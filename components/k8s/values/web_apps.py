"""The web app releases team-settings and account-pages."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig, WireHost
from components.k8s.values.common import ACCOUNT_PAGES, TEAM_SETTINGS, host_name, websocket_host, with_extra_values


def _web_app_values(cfg: StackConfig, host: WireHost, replicas: int) -> dict[str, Any]:
    return {
        "replicaCount": replicas,
        "config": {
            "externalUrls": {
                "backendRest": host_name(cfg, WireHost.NGINZ_HTTPS),
                "backendWebsocket": websocket_host(cfg),
                "backendDomain": cfg.domain,
                "appHost": host_name(cfg, host),
            }
        },
        # Explicit either way: since chart 4.15.0 the apps default to self-hosted, so "false" must be said.
        "envVars": {"IS_SELF_HOSTED": "true" if cfg.web_apps.self_hosted else "false"},
    }


def team_settings_values(cfg: StackConfig) -> dict[str, Any]:
    return with_extra_values(cfg, TEAM_SETTINGS, _web_app_values(cfg, WireHost.TEAMS, cfg.replicas.webapp))


def account_pages_values(cfg: StackConfig) -> dict[str, Any]:
    return with_extra_values(cfg, ACCOUNT_PAGES, _web_app_values(cfg, WireHost.ACCOUNT, cfg.replicas.webapp))
