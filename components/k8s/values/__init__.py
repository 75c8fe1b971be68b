"""Helm values of every release, computed from the stack configuration and the AWS outputs.

Pure functions: no Pulumi import, no I/O. `components/k8s/releases.py` resolves the AWS outputs into
one `AwsOutputs` record and calls `release_values`; the offline plan writes the same trees to YAML.

One module per release, and per Wire service inside wire-server (`brig.py`, `gundeck.py`, ...);
what they share (release names, hostnames, proxy environment, AWS identity, databases) is in
`common.py`. No module here imports this package's `__init__`.

Secrets stay `SecretStr` leaves here (never revealed): the Pulumi layer turns a tree holding any
`SecretStr` into a secret Output, and `redact()` prints them as `[secret]`.

Key paths follow the wire-server chart (5.29.x and the 5.30+ layout, see layout.py), not the guide where the two differ:
`cannon.config.drainOpts`, `brig.config.optSettings.setMaxTeamSize`,
`cargohold.config.aws.s3AddressingStyle` and `<svc>.config.proxy.noProxyList`.
"""

from __future__ import annotations

from typing import Any

from components.config import IngressMode, StackConfig
from components.k8s.values.common import (
    ACCOUNT_PAGES,
    INGRESS_NAMESPACE,
    INGRESS_NGINX,
    METALLB,
    METALLB_NAMESPACE,
    NGINX_INGRESS_SERVICES,
    TEAM_SETTINGS,
    WEBAPP,
    WIRE_SERVER,
    deep_merge,
    no_proxy_list,
    release_chart,
    release_namespace,
)
from components.k8s.values.dump import values_yaml
from components.k8s.values.entry import ingress_nginx_values, metallb_manifests, metallb_values
from components.k8s.values.nginx_ingress_services import nginx_ingress_services_values
from components.k8s.values.web_apps import account_pages_values, team_settings_values
from components.k8s.values.webapp import webapp_values
from components.k8s.values.wire_server import wire_server_values
from components.outputs import AwsOutputs

__all__ = [
    "ACCOUNT_PAGES",
    "INGRESS_NAMESPACE",
    "INGRESS_NGINX",
    "METALLB",
    "METALLB_NAMESPACE",
    "NGINX_INGRESS_SERVICES",
    "TEAM_SETTINGS",
    "WEBAPP",
    "WIRE_SERVER",
    "account_pages_values",
    "deep_merge",
    "ingress_nginx_values",
    "metallb_manifests",
    "metallb_values",
    "nginx_ingress_services_values",
    "no_proxy_list",
    "release_chart",
    "release_names",
    "release_namespace",
    "release_values",
    "team_settings_values",
    "values_yaml",
    "webapp_values",
    "wire_server_values",
]


def release_names(cfg: StackConfig) -> list[str]:
    """The releases this configuration deploys, in install order (known without the AWS outputs)."""
    names = []
    if cfg.ingress.controller == IngressMode.METALLB:
        names.append(METALLB)
    if cfg.ingress.controller in (IngressMode.AWS_NLB, IngressMode.METALLB):
        names.append(INGRESS_NGINX)
    names += [WIRE_SERVER, NGINX_INGRESS_SERVICES]
    if cfg.web_apps.webapp:
        names.append(WEBAPP)
    if cfg.web_apps.team_settings:
        names.append(TEAM_SETTINGS)
    if cfg.web_apps.account_pages:
        names.append(ACCOUNT_PAGES)
    return names


def release_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, dict[str, Any]]:
    """Release name -> values, only for the releases this configuration deploys."""
    builders = {
        METALLB: lambda: metallb_values(cfg),
        INGRESS_NGINX: lambda: ingress_nginx_values(cfg),
        WIRE_SERVER: lambda: wire_server_values(cfg, aws),
        NGINX_INGRESS_SERVICES: lambda: nginx_ingress_services_values(cfg),
        TEAM_SETTINGS: lambda: team_settings_values(cfg),
        ACCOUNT_PAGES: lambda: account_pages_values(cfg),
        WEBAPP: lambda: webapp_values(cfg, aws),
    }
    return {name: builders[name]() for name in release_names(cfg)}
