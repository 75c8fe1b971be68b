"""gundeck: where push configuration (SNS/SQS, Wire's external push account) becomes helm keys."""

from __future__ import annotations

import json
from typing import Any

import yaml

from components.config import StackConfig
from components.k8s.values.common import (
    cassandra_endpoint,
    database_secrets,
    db_endpoint,
    rabbitmq_endpoint,
    service_identity,
    set_proxy_env,
)
from components.outputs import AwsOutputs


def plain_scalar(text: str) -> str:
    """`text` as the chart may write it unquoted (`arnEnv: {{ .arnEnv }}`) so that it still reads back as this string.

    A YAML 1.1 reader (gundeck's) takes `on`, `no`, `null` or `1e3` as a bool, null or number; those get quotes.
    """
    return text if yaml.safe_load(text) == text else json.dumps(text)


def gundeck_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    push = aws.push
    redis = cfg.databases.redis
    config: dict[str, Any] = {
        "cassandra": cassandra_endpoint(cfg),
        "redis": db_endpoint(redis.host, redis.port),
        "rabbitmq": rabbitmq_endpoint(cfg),
        # All six keys in every push mode: gundeck resolves its queue at boot, even with push disabled.
        "aws": {
            # A string: gundeck splices it into SNS ARNs, and YAML would read 012345678901 as a number.
            "account": str(push.account),
            "region": push.region,
            "arnEnv": plain_scalar(push.arn_env),
            "queueName": push.queue_name,
            "sqsEndpoint": push.sqs_endpoint,
            "snsEndpoint": push.sns_endpoint,
        },
    }
    set_proxy_env(cfg, "gundeck", config)
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.gundeck,
        "config": config,
        "secrets": database_secrets(cfg, postgres=False),
    }
    service_identity(cfg, aws, "gundeck", values)
    return values
