"""The guide's production minimum on the live cluster: nothing public but the entry point, default-deny in the Wire
namespace, and the EKS API endpoint not open to the internet (docs/security.md).

`exposure` is a pure function of what `kubectl get services,ingresses -A` and `kubectl get networkpolicies -n <ns>`
print (`cluster_listings` reads them); `cluster_endpoint` reads `eks:DescribeCluster`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from components.config import StackConfig
from components.config.network_policies import NetworkPolicyMode
from verify.results import Result, fail, ok, warn

EXPOSURE = "exposure"
DEFAULT_DENY_CHECK = "default deny"
CLUSTER_ENDPOINT = "cluster endpoint"
PUBLIC_TYPES = ("LoadBalancer", "NodePort")
# A load balancer that only the VPC reaches is not public (AWS Load Balancer Controller / in-tree annotations).
INTERNAL_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
}
EVERYWHERE = "0.0.0.0/0"


@dataclass(frozen=True)
class Listings:
    """What kubectl lists: Services and Ingresses of every namespace, NetworkPolicies of the Wire namespace."""

    services: list[dict[str, Any]] = field(default_factory=list)
    ingresses: list[dict[str, Any]] = field(default_factory=list)
    network_policies: list[dict[str, Any]] = field(default_factory=list)


def _id(obj: dict[str, Any]) -> str:
    metadata = obj.get("metadata") or {}
    return f"{metadata.get('namespace', 'default')}/{metadata.get('name')}"


def public_entry_points(cfg: StackConfig) -> set[str]:
    """The Services that may be public: the entry point's, and cannon's own load balancer when enabled."""
    from components.k8s.values.common import GATEWAY_NAMESPACE, INGRESS_NAMESPACE
    from components.k8s.values.entry import CANNON_NGINZ_SERVICE, INGRESS_CONTROLLER_SERVICE
    from components.k8s.values.gateway import ENVOY_SERVICE

    allowed = set()
    if cfg.ingress.envoy_gateway:
        allowed.add(f"{GATEWAY_NAMESPACE}/{ENVOY_SERVICE}")
    if cfg.ingress.ingress_nginx:
        allowed.add(f"{INGRESS_NAMESPACE}/{INGRESS_CONTROLLER_SERVICE}")
    if cfg.cannon.websocket_load_balancer.enabled:
        allowed.add(f"{cfg.kubernetes.namespace}/{CANNON_NGINZ_SERVICE}")
    return allowed


def _internal(service: dict[str, Any]) -> bool:
    annotations = (service.get("metadata") or {}).get("annotations") or {}
    return any(annotations.get(key, "").lower() == value for key, value in INTERNAL_ANNOTATIONS.items())


def is_default_deny(policy: dict[str, Any]) -> bool:
    spec = policy.get("spec") or {}
    return (
        not (spec.get("podSelector") or {})
        and set(spec.get("policyTypes") or []) == {"Ingress", "Egress"}
        and not spec.get("ingress")
        and not spec.get("egress")
    )


def exposure(listings: Listings, cfg: StackConfig) -> list[Result]:
    """Public Services and Ingresses other than the entry point, and the Wire namespace's default-deny policy."""
    allowed = public_entry_points(cfg)
    namespace = cfg.kubernetes.namespace
    results: list[Result] = []
    for service in listings.services:
        kind = (service.get("spec") or {}).get("type", "ClusterIP")
        name = _id(service)
        if kind not in PUBLIC_TYPES or (kind == "LoadBalancer" and _internal(service)):
            continue
        if name in allowed:
            results.append(ok(EXPOSURE, name, f"{kind}: the entry point, public by design"))
        elif not cfg.ingress.any_controller and not name.startswith(f"{namespace}/"):
            results.append(
                warn(
                    EXPOSURE,
                    name,
                    f"{kind}: public; the stack installs no entry point, so this may be your own "
                    "controller's: make sure it is the only public one",
                )
            )
        else:
            results.append(
                fail(
                    EXPOSURE,
                    name,
                    f"{kind}: public, and not the entry point; make it ClusterIP (or an internal load "
                    "balancer), or route it through the entry point",
                )
            )
    for ingress in listings.ingresses:
        name = _id(ingress)
        if name.startswith(f"{namespace}/"):
            continue  # nginx-ingress-services' routes: the entry point itself
        results.append(
            fail(
                EXPOSURE,
                name,
                "an Ingress outside the Wire namespace publishes more than Wire's entry point; "
                "remove it, or restrict it to an internal ingress class",
            )
        )
    if not any(r.check == EXPOSURE and r.status != "ok" for r in results):
        results.append(ok(EXPOSURE, "services and ingresses", "nothing public but the entry point"))
    deny = [policy for policy in listings.network_policies if is_default_deny(policy)]
    if deny:
        results.append(
            ok(DEFAULT_DENY_CHECK, f"{namespace}/{_id(deny[0]).split('/')[1]}", "default-deny ingress and egress")
        )
    elif cfg.network_policies == NetworkPolicyMode.ENFORCE:
        results.append(
            fail(
                DEFAULT_DENY_CHECK,
                namespace,
                "no default-deny NetworkPolicy although wire:networkPolicies is "
                "enforce; run `pulumi up` (or find who deleted it)",
            )
        )
    else:
        results.append(
            warn(
                DEFAULT_DENY_CHECK,
                namespace,
                "no default-deny NetworkPolicy (wire:networkPolicies: off): every pod "
                "reaches every service and store; see docs/security.md for the rollout",
            )
        )
    return results


