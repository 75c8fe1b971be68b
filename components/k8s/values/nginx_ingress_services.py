"""nginx-ingress-services: ingresses and certificates for nginz and the web apps."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig, WireHost
from components.k8s.values.common import NGINX_INGRESS_SERVICES, host_name, with_extra_values


def nginx_ingress_services_values(cfg: StackConfig) -> dict[str, Any]:
    """Ingresses and certificates for nginz, the webapp and the optional web apps."""
    websockets = not cfg.cannon.websocket_load_balancer.enabled
    dns: dict[str, Any] = {"https": host_name(cfg, WireHost.NGINZ_HTTPS)}
    if websockets:
        dns["ssl"] = host_name(cfg, WireHost.NGINZ_SSL)
    if cfg.web_apps.webapp:
        dns["webapp"] = host_name(cfg, WireHost.WEBAPP)
    if cfg.web_apps.team_settings:
        dns["teamSettings"] = host_name(cfg, WireHost.TEAMS)
    if cfg.web_apps.account_pages:
        dns["accountPages"] = host_name(cfg, WireHost.ACCOUNT)
    if cfg.dns is not None and WireHost.FEDERATOR in cfg.dns.hosts:
        dns["federator"] = host_name(cfg, WireHost.FEDERATOR)

    cert_manager = cfg.cannon.websocket_load_balancer.cert_manager
    addon = cfg.addons.cert_manager
    # With Envoy Gateway alone the chart is there for its Services: its Ingress has no controller and the Gateway
    # has its own certificate, so no second certificate is ordered for the same names.
    tls: dict[str, Any] = {
        "enabled": cfg.ingress.ingress_nginx or not cfg.ingress.envoy_gateway,
        "useCertManager": True,
    }
    issuer_settings: dict[str, Any] = {}
    if cert_manager.enabled:
        # Reuse the issuer the cluster already has for cannon's certificate.
        tls["createIssuer"] = False
        tls["issuer"] = {"name": cert_manager.issuer_name, "kind": cert_manager.issuer_kind}
    elif addon.install:
        # The ClusterIssuer this stack creates with cert-manager (components/k8s/addons.py).
        tls["createIssuer"] = False
        tls["issuer"] = {"name": addon.issuer_name, "kind": "ClusterIssuer"}
    else:
        # The chart's own Let's Encrypt HTTP-01 Issuer; staging outside production (untrusted
        # certificates, but no rate limits while a test stack is rebuilt).
        tls["createIssuer"] = True
        issuer_settings = {"inTestMode": not cfg.is_production, "certmasterEmail": cfg.email.sender}

    values: dict[str, Any] = {
        "config": {"dns": dns, "ingressClass": cfg.ingress.ingress_class},
        # Assets are served by S3 (or CloudFront) directly: no fake-aws-s3/minio ingress or service.
        "fakeS3": {"enabled": False},
        "service": {"useFakeS3": False},
        # Off when cannon has its own load balancer: nginz-ssl then points there, not at the ingress.
        "websockets": {"enabled": websockets},
        "webapp": {"enabled": cfg.web_apps.webapp},
        "teamSettings": {"enabled": cfg.web_apps.team_settings},
        "accountPages": {"enabled": cfg.web_apps.account_pages},
        # Federation is not deployed by this stack (tags.federation stays false); the federator
        # hostname above is only kept for when it is enabled through extraValues.
        "federator": {"enabled": False},
        "tls": tls,
    }
    if issuer_settings:
        values["certManager"] = issuer_settings
    return with_extra_values(cfg, NGINX_INGRESS_SERVICES, values)
