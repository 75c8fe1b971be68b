"""Where the managed data stores live: the VPC, its private subnets and the security groups of the clients.

Only read when a store of `wire:databases` is `managed` (the program creates it on AWS). The clients are
the cluster's node (or pod) security groups: the only sources a store's security group admits.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from components.config.base import Model, at, fail

VpcId = Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8}([0-9a-f]{9})?$")]
SubnetId = Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8}([0-9a-f]{9})?$")]
SecurityGroupId = Annotated[str, Field(pattern=r"^sg-[0-9a-f]{8}([0-9a-f]{9})?$")]
# A subnet group (RDS, ElastiCache) spans at least two AZs; production spreads each store over three.
MIN_SUBNETS = 2
MIN_SUBNETS_PRODUCTION = 3


class Network(Model):
    vpc_id: VpcId
    """The VPC of the cluster; the managed stores get their security groups there."""
    private_subnet_ids: list[SubnetId]
    """Private subnets, one per availability zone (at least 2; 3 in production): the stores' subnet groups.
    AWS checks at `pulumi up` that they lie in distinct zones of the VPC."""
    client_security_group_ids: list[SecurityGroupId]
    """The cluster's node or pod security groups: the only sources allowed into a store, on its port alone."""

    @model_validator(mode="after")
    def _check(self) -> Network:
        problems = []
        for key, ids in (
            ("privateSubnetIds", self.private_subnet_ids),
            ("clientSecurityGroupIds", self.client_security_group_ids),
        ):
            twice = sorted({item for item in ids if ids.count(item) > 1})
            if twice:
                problems.append(at(key, f"lists {', '.join(twice)} more than once; list each once"))
        if len(set(self.private_subnet_ids)) < MIN_SUBNETS:
            problems.append(
                at(
                    "privateSubnetIds",
                    f"needs at least {MIN_SUBNETS} subnets in distinct availability zones (RDS and ElastiCache "
                    "subnet groups span two zones); add the cluster's other private subnets",
                )
            )
        if not self.client_security_group_ids:
            problems.append(
                at(
                    "clientSecurityGroupIds",
                    "is empty: nothing could reach the stores; list the cluster's node (or pod) security groups",
                )
            )
        if problems:
            fail(*problems)
        return self
