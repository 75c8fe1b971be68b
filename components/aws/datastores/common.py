"""What every managed store shares: its name, subnets and security group, and its outputs."""

from __future__ import annotations

from typing import TypeVar

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.common import child, tags
from components.config import StackConfig
from components.config.network import Network

COMPONENT = "datastores"
T = TypeVar("T")


def required(section: T | None, store: str) -> T:
    """The store's `managed` section (create_datastores builds only the stores that have one)."""
    if section is None:
        raise ValueError(f"a managed store needs wire:databases.{store}.managed")
    return section


class ManagedStore(pulumi.ComponentResource):
    """A store the services reach at `host`:`port` with `username` (if any) and `password` (a secret).

    Every store lives in `wire:network`'s private subnets behind a security group of its own that admits
    only the cluster's security groups, on the store's `ports` alone, with no egress rules.
    """

    host: pulumi.Output[str]
    port: int
    username: pulumi.Output[str] | str | None
    password: pulumi.Output[str]
    security_group: aws.ec2.SecurityGroup
    # What the wire-server release waits for (the store itself).
    resources: list[pulumi.Resource]
    # The store as AWS Backup knows it (wire:backup); None for the kinds AWS Backup cannot back up.
    backup_arn: pulumi.Output[str] | None = None

    def __init__(
        self,
        type_name: str,
        name: str,
        cfg: StackConfig,
        opts: pulumi.ResourceOptions | None,
        *,
        store: str,
        ports: list[int],
        what: str,
    ) -> None:
        super().__init__(f"wire:aws:{type_name}", name, None, opts)
        network = required(cfg.network, store)
        self.cfg = cfg
        self.aws_name = naming.datastore(cfg.environment, store)
        self.subnets = list(dict.fromkeys(network.private_subnet_ids))
        self.security_group = self._allow_clients(network, ports, what)

    def _allow_clients(self, network: Network, ports: list[int], what: str) -> aws.ec2.SecurityGroup:
        return aws.ec2.SecurityGroup(
            self.aws_name,
            name=self.aws_name,
            description=f"{what}: only the Wire cluster's security groups, on {', '.join(map(str, ports))}",
            vpc_id=network.vpc_id,
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp",
                    from_port=port,
                    to_port=port,
                    security_groups=sorted(network.client_security_group_ids),
                    description="Wire services",
                )
                for port in ports
            ],
            tags=tags(COMPONENT),
            opts=child(self),
        )

    def finish(self, store: pulumi.Resource) -> None:
        self.resources = [store]
        self.register_outputs({"host": self.host, "port": self.port, "securityGroupId": self.security_group.id})


def final_snapshot_name(cfg: StackConfig, name: str) -> str | None:
    """Production keeps a final snapshot when the store is deleted (after its protection is lifted)."""
    return f"{name}-final" if cfg.is_production else None
