"""The entry point: Envoy Gateway (Gateway API), the retired ingress-nginx (`legacy`), or none; behind an AWS NLB
or metallb on bare metal (docs/entry-point.md).

`controller: awsNlb` / `metallb` are the values from before Envoy Gateway: they still mean ingress-nginx behind
that load balancer (`legacy`), with a warning naming the new settings. What the entry point serves, and the
warnings that read other sections, are in entry_point.py.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import model_validator

from components.config.base import Model
from components.config.dns import WireHost


class IngressMode(StrEnum):
    NONE = "none"
    ENVOY_GATEWAY = "envoyGateway"
    LEGACY = "legacy"
    # Before Envoy Gateway: ingress-nginx behind that load balancer (= legacy + loadBalancer).
    AWS_NLB = "awsNlb"
    METALLB = "metallb"


class LoadBalancerKind(StrEnum):
    AWS_NLB = "awsNlb"
    METALLB = "metallb"


# The controller values that name ingress-nginx's load balancer themselves.
_OLD_MODES = {IngressMode.AWS_NLB: LoadBalancerKind.AWS_NLB, IngressMode.METALLB: LoadBalancerKind.METALLB}
RETIRED = "ingress-nginx is retired (no releases and no security fixes since March 2026)"


class Ingress(Model):
    """The entry point (guide: "Load balancer on cloud-provider" / "... on bare metal servers")."""

    controller: IngressMode = IngressMode.NONE
    """`none`, `envoyGateway` (Gateway API, Envoy Gateway), `legacy` (the retired ingress-nginx); the older
    `awsNlb` / `metallb` mean `legacy` with that load balancer (docs/entry-point.md)."""
    load_balancer: LoadBalancerKind | None = None
    """`awsNlb` (an NLB the AWS Load Balancer Controller provisions) or `metallb` (bare metal); required with
    `envoyGateway` and `legacy`."""
    metallb_addresses: list[str] = []
    """metallb: address pool (CIDRs or ranges) the entry point's LoadBalancer service may take."""
    ingress_class: str = "nginx"
    """Ingress class of the Wire ingresses (ingress-nginx)."""
    legacy_hosts: list[WireHost] | None = None
    """envoyGateway: the move from ingress-nginx. While set, ingress-nginx keeps running beside Envoy Gateway,
    and these hosts' DNS records still point at it (`[]`: every record on Envoy, ingress-nginx still up);
    remove the key to remove ingress-nginx."""

    @property
    def balancer(self) -> LoadBalancerKind | None:
        """The load balancer in front of the entry point (None without one)."""
        return _OLD_MODES.get(self.controller, self.load_balancer)

    @property
    def envoy_gateway(self) -> bool:
        return self.controller == IngressMode.ENVOY_GATEWAY

    @property
    def ingress_nginx(self) -> bool:
        """Whether ingress-nginx runs: as the entry point, or beside Envoy Gateway during the move."""
        legacy = self.controller in (IngressMode.LEGACY, *_OLD_MODES)
        return legacy or (self.envoy_gateway and self.legacy_hosts is not None)

    @property
    def any_controller(self) -> bool:
        return self.controller != IngressMode.NONE

    @model_validator(mode="after")
    def _check(self) -> Ingress:
        errors = []
        metallb = self.balancer == LoadBalancerKind.METALLB
        if self.controller in (IngressMode.ENVOY_GATEWAY, IngressMode.LEGACY) and self.load_balancer is None:
            errors.append(f"controller '{self.controller}' needs loadBalancer: awsNlb (on AWS) or metallb (bare metal)")
        if self.controller in _OLD_MODES and self.load_balancer not in (None, _OLD_MODES[self.controller]):
            errors.append(
                f"controller '{self.controller}' is ingress-nginx behind {_OLD_MODES[self.controller]}, but "
                f"loadBalancer is '{self.load_balancer}': set controller: legacy with that loadBalancer"
            )
        if self.controller == IngressMode.NONE and self.load_balancer is not None:
            errors.append("loadBalancer is only used with controller envoyGateway or legacy")
        if metallb and not self.metallb_addresses:
            errors.append("loadBalancer 'metallb' needs metallbAddresses (e.g. ['203.0.113.10/32'])")
        if not metallb and self.metallb_addresses:
            errors.append("metallbAddresses are only used with the load balancer 'metallb'")
        if self.legacy_hosts is not None and not self.envoy_gateway:
            errors.append("legacyHosts is the move to envoyGateway: only used with controller envoyGateway")
        if self.legacy_hosts and len(set(self.legacy_hosts)) != len(self.legacy_hosts):
            errors.append("legacyHosts lists a hostname twice")
        if errors:
            raise ValueError("\n".join(errors))
        return self

    def warnings(self) -> list[str]:
        if self.controller in _OLD_MODES:
            return [
                f"wire:ingress.controller '{self.controller}' means ingress-nginx (legacy) behind {self.balancer}; "
                f"{RETIRED}. Move to controller: envoyGateway with loadBalancer: {self.balancer} "
                "(docs/entry-point.md), "
                f"or write controller: legacy, loadBalancer: {self.balancer} to keep it for now"
            ]
        if self.controller == IngressMode.LEGACY:
            return [
                f"wire:ingress.controller 'legacy': {RETIRED}. Move to controller: envoyGateway "
                "(docs/entry-point.md: both side by side, DNS record by record, then remove ingress-nginx)"
            ]
        if self.envoy_gateway and self.legacy_hosts is not None:
            return [
                "wire:ingress.legacyHosts: ingress-nginx (retired) still runs beside Envoy Gateway for the move; "
                "remove the key once every record points at Envoy Gateway and the TTL has passed (docs/entry-point.md)"
            ]
        return []
