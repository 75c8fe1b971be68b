"""IRSA roles of the cluster add-ons: cert-manager (DNS-01 in the stack's zone) and the AWS Load Balancer Controller."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import addon_policies, policies
from components.aws.irsa import irsa_role
from components.config import StackConfig
from components.config.addons import (
    CERT_MANAGER_NAMESPACE,
    CERT_MANAGER_SERVICE_ACCOUNT,
    LB_CONTROLLER_NAMESPACE,
    LB_CONTROLLER_SERVICE_ACCOUNT,
    AcmeChallenge,
)


class AddonIdentity(pulumi.ComponentResource):
    """Role `<env>-<addon>`, assumable only by one service account of the add-on, with its inline policy."""

    role: aws.iam.Role
    role_arn: pulumi.Output[str]
    # What the add-on's pods need before they start.
    resources: list[pulumi.Resource]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        namespace: str,
        service_account: str,
        policy: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:AddonIdentity", name, None, opts)
        irsa = irsa_role(
            self, cfg, name=name, description=name, namespace=namespace, service_account=service_account, policy=policy
        )
        self.role = irsa.role
        self.role_arn = irsa.role.arn
        self.resources = irsa.resources
        self.register_outputs({"roleArn": self.role_arn})


@dataclass
class AddonIdentities:
    """The add-ons' roles; None where the add-on is not installed or needs no AWS access."""

    cert_manager: AddonIdentity | None = None
    lb_controller: AddonIdentity | None = None


def addon_identities(cfg: StackConfig, provider: aws.Provider) -> AddonIdentities:
    """cert-manager's role (DNS-01 only: HTTP-01 calls no AWS API) and the LB controller's role."""
    addons = cfg.addons
    dns01 = addons.cert_manager.install and addons.cert_manager.issuer == AcmeChallenge.DNS01
    found = AddonIdentities()
    if not (dns01 or addons.aws_load_balancer_controller.install):
        return found
    opts = pulumi.ResourceOptions(providers=[provider])
    caller = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=provider))
    partition: pulumi.Output[str] = caller.arn.apply(policies.partition_of)
    if dns01:
        assert cfg.dns is not None
        zone_id = cfg.dns.zone_id
        found.cert_manager = AddonIdentity(
            "cert-manager",
            cfg,
            namespace=CERT_MANAGER_NAMESPACE,
            service_account=CERT_MANAGER_SERVICE_ACCOUNT,
            policy=partition.apply(
                lambda part: json.dumps(addon_policies.cert_manager_dns01_policy(zone_id=zone_id, partition=part))
            ),
            opts=opts,
        )
    if addons.aws_load_balancer_controller.install:
        found.lb_controller = AddonIdentity(
            "aws-load-balancer-controller",
            cfg,
            namespace=LB_CONTROLLER_NAMESPACE,
            service_account=LB_CONTROLLER_SERVICE_ACCOUNT,
            policy=partition.apply(lambda part: json.dumps(addon_policies.aws_load_balancer_controller_policy(part))),
            opts=opts,
        )
    return found
