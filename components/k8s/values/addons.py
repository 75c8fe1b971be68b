"""Values of the cluster add-on releases (cert-manager, AWS Load Balancer Controller) and the ClusterIssuer.

Pure: the IRSA role ARNs come in as plain strings (None without a role).
"""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.config.addons import CERT_MANAGER_SERVICE_ACCOUNT, LB_CONTROLLER_SERVICE_ACCOUNT, AcmeChallenge
from components.k8s.values.common import GATEWAY, HTTP_LISTENER

CERT_MANAGER = "cert-manager"
AWS_LOAD_BALANCER_CONTROLLER = "aws-load-balancer-controller"

LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory"
LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


def _service_account(name: str, role_arn: str | None) -> dict[str, Any]:
    account: dict[str, Any] = {"create": True, "name": name}
    if role_arn is not None:
        account["annotations"] = {IRSA_ANNOTATION: role_arn}
    return account


def cert_manager_values(role_arn: str | None = None, *, gateway_api: bool = False) -> dict[str, Any]:
    """cert-manager with its CRDs; with DNS-01 its service account carries the Route53 role.

    `gateway_api`: its Gateway API support, for HTTP-01 challenges answered through the Gateway (the Gateway API
    CRDs must exist before cert-manager starts, or it never becomes ready)."""
    values: dict[str, Any] = {
        # `crds.enabled` replaces the deprecated `installCRDs`; `keep` leaves the CRDs (and so every
        # Certificate and its Secret) in place when the release is uninstalled.
        "crds": {"enabled": True, "keep": True},
        "serviceAccount": _service_account(CERT_MANAGER_SERVICE_ACCOUNT, role_arn),
    }
    if gateway_api:
        values["config"] = {
            "apiVersion": "controller.config.cert-manager.io/v1alpha1",
            "kind": "ControllerConfiguration",
            "enableGatewayAPI": True,
        }
    return values


def cert_manager_gateway_api(cfg: StackConfig) -> bool:
    """Whether the stack's ClusterIssuer answers HTTP-01 through the Gateway (cert-manager's Gateway API support)."""
    addon = cfg.addons.cert_manager
    return addon.install and addon.issuer == AcmeChallenge.HTTP01 and cfg.ingress.envoy_gateway


def cluster_issuer_manifest(cfg: StackConfig) -> dict[str, Any]:
    """The Let's Encrypt ClusterIssuer: HTTP-01 through the ingress class, or DNS-01 in the stack's Route53 zone."""
    addon = cfg.addons.cert_manager
    staging = addon.staging if addon.staging is not None else not cfg.is_production
    if addon.issuer == AcmeChallenge.DNS01:
        assert cfg.dns is not None
        # hostedZoneID spares the zone lookup (and its IAM permission); ambient credentials are the IRSA role.
        solver: dict[str, Any] = {
            "selector": {"dnsZones": [cfg.domain]},
            "dns01": {"route53": {"region": cfg.region, "hostedZoneID": cfg.dns.zone_id}},
        }
    elif cfg.ingress.envoy_gateway:
        solver = http01_solver(cfg)
    else:
        solver = {"http01": {"ingress": {"ingressClassName": cfg.ingress.ingress_class}}}
    return acme_issuer("ClusterIssuer", {"name": addon.issuer_name}, staging=staging, email=addon.email, solver=solver)


def acme_issuer(
    kind: str, metadata: dict[str, Any], *, staging: bool, email: str | None, solver: dict[str, Any]
) -> dict[str, Any]:
    """A Let's Encrypt (Cluster)Issuer with one solver; its account key in `<name>-account-key`."""
    return {
        "apiVersion": "cert-manager.io/v1",
        "kind": kind,
        "metadata": metadata,
        "spec": {
            "acme": {
                "server": LETS_ENCRYPT_STAGING if staging else LETS_ENCRYPT,
                "email": email,
                "privateKeySecretRef": {"name": f"{metadata['name']}-account-key"},
                "solvers": [solver],
            }
        },
    }


def http01_solver(cfg: StackConfig) -> dict[str, Any]:
    """cert-manager's HTTP-01 solver answering through the Gateway's HTTP listener (needs its Gateway API support)."""
    parent = {"name": GATEWAY, "namespace": cfg.kubernetes.namespace, "kind": "Gateway", "sectionName": HTTP_LISTENER}
    return {"http01": {"gatewayHTTPRoute": {"parentRefs": [parent]}}}


def aws_load_balancer_controller_values(cfg: StackConfig, role_arn: str | None = None) -> dict[str, Any]:
    """The controller for the stack's EKS cluster, its service account carrying the controller's role."""
    addon = cfg.addons.aws_load_balancer_controller
    values: dict[str, Any] = {
        "clusterName": addon.cluster_name,
        "region": cfg.region,
        "replicaCount": 2,
        "serviceAccount": _service_account(LB_CONTROLLER_SERVICE_ACCOUNT, role_arn),
    }
    if addon.vpc_id is not None:
        values["vpcId"] = addon.vpc_id
    return values
