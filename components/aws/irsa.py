"""One IRSA role: assumable only by one Kubernetes service account, with its inline policy.

Wire's services (identity.py) and the cluster add-ons (addons.py) get their roles here, the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws import policies
from components.aws.common import child, tags
from components.config import StackConfig


@dataclass
class IrsaRole:
    role: aws.iam.Role
    # The role and its policy: what the pods need before they start.
    resources: list[pulumi.Resource]


def irsa_role(
    parent: pulumi.Resource,
    cfg: StackConfig,
    *,
    name: str,
    description: str,
    namespace: str,
    service_account: str,
    policy: pulumi.Input[str] | None,
) -> IrsaRole:
    """Role `<env>-<name>` trusting `system:serviceaccount:<namespace>:<service_account>` through the OIDC provider.

    `policy` (a JSON document) becomes the role's inline policy `<env>-<name>`; None attaches none.
    """
    credentials = cfg.service_credentials
    # StackConfig refuses IRSA (for a service or an add-on) without an OIDC provider.
    assert credentials.oidc_provider_arn and credentials.oidc_issuer
    trust = policies.irsa_trust_policy(
        oidc_provider_arn=credentials.oidc_provider_arn,
        issuer=credentials.oidc_issuer,
        namespace=namespace,
        service_account=service_account,
    )
    role_name = naming.service_role(cfg.environment, name)
    role = aws.iam.Role(
        role_name,
        name=role_name,
        description=f"{description} (IRSA, service account {namespace}/{service_account})",
        assume_role_policy=json.dumps(trust),
        tags=tags(name),
        opts=child(parent),
    )
    resources: list[pulumi.Resource] = [role]
    if policy is not None:
        resources.append(aws.iam.RolePolicy(role_name, name=role_name, role=role.id, policy=policy, opts=child(parent)))
    return IrsaRole(role=role, resources=resources)
