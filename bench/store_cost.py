"""Idle cost of the managed data stores (RDS, ElastiCache, Amazon MQ, OpenSearch) from their planned inputs.

Priced per instance class from bench/prices.md (keys `<service>_<class with . as _>`); a class the table
lacks gives an item with no amount (the report says so), never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench.prices import PriceTable

STORE_TYPES = (
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:mq/broker:Broker",
    "aws:opensearch/domain:Domain",
)
# Parts of a store that cost nothing by themselves.
FREE_STORE_PARTS = (
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "random:",
)


def _key(prefix: str, size: str) -> str:
    return f"{prefix}_{size.replace('.', '_')}"


def _hourly(prices: PriceTable, key: str) -> float | None:
    price = prices.prices.get(key)
    return price.monthly if price is not None else None


def store_cost(type_: str, inputs: Mapping[str, Any], prices: PriceTable) -> tuple[str, str, float | None]:
    """(price keys, description, USD/month or None when the table lacks the class) of one store."""
    if type_ == "aws:rds/instance:Instance":
        size, copies = str(inputs.get("instanceClass")), 2 if inputs.get("multiAz") else 1
        key = _key("rds_pg", size)
        node = _hourly(prices, key)
        storage = float(inputs.get("allocatedStorage") or 0) * prices["rds_gp3_gb"].monthly
        monthly = None if node is None else copies * (node + storage)
        return (
            f"{key}+rds_gp3_gb",
            f"RDS for PostgreSQL {size} x{copies}, {inputs.get('allocatedStorage')} GiB",
            monthly,
        )
    if type_ == "aws:elasticache/replicationGroup:ReplicationGroup":
        size, nodes = str(inputs.get("nodeType")), int(inputs.get("numCacheClusters") or 1)
        key = _key(f"elasticache_{inputs.get('engine', 'redis')}", size)
        node = _hourly(prices, key)
        return key, f"ElastiCache {inputs.get('engine')} {size} x{nodes}", None if node is None else nodes * node
    if type_ == "aws:mq/broker:Broker":
        size = str(inputs.get("hostInstanceType"))
        nodes = 3 if inputs.get("deploymentMode") == "CLUSTER_MULTI_AZ" else 1
        key = _key("mq_rabbitmq", size)
        node = _hourly(prices, key)
        return key, f"Amazon MQ for RabbitMQ {size} x{nodes}", None if node is None else nodes * node
    cluster = inputs.get("clusterConfig") or {}
    size, count = str(cluster.get("instanceType")), int(cluster.get("instanceCount") or 1)
    key = _key("opensearch", size)
    node = _hourly(prices, key)
    volume = float((inputs.get("ebsOptions") or {}).get("volumeSize") or 0) * prices["opensearch_gp3_gb"].monthly
    monthly = None if node is None else count * (node + volume)
    description = f"OpenSearch {size} x{count}"
    if cluster.get("dedicatedMasterEnabled"):
        master, masters = str(cluster.get("dedicatedMasterType")), int(cluster.get("dedicatedMasterCount") or 3)
        master_price = _hourly(prices, _key("opensearch", master))
        monthly = None if monthly is None or master_price is None else monthly + masters * master_price
        description += f" + {masters} masters {master}"
    return f"{key}+opensearch_gp3_gb", description, monthly
