"""The Wire webapp release (chart `webapp` of wireapp/wire-webapp): hosts and CSP sources from the stack.

nginx-ingress-services already routes webapp.<domain> to the `webapp-http` Service (pods labelled
`app: webapp`), so the chart only runs the pods: its own ingress and TLS stay off.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from components.config import StackConfig, WireHost
from components.k8s.values.common import WEBAPP, host_name, https_url, websocket_host, with_extra_values
from components.outputs import AwsOutputs


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def asset_origins(cfg: StackConfig, aws: AwsOutputs) -> list[str]:
    """Where browsers download assets from: the origin of the URLs cargohold signs.

    CloudFront's domain when enabled; else the configured download endpoint; else S3 itself, with the
    bucket as a subdomain (virtual addressing; `auto` uses it for AWS's DNS-compatible bucket names)
    or in the path (path addressing: the endpoint's own host).
    """
    if aws.cloudfront_domain:
        return [f"https://{aws.cloudfront_domain}"]
    endpoint = _origin(aws.s3_download_endpoint or aws.s3_endpoint)
    style = cfg.assets.s3_addressing_style
    if style == "path":
        return [endpoint]
    scheme, host = endpoint.split("://", 1)
    virtual = f"{scheme}://{aws.bucket}.{host}"
    return [virtual] if style == "virtual" else [virtual, endpoint]


def csp_sources(cfg: StackConfig, aws: AwsOutputs) -> dict[str, str]:
    """CSP_EXTRA_* sources: only the hosts of this stack the browser reaches besides the webapp itself."""
    backend = https_url(cfg, WireHost.NGINZ_HTTPS)
    websocket = f"wss://{websocket_host(cfg)}"
    assets = asset_origins(cfg, aws)
    return {
        "CSP_EXTRA_CONNECT_SRC": ", ".join([backend, websocket, *assets]),
        "CSP_EXTRA_IMG_SRC": ", ".join([backend, *assets]),
        "CSP_EXTRA_MEDIA_SRC": ", ".join(assets),
    }


def webapp_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    external_urls: dict[str, Any] = {
        "backendRest": host_name(cfg, WireHost.NGINZ_HTTPS),
        "backendWebsocket": websocket_host(cfg),
        "backendDomain": cfg.domain,
        "appHost": host_name(cfg, WireHost.WEBAPP),
    }
    env: dict[str, str] = {
        "APP_NAME": "Webapp",
        "ENFORCE_HTTPS": "true",
        "FEATURE_CHECK_CONSENT": "false",
        "FEATURE_ENABLE_DEBUG": "false",
        # Phone sign-up does not exist in this backend (the stack rejects `sms`).
        "FEATURE_ENABLE_PHONE_LOGIN": "false",
        "URL_WEBSITE_BASE": f"https://{cfg.domain}",
    }
    if cfg.web_apps.account_pages:
        env["URL_ACCOUNT_BASE"] = https_url(cfg, WireHost.ACCOUNT)
    if cfg.web_apps.team_settings:
        teams = https_url(cfg, WireHost.TEAMS)
        external_urls["backendTeamSettings"] = host_name(cfg, WireHost.TEAMS)
        env["URL_TEAMS_BASE"] = teams
        env["URL_TEAMS_CREATE"] = teams
    env.update(csp_sources(cfg, aws))
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.webapp,
        "config": {"externalUrls": external_urls},
        "envVars": env,
        # nginx-ingress-services routes and certifies webapp.<domain>.
        "ingress": {"enabled": False},
        "tls": {"enabled": False},
    }
    return with_extra_values(cfg, WEBAPP, values)
