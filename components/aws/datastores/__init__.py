"""The data stores Wire needs besides Cassandra, created on AWS when `wire:databases.<store>.managed` is set.

One component per store (`wire:aws:PostgresqlStore`, `RedisStore`, `RabbitmqStore`, `OpensearchStore`),
each in the VPC of `wire:network` behind a security group of its own that admits only the cluster's
security groups on the store's port; encrypted at rest and in transit; in production protected, Multi-AZ
and backed up. `create_datastores` builds the ones the configuration asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from components.config import StackConfig

if TYPE_CHECKING:
    from components.aws.datastores.common import ManagedStore


def create_datastores(
    cfg: StackConfig,
    *,
    account_id: pulumi.Input[str],
    partition: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> dict[str, ManagedStore]:
    """The managed stores by name (postgresql, redis, rabbitmq, elasticsearch); none when all are self-run."""
    managed = cfg.databases.managed_stores()
    if not managed:
        return {}
    # Imported only when a store is managed: a stack without one never loads pulumi_random.
    from components.aws.datastores.credentials import random_provider
    from components.aws.datastores.opensearch import OpensearchStore
    from components.aws.datastores.postgresql import PostgresqlStore
    from components.aws.datastores.rabbitmq import RabbitmqStore
    from components.aws.datastores.redis import RedisStore

    with_random = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(providers=[random_provider(opts)]))
    stores: dict[str, ManagedStore] = {}
    for name in managed:
        if name == "postgresql":
            stores[name] = PostgresqlStore(name, cfg, opts=with_random)
        elif name == "redis":
            stores[name] = RedisStore(name, cfg, opts=with_random)
        elif name == "rabbitmq":
            stores[name] = RabbitmqStore(name, cfg, opts=with_random)
        else:
            stores[name] = OpensearchStore(name, cfg, account_id=account_id, partition=partition, opts=with_random)
    return stores
