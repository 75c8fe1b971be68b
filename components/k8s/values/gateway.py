"""The Gateway API entry point (`wire:ingress.controller: envoyGateway`): Envoy Gateway's release values and the
objects this program creates for it, as plain manifests (docs/entry-point.md).

- `EnvoyProxy` + `GatewayClass`: Envoy's LoadBalancer Service gets a fixed name (`ENVOY_SERVICE`), so its address
  is read like ingress-nginx's, behind an AWS NLB (the NLB annotations of ingress-nginx) or metallb.
- `Gateway` `wire`: HTTP on 80 (redirect to HTTPS; cert-manager's HTTP-01 challenges) and HTTPS on 443, terminated
  with one cert-manager `Certificate` for every routed host.
- One `HTTPRoute` per Wire host to the Service nginx-ingress-services' Ingress sent it to (`routed_hosts`).
- `ClientTrafficPolicy`: PROXY protocol behind the NLB (the client address nginz's rate limits key on), and
  an idle timeout that keeps cannon's websockets open.

nginx-ingress-services stays installed for the Services it owns (webapp-http, team-settings-http,
account-pages-http); 5.29.5 always renders its Ingress, which no controller serves once ingress-nginx is gone,
and its own Certificate only while ingress-nginx still runs (`wire:ingress.legacyHosts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.config import StackConfig, WireHost
from components.config.entry_point import served_hosts
from components.config.ingress import LoadBalancerKind
from components.k8s.values.addons import acme_issuer, http01_solver
from components.k8s.values.common import (
    ENVOY_GATEWAY,
    GATEWAY,
    GATEWAY_CRDS,
    GATEWAY_NAMESPACE,
    HTTP_LISTENER,
    host_name,
    with_extra_values,
)
from components.k8s.values.entry import NLB_ANNOTATIONS

GATEWAY_CLASS = "wire"
ENVOY_PROXY = "wire"
# Envoy Gateway creates the proxy's Service in its own namespace; a fixed name makes it readable (DNS target).
ENVOY_SERVICE = "envoy-wire"
CERTIFICATE = "wire-gateway"
CERTIFICATE_SECRET = "wire-gateway-tls"
OWN_ISSUER = "letsencrypt-gateway"
HTTPS_LISTENER = "https"
CONTROLLER_NAME = "gateway.envoyproxy.io/gatewayclass-controller"
GATEWAY_API = "gateway.networking.k8s.io"
ENVOY_API = "gateway.envoyproxy.io"
# Ports of the Services (chart defaults: nginz's config.http.httpPort / ws.wsPort, nginx-ingress-services'
# service.<app>.externalPort).
NGINZ_HTTP_PORT = 8080
NGINZ_WS_PORT = 8081
WEB_APP_PORT = 8080
# Websockets to cannon live for hours with little traffic; an hour of silence closes them (Envoy's default: 5 min).
STREAM_IDLE_TIMEOUT = "3600s"


@dataclass(frozen=True)
class Backend:
    service: str
    port: int
    # Gateway API's request timeout ("0s": none, as ingress-nginx had none for the whole request: long uploads to
    # cargohold and cannon's websockets); None: Envoy's 15 s.
    request_timeout: str | None = None


BACKENDS = {
    WireHost.NGINZ_HTTPS: Backend("nginz", NGINZ_HTTP_PORT, "0s"),
    WireHost.NGINZ_SSL: Backend("nginz", NGINZ_WS_PORT, "0s"),
    WireHost.WEBAPP: Backend("webapp-http", WEB_APP_PORT),
    WireHost.TEAMS: Backend("team-settings-http", WEB_APP_PORT),
    WireHost.ACCOUNT: Backend("account-pages-http", WEB_APP_PORT),
}


def routed_hosts(cfg: StackConfig) -> dict[WireHost, Backend]:
    """The Wire hosts the entry point serves (`served_hosts`) and the Service behind each, as nginx-ingress-services'
    Ingress sent them."""
    return {host: BACKENDS[host] for host in served_hosts(cfg)}


def gateway_crds_values(cfg: StackConfig) -> dict[str, Any]:
    """The Gateway API CRDs (standard channel: no experimental kinds in production) and Envoy Gateway's."""
    values = {"crds": {"gatewayAPI": {"enabled": True, "channel": "standard"}, "envoyGateway": {"enabled": True}}}
    return with_extra_values(cfg, GATEWAY_CRDS, values)


def envoy_gateway_values(cfg: StackConfig) -> dict[str, Any]:
    """Envoy Gateway's controller; its CRDs come from the gateway-crds release (helm never upgrades a chart's crds/)."""
    values: dict[str, Any] = {
        "crds": {"enabled": False},
        "deployment": {"replicas": 2 if cfg.is_production else 1},
    }
    return with_extra_values(cfg, ENVOY_GATEWAY, values)


def issuer_ref(cfg: StackConfig) -> dict[str, str]:
    """The issuer of the Gateway's certificate: cannon's, the stack's ClusterIssuer, or an Issuer of its own."""
    cannon = cfg.cannon.websocket_load_balancer.cert_manager
    if cannon.enabled:
        return {"name": cannon.issuer_name, "kind": cannon.issuer_kind}
    if cfg.addons.cert_manager.install:
        return {"name": cfg.addons.cert_manager.issuer_name, "kind": "ClusterIssuer"}
    return {"name": OWN_ISSUER, "kind": "Issuer"}


def _own_issuer(cfg: StackConfig) -> dict[str, Any]:
    # As nginx-ingress-services' own Issuer: Let's Encrypt's staging outside production (no rate limits).
    metadata = {"name": OWN_ISSUER, "namespace": cfg.kubernetes.namespace}
    return acme_issuer(
        "Issuer", metadata, staging=not cfg.is_production, email=cfg.email.sender, solver=http01_solver(cfg)
    )


