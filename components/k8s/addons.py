"""The cluster add-ons the Wire releases depend on: cert-manager with its ClusterIssuer, and the AWS Load
Balancer Controller; pinned helm releases, installed only when `wire:addons` asks for them. With the Gateway API
entry point also the Gateway API CRDs (gateway-crds-helm): cert-manager's Gateway API support needs them first.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.aws.addons import AddonIdentities
from components.config import ChartSource, StackConfig
from components.config.addons import CERT_MANAGER_NAMESPACE, LB_CONTROLLER_NAMESPACE
from components.k8s.releases import DEFAULT_TIMEOUT, custom_resource, helm_release, single_output
from components.k8s.values import GATEWAY_CRDS, gateway_crds_values, release_namespace
from components.k8s.values import addons as v


def _role_values(identity: Any, build: Any) -> pulumi.Output[dict[str, Any]]:
    """A values tree built from the add-on's role ARN (None without a role), as one Output."""
    if identity is None:
        return single_output(build(None))
    return identity.role_arn.apply(build)


class ClusterAddons(pulumi.ComponentResource):
    """cert-manager (+ ClusterIssuer) and the AWS Load Balancer Controller, as configured in `wire:addons`.

    `certificates`: what nginx-ingress-services and cannon's certificate wait for; `load_balancers`: what
    every Service annotated for the controller waits for. Empty when the add-on is not installed here.
    """

    value_trees: dict[str, pulumi.Output[dict[str, Any]]]
    releases: dict[str, k8s.helm.v3.Release]
    certificates: list[pulumi.Resource]
    cluster_issuer: k8s.apiextensions.CustomResource | None
    load_balancers: list[pulumi.Resource]
    gateway_api: list[pulumi.Resource]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        identities: AddonIdentities,
        provider: k8s.Provider | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:k8s:ClusterAddons", name, None, opts)
        self._provider = provider
        self._cfg = cfg
        self.value_trees = {}
        self.releases = {}
        self.certificates = []
        self.cluster_issuer = None
        self.load_balancers = []
        self.gateway_api = []
        addons = cfg.addons

        if cfg.ingress.envoy_gateway:
            self.value_trees[GATEWAY_CRDS] = single_output(gateway_crds_values(cfg))
            crds = self._release(GATEWAY_CRDS, cfg.charts.gateway_crds, release_namespace(cfg, GATEWAY_CRDS), [])
            self.gateway_api = [crds]

        if addons.cert_manager.install:
            gateway_api = v.cert_manager_gateway_api(cfg)
            self.value_trees[v.CERT_MANAGER] = _role_values(
                identities.cert_manager, lambda arn: v.cert_manager_values(arn, gateway_api=gateway_api)
            )
            depends = identities.cert_manager.resources if identities.cert_manager else []
            if gateway_api:
                depends = [*depends, *self.gateway_api]
            release = self._release(v.CERT_MANAGER, cfg.charts.cert_manager, CERT_MANAGER_NAMESPACE, depends)
            issuer = v.cluster_issuer_manifest(cfg)
            cluster_issuer = custom_resource(
                f"cluster-issuer-{issuer['metadata']['name']}",
                issuer,
                # The chart installs the CRD and the webhook that admits the issuer.
                pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[release]),
            )
            self.cluster_issuer = cluster_issuer
            # Certificate objects need the CRDs and the webhook (the release) to be admitted; the issuer they
            # name is picked up by cert-manager whenever it appears, so nothing waits for it.
            self.certificates = [release]

        if addons.aws_load_balancer_controller.install:
            self.value_trees[v.AWS_LOAD_BALANCER_CONTROLLER] = _role_values(
                identities.lb_controller, lambda arn: v.aws_load_balancer_controller_values(cfg, arn)
            )
            depends = identities.lb_controller.resources if identities.lb_controller else []
            release = self._release(
                v.AWS_LOAD_BALANCER_CONTROLLER,
                cfg.charts.aws_load_balancer_controller,
                LB_CONTROLLER_NAMESPACE,
                depends,
            )
            self.load_balancers = [release]

        self.register_outputs({"releases": sorted(self.releases)})

    def _release(
        self, release: str, source: ChartSource, namespace: str, depends_on: list[pulumi.Resource]
    ) -> k8s.helm.v3.Release:
        created = helm_release(
            release,
            source,
            namespace,
            self.value_trees[release],
            timeout=DEFAULT_TIMEOUT,
            opts=pulumi.ResourceOptions(parent=self, provider=self._provider, depends_on=depends_on),
            cfg=self._cfg,
        )
        self.releases[release] = created
        return created
