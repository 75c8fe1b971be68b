"""The entry point: none, ingress-nginx behind an AWS NLB, or metallb on bare metal."""

from __future__ import annotations

from enum import StrEnum

from pydantic import model_validator

from components.config.base import Model


class IngressMode(StrEnum):
    NONE = "none"
    AWS_NLB = "awsNlb"
    METALLB = "metallb"


class Ingress(Model):
    """The entry point (guide: "Load balancer on cloud-provider" / "... on bare metal servers")."""

    controller: IngressMode = IngressMode.NONE
    """`none`, `awsNlb` (ingress-nginx behind an AWS NLB) or `metallb` (bare metal)."""
    metallb_addresses: list[str] = []
    """metallb: address pool (CIDRs or ranges) the controller's LoadBalancer service may take."""
    ingress_class: str = "nginx"
    """Ingress class of the Wire ingresses."""

    @model_validator(mode="after")
    def _check(self) -> Ingress:
        if self.controller == IngressMode.METALLB and not self.metallb_addresses:
            raise ValueError("controller 'metallb' needs metallbAddresses (e.g. ['203.0.113.10/32'])")
        if self.controller != IngressMode.METALLB and self.metallb_addresses:
            raise ValueError("metallbAddresses are only used with controller 'metallb'")
        return self