def _envoy_proxy(cfg: StackConfig) -> dict[str, Any]:
    service: dict[str, Any] = {"name": ENVOY_SERVICE, "type": "LoadBalancer", "externalTrafficPolicy": "Local"}
    if cfg.ingress.balancer == LoadBalancerKind.AWS_NLB:
        service["annotations"] = dict(NLB_ANNOTATIONS)
    return {
        "apiVersion": f"{ENVOY_API}/v1alpha1",
        "kind": "EnvoyProxy",
        "metadata": {"name": ENVOY_PROXY, "namespace": GATEWAY_NAMESPACE},
        "spec": {
            "provider": {
                "type": "Kubernetes",
                "kubernetes": {
                    "envoyService": service,
                    "envoyDeployment": {"replicas": 3 if cfg.is_production else 1},
                },
            }
        },
    }


def _gateway_class() -> dict[str, Any]:
    return {
        "apiVersion": f"{GATEWAY_API}/v1",
        "kind": "GatewayClass",
        "metadata": {"name": GATEWAY_CLASS},
        "spec": {
            "controllerName": CONTROLLER_NAME,
            "parametersRef": {
                "group": ENVOY_API,
                "kind": "EnvoyProxy",
                "name": ENVOY_PROXY,
                "namespace": GATEWAY_NAMESPACE,
            },
        },
    }


def _gateway(cfg: StackConfig) -> dict[str, Any]:
    same_namespace = {"namespaces": {"from": "Same"}}
    return {
        "apiVersion": f"{GATEWAY_API}/v1",
        "kind": "Gateway",
        "metadata": {
            "name": GATEWAY,
            "namespace": cfg.kubernetes.namespace,
            # pulumi-kubernetes waits until Envoy Gateway has programmed the Gateway (its Service has an address),
            # so the DNS target read from the Service afterwards exists.
            "annotations": {"pulumi.com/waitFor": "condition=Programmed"},
        },
        "spec": {
            "gatewayClassName": GATEWAY_CLASS,
            "listeners": [
                {"name": HTTP_LISTENER, "protocol": "HTTP", "port": 80, "allowedRoutes": same_namespace},
                {
                    "name": HTTPS_LISTENER,
                    "protocol": "HTTPS",
                    "port": 443,
                    "tls": {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": CERTIFICATE_SECRET}]},
                    "allowedRoutes": same_namespace,
                },
            ],
        },
    }


def _certificate(cfg: StackConfig) -> dict[str, Any]:
    # As nginx-ingress-services' Certificate (certificate.yaml): ECDSA P-384, 90 days, renewed 15 days ahead.
    return {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": CERTIFICATE, "namespace": cfg.kubernetes.namespace},
        "spec": {
            "secretName": CERTIFICATE_SECRET,
            "issuerRef": issuer_ref(cfg),
            "usages": ["server auth"],
            "duration": "2160h",
            "renewBefore": "360h",
            "privateKey": {"algorithm": "ECDSA", "size": 384, "rotationPolicy": "Always"},
            "dnsNames": [host_name(cfg, host) for host in routed_hosts(cfg)],
        },
    }


def _parent(cfg: StackConfig, listener: str) -> dict[str, Any]:
    return {"name": GATEWAY, "namespace": cfg.kubernetes.namespace, "sectionName": listener}


def _route(cfg: StackConfig, host: WireHost, backend: Backend) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
        "backendRefs": [{"name": backend.service, "port": backend.port}],
    }
    if backend.request_timeout is not None:
        rule["timeouts"] = {"request": backend.request_timeout}
    return {
        "apiVersion": f"{GATEWAY_API}/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": host.value, "namespace": cfg.kubernetes.namespace},
        "spec": {
            "parentRefs": [_parent(cfg, HTTPS_LISTENER)],
            "hostnames": [host_name(cfg, host)],
            "rules": [rule],
        },
    }


def _https_redirect(cfg: StackConfig) -> dict[str, Any]:
    # ingress-nginx redirected plain HTTP to HTTPS for every TLS host; cert-manager's challenge routes match
    # their exact path and win over this prefix.
    redirect = {"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}
    return {
        "apiVersion": f"{GATEWAY_API}/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "https-redirect", "namespace": cfg.kubernetes.namespace},
        "spec": {"parentRefs": [_parent(cfg, HTTP_LISTENER)], "rules": [{"filters": [redirect]}]},
    }


def _client_traffic_policy(cfg: StackConfig) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "targetRefs": [{"group": GATEWAY_API, "kind": "Gateway", "name": GATEWAY}],
        "timeout": {"http": {"streamIdleTimeout": STREAM_IDLE_TIMEOUT}},
    }
    if cfg.ingress.balancer == LoadBalancerKind.AWS_NLB:
        # Must match the NLB's proxy-protocol annotation, or every connection fails.
        spec["proxyProtocol"] = {}
    return {
        "apiVersion": f"{ENVOY_API}/v1alpha1",
        "kind": "ClientTrafficPolicy",
        "metadata": {"name": GATEWAY, "namespace": cfg.kubernetes.namespace},
        "spec": spec,
    }


def gateway_manifests(cfg: StackConfig) -> list[dict[str, Any]]:
    """Every object of the Gateway API entry point, in creation order (its CRDs and Envoy Gateway first)."""
    manifests = [_envoy_proxy(cfg), _gateway_class()]
    if issuer_ref(cfg)["name"] == OWN_ISSUER:
        manifests.append(_own_issuer(cfg))
    manifests += [_certificate(cfg), _gateway(cfg), _client_traffic_policy(cfg), _https_redirect(cfg)]
    manifests += [_route(cfg, host, backend) for host, backend in routed_hosts(cfg).items()]
    return manifests
