"""What every managed store shares: its network (subnet list, security group) and its outputs."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.aws.common import child, tags
from components.config import StackConfig

COMPONENT = "datastores"


class ManagedStore(pulumi.ComponentResource):
    """A store the services reach at `host`:`port` with `username` (if any) and `password` (a secret)."""

    host: pulumi.Output[str]
    port: int
    username: pulumi.Output[str] | str | None
    password: pulumi.Output[str]
    security_group: aws.ec2.SecurityGroup
    # What the wire-server release waits for (the store itself).
    resources: list[pulumi.Resource]

    def __init__(self, type_name: str, name: str, cfg: StackConfig, opts: pulumi.ResourceOptions | None) -> None:
        super().__init__(f"wire:aws:{type_name}", name, None, opts)
        self.cfg = cfg

    def network(self) -> tuple[list[str], str]:
        network = self.cfg.network
        if network is None:  # the config rules require it with any managed store
            raise ValueError("a managed store needs wire:network")
        return list(dict.fromkeys(network.private_subnet_ids)), network.vpc_id

    def allow_clients(self, aws_name: str, ports: list[int], what: str) -> aws.ec2.SecurityGroup:
        """A security group admitting only the cluster's security groups, on `ports` alone; no egress."""
        network = self.cfg.network
        if network is None:
            raise ValueError("a managed store needs wire:network")
        return aws.ec2.SecurityGroup(
            aws_name,
            name=aws_name,
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

    def finish(self) -> None:
        self.register_outputs({"host": self.host, "port": self.port, "securityGroupId": self.security_group.id})


def final_snapshot_name(cfg: StackConfig, name: str) -> str | None:
    """Production keeps a final snapshot when the store is deleted (after its protection is lifted)."""
    return f"{name}-final" if cfg.is_production else None
