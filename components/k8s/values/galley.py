"""galley: conversation settings and the team-events journal queue."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig, WireHost
from components.config.federation import federation_domain
from components.k8s.values.common import (
    cassandra_endpoint,
    database_secrets,
    https_url,
    postgresql_endpoint,
    rabbitmq_endpoint,
    service_identity,
    set_if,
    set_proxy_env,
)
from components.outputs import AwsOutputs


def galley_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "federationDomain": federation_domain(cfg),
        "maxConvSize": cfg.teams.max_conversation_size,
        # Conversation guest links open on account-pages; the chart needs this (or multiIngress).
        "conversationCodeURI": https_url(cfg, WireHost.ACCOUNT, "/conversation-join/"),
    }
    # Kept equal to brig's setMaxTeamSize: the two services check the limit independently.
    set_if(settings, "maxTeamSize", cfg.teams.max_team_size)
    config: dict[str, Any] = {
        "cassandra": cassandra_endpoint(cfg),
        "rabbitmq": rabbitmq_endpoint(cfg),
        "postgresql": postgresql_endpoint(cfg),
        "settings": settings,
        "aws": {"region": aws.region},
    }
    if aws.team_events_queue:
        config["journal"] = {"queueName": aws.team_events_queue, "endpoint": aws.sqs_endpoint}
    set_proxy_env(cfg, "galley", config)
    # galley's awsKeyId/awsSecretKey render into its own Secret `galley-aws`.
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.galley,
        "config": config,
        "secrets": database_secrets(cfg, postgres=True),
    }
    service_identity(cfg, aws, "galley", values)
    return values