def cluster_listings(kubectl: Any, cfg: StackConfig) -> Listings:
    """The live listings, through verify's kubectl (verify/kube.py)."""
    listed = kubectl.get_json("get", "services,ingresses", "--all-namespaces", "-o", "json")
    items = listed.get("items") or []
    policies = kubectl.get_json("get", "networkpolicies", "-n", cfg.kubernetes.namespace, "-o", "json")
    return Listings(
        services=[item for item in items if item.get("kind") == "Service"],
        ingresses=[item for item in items if item.get("kind") == "Ingress"],
        network_policies=policies.get("items") or [],
    )


def cluster_name(cfg: StackConfig) -> str | None:
    return cfg.cluster_endpoint.cluster_name or cfg.addons.aws_load_balancer_controller.cluster_name


def cluster_endpoint(eks: Any, cfg: StackConfig) -> list[Result]:
    """The EKS API endpoint: fail while public where the stack says private; warn when open to 0.0.0.0/0."""
    name = cluster_name(cfg)
    if name is None and cfg.cluster_endpoint.private:
        return [
            fail(
                CLUSTER_ENDPOINT,
                "EKS",
                "wire:clusterEndpoint.private is true but no cluster is named: set "
                "wire:clusterEndpoint.clusterName (aws eks list-clusters)",
            )
        ]
    if name is None:
        return []  # not an EKS stack as far as the configuration says (kind, bare metal): nothing to look at
    try:
        config = eks.describe_cluster(name=name)["cluster"].get("resourcesVpcConfig") or {}
    except Exception as error:  # every AWS error (and an unreachable endpoint) is a result, never a traceback
        return [fail(CLUSTER_ENDPOINT, name, f"cannot describe the cluster: {error}")]
    public = bool(config.get("endpointPublicAccess", True))
    cidrs = list(config.get("publicAccessCidrs") or ([EVERYWHERE] if public else []))
    if public and cfg.cluster_endpoint.private:
        return [
            fail(
                CLUSTER_ENDPOINT,
                name,
                f"public access is on ({', '.join(cidrs)}) but wire:clusterEndpoint.private "
                "says private: aws eks update-cluster-config --name {name} --resources-vpc-config "
                "endpointPublicAccess=false,endpointPrivateAccess=true".replace("{name}", name),
            )
        ]
    if public and EVERYWHERE in cidrs:
        return [
            warn(
                CLUSTER_ENDPOINT,
                name,
                "the API endpoint is public to 0.0.0.0/0; restrict publicAccessCidrs to your "
                "admin networks, or make it private (wire:clusterEndpoint.private: true)",
            )
        ]
    if public:
        return [ok(CLUSTER_ENDPOINT, name, f"public only to {', '.join(cidrs)}")]
    return [ok(CLUSTER_ENDPOINT, name, "private endpoint only")]
