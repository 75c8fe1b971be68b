"""The entry point releases: the retired ingress-nginx (`legacy`, behind an AWS NLB or metallb) and metallb with
its address pool manifests. Envoy Gateway's are in gateway.py.
"""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.config.ingress import LoadBalancerKind
from components.k8s.values.common import INGRESS_NGINX, METALLB, METALLB_NAMESPACE, with_extra_values

# Service names the charts render (release name "ingress-nginx" → "<release>-controller";
# cannon's own load balancer: cannon.service.nginz.name); releases.py reads their addresses, verify their exposure.
INGRESS_CONTROLLER_SERVICE = "ingress-nginx-controller"
CANNON_NGINZ_SERVICE = "cannon-nginz"
NLB_ANNOTATIONS = {
    # AWS Load Balancer Controller (not the legacy in-tree `nlb` type): an NLB with pod IP targets.
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
    "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
    # PROXY protocol v2 keeps the client address (rate limits in nginz key on it).
    "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": "*",
}


def ingress_nginx_values(cfg: StackConfig) -> dict[str, Any]:
    """ingress-nginx controller (legacy): behind an AWS NLB, or a plain LoadBalancer served by metallb."""
    service: dict[str, Any] = {"type": "LoadBalancer", "externalTrafficPolicy": "Local"}
    # No body size cap at the entry point: nginz sets one per location (asset uploads up to 40m); ingress-nginx's
    # default of 1m refused every larger asset. Envoy Gateway has none either.
    config = {"proxy-body-size": "0"}
    controller: dict[str, Any] = {
        "replicaCount": 3 if cfg.is_production else 1,
        "ingressClassResource": {"name": cfg.ingress.ingress_class, "default": False},
        "ingressClass": cfg.ingress.ingress_class,
        "service": service,
        "config": config,
    }
    if cfg.ingress.balancer == LoadBalancerKind.AWS_NLB:
        service["annotations"] = dict(NLB_ANNOTATIONS)
        # Must match the NLB annotation above, or every request fails to parse.
        config["use-proxy-protocol"] = "true"
    return with_extra_values(cfg, INGRESS_NGINX, {"controller": controller})


def metallb_values(cfg: StackConfig) -> dict[str, Any]:
    """Values of the upstream metallb chart (bare metal).

    Since metallb 0.13 the address pool is configured with custom resources, not chart values
    (`configInline` is gone). The chart installs the CRDs; `metallb_manifests` returns the
    IPAddressPool and L2Advertisement that `WireReleases` creates after the release.
    """
    values: dict[str, Any] = {"crds": {"enabled": True}, "speaker": {"enabled": True}}
    return with_extra_values(cfg, METALLB, values)


METALLB_POOL = "wire"


def metallb_manifests(cfg: StackConfig) -> list[dict[str, Any]]:
    """The metallb custom resources announcing cfg.ingress.metallb_addresses on layer 2."""
    metadata = {"name": METALLB_POOL, "namespace": METALLB_NAMESPACE}
    return [
        {
            "apiVersion": "metallb.io/v1beta1",
            "kind": "IPAddressPool",
            "metadata": dict(metadata),
            "spec": {"addresses": list(cfg.ingress.metallb_addresses)},
        },
        {
            "apiVersion": "metallb.io/v1beta1",
            "kind": "L2Advertisement",
            "metadata": dict(metadata),
            "spec": {"ipAddressPools": [METALLB_POOL]},
        },
    ]
