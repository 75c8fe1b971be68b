"""Amazon MQ for RabbitMQ 3.13 for brig, galley, gundeck, cannon and background-worker (AMQPS on 5671)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import pulumi
import pulumi_aws as aws

from components.aws.common import stateful, tags
from components.aws.datastores.common import COMPONENT, ManagedStore, required
from components.aws.datastores.credentials import store_password
from components.config import StackConfig
from components.config.datastore_rules import store_subnets
from components.config.managed_stores import RABBITMQ_PORT, RABBITMQ_VERSION, STORE_PORTS

DEFAULT_USERNAME = "wire-server"


def broker_host(instances: Sequence[Any] | None) -> str:
    """The host of the broker's AMQPS endpoint (`amqps://b-….mq.<region>.amazonaws.com:5671`)."""
    for instance in instances or []:
        endpoints = instance.get("endpoints") if isinstance(instance, dict) else getattr(instance, "endpoints", None)
        for endpoint in endpoints or []:
            if str(endpoint).startswith("amqps://"):
                return urlparse(str(endpoint)).hostname or ""
    return ""


class RabbitmqStore(ManagedStore):
    broker: aws.mq.Broker

    def __init__(self, name: str, cfg: StackConfig, *, opts: pulumi.ResourceOptions | None = None) -> None:
        # AMQPS for the services; the management API (443) for background-worker.
        ports = list(STORE_PORTS["rabbitmq"])
        super().__init__("RabbitmqStore", name, cfg, opts, store="rabbitmq", ports=ports, what="Amazon MQ for RabbitMQ")
        rabbitmq = cfg.databases.rabbitmq
        sizing = required(rabbitmq.managed, "rabbitmq").sizing(cfg.is_production)
        aws_name = self.aws_name
        username = rabbitmq.username.get_secret_value() if rabbitmq.username is not None else DEFAULT_USERNAME
        # Amazon MQ refuses ',', ':' and '=' in a password: letters and digits only.
        self.password = store_password(self, f"{aws_name}-password", rabbitmq.password, length=32)
        self.broker = aws.mq.Broker(
            aws_name,
            broker_name=aws_name,
            engine_type="RabbitMQ",
            engine_version=RABBITMQ_VERSION,
            # Amazon MQ requires automatic minor upgrades from RabbitMQ 3.13 on (patches within 3.13).
            auto_minor_version_upgrade=True,
            host_instance_type=sizing.instance_type,
            deployment_mode=sizing.deployment_mode,
            publicly_accessible=False,
            subnet_ids=store_subnets(cfg, "rabbitmq"),
            security_groups=[self.security_group.id],
            users=[aws.mq.BrokerUserArgs(username=username, password=self.password)],
            # RabbitMQ brokers encrypt at rest with an AWS-owned key (customer keys are ActiveMQ only).
            encryption_options=aws.mq.BrokerEncryptionOptionsArgs(use_aws_owned_key=True),
            logs=aws.mq.BrokerLogsArgs(general=True),
            tags=tags(COMPONENT),
            opts=stateful(self, cfg, additional_secret_outputs=["users"]),
        )
        self.host = self.broker.instances.apply(broker_host)
        self.port = RABBITMQ_PORT
        self.username = pulumi.Output.secret(username) if rabbitmq.username is not None else username
        self.finish(self.broker)
