"""nginz: the API gateway's deeplink, upstreams and zauth public keys."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig, WireHost
from components.k8s.values.common import https_url, websocket_host


def nginz_values(cfg: StackConfig) -> dict[str, Any]:
    nginx_conf: dict[str, Any] = {
        # `prod` keeps internal endpoints closed (staging would also need basic-auth secrets).
        "env": "prod",
        "external_env_domain": cfg.domain,
        "deeplink": {
            "endpoints": {
                "backendURL": https_url(cfg, WireHost.NGINZ_HTTPS),
                "backendWSURL": f"https://{websocket_host(cfg)}",
                "teamsURL": https_url(cfg, WireHost.TEAMS),
                "accountsURL": https_url(cfg, WireHost.ACCOUNT),
                "blackListURL": "https://clientblacklist.wire.com/prod",
                "websiteURL": f"https://{cfg.domain}",
            },
            "title": cfg.domain,
        },
        # Includes cannon when cannon has its own load balancer: no websocket route through the ingress.
        "ignored_upstreams": cfg.nginz_ignored_upstreams,
        # Includes proxy when link previews are on.
        "enabled_extra_upstreams": cfg.nginz_extra_upstreams,
        "upstream_namespace": dict(sorted(cfg.nginz.upstream_namespaces.items())),
    }
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.nginz,
        # The ingress controller speaks plain HTTP to nginz; PROXY protocol on the ws port would break it.
        "config": {"ws": {"useProxyProtocol": False}},
        "nginx_conf": nginx_conf,
    }
    if cfg.secrets.zauth_public_keys is not None:
        values["secrets"] = {
            "zAuth": {"publicKeys": cfg.secrets.zauth_public_keys},
        }
    return values


def nginz_fillers(cfg: StackConfig) -> dict[str, Any]:
    """What nginz's chart needs set but env `prod` never reads: the chart always writes basic_auth.txt (only
    env `staging` locations ask for basic auth), so an empty one unless the operator's files bring theirs."""
    return {"secrets": {"basicAuth": ""}} if cfg.secrets.zauth_public_keys is not None else {}
