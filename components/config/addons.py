"""Cluster add-ons the Wire releases rely on: cert-manager (with a Let's Encrypt ClusterIssuer) and the
AWS Load Balancer Controller, each installed by this program or expected to exist already.

nginx-ingress-services always asks cert-manager for its certificates (Issuer/Certificate objects need
cert-manager's CRDs), and the `aws-load-balancer-type: external` annotation of an `awsNlb` entry point
(and of cannon's own load balancer) is only acted on by the AWS Load Balancer Controller: without it the
Service stays pending, helm times out and no DNS record is ever created. See docs/addons.md.
The rules relating the add-ons to other sections are in addon_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import Field, ModelWrapValidatorHandler, model_validator

from components.config.all_at_once import all_at_once, raw, raw_flag
from components.config.base import EmailAddress, Model, at

# Where each add-on runs, and the service account its IRSA role trusts (the releases set these names).
CERT_MANAGER_NAMESPACE = "cert-manager"
CERT_MANAGER_SERVICE_ACCOUNT = "cert-manager"
LB_CONTROLLER_NAMESPACE = "kube-system"
LB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller"

# What the AWS Load Balancer Controller needs to act on a Service: `external` (NLB through the controller).
LB_TYPE_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-type"
_CLUSTER_NAME_RE = re.compile(r"^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$")
_VPC_ID_RE = re.compile(r"^vpc-[0-9a-f]{8,17}$")


class AcmeChallenge(StrEnum):
    HTTP01 = "http01"
    DNS01 = "dns01"


class CertManagerAddon(Model):
    """cert-manager and a Let's Encrypt ClusterIssuer."""

    install: bool = False
    """Install cert-manager (jetstack chart, with its CRDs) and a Let's Encrypt ClusterIssuer."""
    issuer: AcmeChallenge = AcmeChallenge.HTTP01
    """`http01`: answered through the ingress class; `dns01`: TXT records in wire:dns.zoneId (own IRSA role)."""
    issuer_name: str = "letsencrypt"
    """Name of the ClusterIssuer (nginx-ingress-services and cannon's certificate use it)."""
    email: EmailAddress | None = None
    """ACME account address: Let's Encrypt mails expiry and account notices here (required with install)."""
    staging: bool | None = None
    """Let's Encrypt's staging server (untrusted certificates, no rate limits); defaults to not production."""

    @model_validator(mode="wrap")
    @classmethod
    def _check(cls, data: Any, handler: ModelWrapValidatorHandler[CertManagerAddon]) -> CertManagerAddon:
        return all_at_once(data, handler, _cert_manager_rules)


class AwsLoadBalancerControllerAddon(Model):
    """The AWS Load Balancer Controller (eks-charts), with its IRSA role and AWS's published policy."""

    install: bool = False
    """Install the AWS Load Balancer Controller in kube-system, with an IRSA role holding AWS's IAM policy."""
    cluster_name: str | None = None
    """Name of the EKS cluster (required with install): the controller tags and finds its load balancers by it."""
    vpc_id: str | None = None
    """VPC of the cluster; read from the instance metadata when unset (set it where IMDS is blocked)."""

    @model_validator(mode="wrap")
    @classmethod
    def _check(
        cls, data: Any, handler: ModelWrapValidatorHandler[AwsLoadBalancerControllerAddon]
    ) -> AwsLoadBalancerControllerAddon:
        return all_at_once(data, handler, _controller_rules)


def _cert_manager_rules(data: Mapping[str, Any]) -> list[str]:
    if raw_flag(data, "install") and raw(data, "email") is None:
        return [at("email", "certManager.install needs email: the ACME account address (e.g. ops@<domain>)")]
    return []


def _controller_rules(data: Mapping[str, Any]) -> list[str]:
    errors = []
    cluster_name, vpc_id = raw(data, "clusterName"), raw(data, "vpcId")
    if raw_flag(data, "install") and not cluster_name:
        errors.append(
            at(
                "clusterName",
                "awsLoadBalancerController.install needs clusterName (aws eks list-clusters), e.g. wire-prod",
            )
        )
    if isinstance(cluster_name, str) and not _CLUSTER_NAME_RE.match(cluster_name):
        errors.append(
            at("clusterName", f"awsLoadBalancerController.clusterName '{cluster_name}' is not an EKS cluster name")
        )
    if isinstance(vpc_id, str) and not _VPC_ID_RE.match(vpc_id):
        errors.append(at("vpcId", f"awsLoadBalancerController.vpcId '{vpc_id}' is not a VPC id (vpc-...)"))
    return errors


class Addons(Model):
    """Cluster add-ons the releases depend on; off by default (then they must already exist, docs/addons.md)."""

    cert_manager: CertManagerAddon = Field(default_factory=CertManagerAddon)
    """cert-manager and its ClusterIssuer (nginx-ingress-services always requests certificates from it)."""
    aws_load_balancer_controller: AwsLoadBalancerControllerAddon = Field(default_factory=AwsLoadBalancerControllerAddon)
    """AWS Load Balancer Controller (acts on the NLB annotations of ingress awsNlb and cannon's load balancer)."""

    @property
    def any_installed(self) -> bool:
        return self.cert_manager.install or self.aws_load_balancer_controller.install
