"""One AWS identity per service (brig, galley, gundeck, cargohold) with its least-privilege policy."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws import policies
from components.aws.common import child, tags
from components.aws.irsa import irsa_role
from components.config import CredentialsMode, StackConfig


class ServiceIdentity(pulumi.ComponentResource):
    """IRSA: role `<env>-<svc>` assumable only by `system:serviceaccount:<namespace>:<svc>`.
    staticKeys: user `<env>-<svc>` with an access key whose secret stays a Pulumi secret.

    `policy` is the service's inline policy document, or None when the service needs no AWS access
    (galley without the team-events journal): then no policy is attached at all.
    """

    service: str
    role: aws.iam.Role | None
    user: aws.iam.User | None
    access_key: aws.iam.AccessKey | None
    role_arn: pulumi.Output[str] | None
    access_key_id: pulumi.Output[str] | None
    secret_access_key: pulumi.Output[str] | None
    # Everything the service's pods need before they start.
    resources: list[pulumi.Resource]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        service: str,
        policy: pulumi.Output[policies.Document] | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:ServiceIdentity", name, None, opts)
        self.service = service
        self.role = self.user = self.access_key = None
        self.role_arn = self.access_key_id = self.secret_access_key = None
        self.resources = []
        env = cfg.environment
        policy_json = policy.apply(json.dumps) if policy is not None else None
        credentials = cfg.service_credentials

        if credentials.mode == CredentialsMode.IRSA:
            irsa = irsa_role(
                self,
                cfg,
                name=service,
                description=f"wire-server {service}",
                namespace=cfg.kubernetes.namespace,
                service_account=service,
                policy=policy_json,
            )
            self.role = irsa.role
            self.role_arn = irsa.role.arn
            self.resources += irsa.resources
        else:
            user_name = naming.service_user(env, service)
            self.user = aws.iam.User(user_name, name=user_name, tags=tags(service), opts=child(self))
            self.resources.append(self.user)
            if policy_json is not None:
                self.resources.append(
                    aws.iam.UserPolicy(
                        user_name, name=user_name, user=self.user.name, policy=policy_json, opts=child(self)
                    )
                )
            self.access_key = aws.iam.AccessKey(
                user_name,
                user=self.user.name,
                opts=child(self, additional_secret_outputs=["secret"]),
            )
            self.resources.append(self.access_key)
            self.access_key_id = self.access_key.id
            self.secret_access_key = pulumi.Output.secret(self.access_key.secret)

        self.register_outputs(
            {"roleArn": self.role_arn, "accessKeyId": self.access_key_id, "secretAccessKey": self.secret_access_key}
        )
