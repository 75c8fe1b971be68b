"""Rules relating the cluster add-ons (addons.py) to other sections: the DNS zone, IRSA, cannon's certificate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.addons import LB_TYPE_ANNOTATION, AcmeChallenge
from components.config.cluster_mode import cluster_mode_warnings
from components.config.ingress import LoadBalancerKind
from components.config.registry import rule, warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig


def uses_lb_controller(cfg: StackConfig) -> bool:
    """Whether a Service of this stack asks for a load balancer only the AWS Load Balancer Controller provides."""
    wslb = cfg.cannon.websocket_load_balancer
    cannon = wslb.enabled and wslb.annotations.get(LB_TYPE_ANNOTATION) == "external"
    return cfg.ingress.balancer == LoadBalancerKind.AWS_NLB or cannon


# Rules relating the add-ons to other sections, each needing only the sections it reads: a problem in one
# (say wire:dns) does not hide the others' findings.


@rule("addons", "dns")
def _dns01_needs_a_zone(cfg: StackConfig) -> list[str]:
    cert_manager = cfg.addons.cert_manager
    if cert_manager.install and cert_manager.issuer == AcmeChallenge.DNS01 and cfg.dns is None:
        return [
            "wire:addons.certManager.issuer: 'dns01' needs wire:dns (its zoneId holds the challenge TXT records); "
            "set dns.zoneId, or use issuer 'http01'"
        ]
    return []


@rule("addons", "service_credentials")
def _addon_roles_need_oidc(cfg: StackConfig) -> list[str]:
    if cfg.service_credentials.oidc_provider_arn is not None:
        return []
    errors = []
    cert_manager = cfg.addons.cert_manager
    if cert_manager.install and cert_manager.issuer == AcmeChallenge.DNS01:
        errors.append(
            "wire:addons.certManager.issuer: 'dns01' needs wire:serviceCredentials.oidcProviderArn: "
            "cert-manager reaches Route53 with an IRSA role of its own"
        )
    if cfg.addons.aws_load_balancer_controller.install:
        errors.append(
            "wire:addons.awsLoadBalancerController.install: needs wire:serviceCredentials.oidcProviderArn: "
            "the controller calls EC2 and ELB with an IRSA role of its own"
        )
    return errors


@rule("addons", "cannon")
def _cannon_certificate_from_the_issuer(cfg: StackConfig) -> list[str]:
    cert_manager = cfg.addons.cert_manager
    wslb = cfg.cannon.websocket_load_balancer
    if not (wslb.enabled and wslb.cert_manager.enabled and cert_manager.install):
        return []
    errors = []
    if cert_manager.issuer != AcmeChallenge.DNS01:
        errors.append(
            "wire:addons.certManager.issuer: wire:cannon.websocketLoadBalancer has a cert-manager certificate, "
            "but its load balancer listens only on 443, where an HTTP-01 challenge cannot be answered: "
            "set wire:addons.certManager.issuer to 'dns01'"
        )
    issuer = wslb.cert_manager
    if issuer.issuer_name != cert_manager.issuer_name or issuer.issuer_kind != "ClusterIssuer":
        errors.append(
            "wire:cannon.websocketLoadBalancer.certManager.issuerName: asks for "
            f"{issuer.issuer_kind} '{issuer.issuer_name}', but the ClusterIssuer created is "
            f"'{cert_manager.issuer_name}': set issuerName '{cert_manager.issuer_name}' "
            "and issuerKind 'ClusterIssuer'"
        )
    return errors


@warning
def addon_warnings(cfg: StackConfig) -> list[str]:
    """What must exist in the cluster when the program does not install it (and settings without effect)."""
    found: list[str] = cluster_mode_warnings(cfg)
    if uses_lb_controller(cfg) and not cfg.addons.aws_load_balancer_controller.install:
        found.append(
            "a load balancer of this stack (the entry point's AWS NLB or cannon's own) needs the AWS Load Balancer "
            "Controller, which this stack does not install: without it the Service stays pending and helm times out. "
            "Check: kubectl -n kube-system get deploy aws-load-balancer-controller; or set "
            "addons.awsLoadBalancerController.install (docs/addons.md)"
        )
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.cert_manager.enabled and not cfg.addons.cert_manager.install:
        found.append(
            f"cannon's certificate comes from the existing {wslb.cert_manager.issuer_kind} "
            f"'{wslb.cert_manager.issuer_name}': it must solve DNS-01 (cannon's load balancer listens only on 443, "
            "so HTTP-01 cannot be answered there) (docs/addons.md)"
        )
    return found
