"""spar: SSO URIs and SAML contacts."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig, WireHost
from components.k8s.values.common import cassandra_endpoint, https_url, set_proxy_env


def spar_values(cfg: StackConfig) -> dict[str, Any]:
    config: dict[str, Any] = {
        "cassandra": cassandra_endpoint(cfg),
        "domain": cfg.domain,
        "appUri": https_url(cfg, WireHost.WEBAPP, "/"),
        "ssoUri": https_url(cfg, WireHost.NGINZ_HTTPS, "/sso"),
        # Published in the SAML metadata; the chart requires at least one.
        "contacts": cfg.saml_contacts,
    }
    set_proxy_env(cfg, "spar", config)
    return {"replicaCount": cfg.replicas.spar, "config": config}
