"""Everything AWS for one stack, wired together: the entry points `create_aws` and `create_dns`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.alarms import Alarms
from components.aws.asset_replica import AssetReplica
from components.aws.assets import AssetStorage
from components.aws.backup import StackBackup, backup_resources
from components.aws.brig import BrigStorage
from components.aws.datastores import create_datastores
from components.aws.dns import DnsRecords
from components.aws.email import EmailSending
from components.aws.exports import stack_exports
from components.aws.galley import TeamEventsJournal
from components.aws.keys import event_topics_key
from components.aws.parts import AwsComponents
from components.aws.provider import create_provider
from components.aws.push import PushNotifications
from components.aws.record import aws_record, release_dependencies
from components.aws.service_policies import service_identities
from components.config import EmailMode, StackConfig
from components.outputs import AwsOutputs


@dataclass
class AwsInfrastructure:
    provider: aws.Provider
    # Resolved record for the helm values (components/outputs.py).
    record: pulumi.Output[AwsOutputs]
    # What the wire-server release waits for: identities, queues, table, bucket; not SES verification, not DNS.
    release_dependencies: list[pulumi.Resource]
    # Stack outputs by export name; secrets are secret Outputs.
    exports: dict[str, pulumi.Output | Any]
    email: EmailSending | None
    # Every component by role (push, brig, email, teamEvents, assets, identity:<svc>), for tests and tooling.
    components: dict[str, pulumi.ComponentResource] = field(default_factory=dict)


def create_aws(cfg: StackConfig, stack_aws: Mapping[str, Any] | None = None) -> AwsInfrastructure:
    provider = create_provider(cfg, stack_aws)
    opts = pulumi.ResourceOptions(providers=[provider])
    caller = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=provider))
    account_id: pulumi.Output[str] = caller.account_id
    partition: pulumi.Output[str] = caller.arn.apply(policies.partition_of)

    topic_key = event_topics_key(cfg, account_id=account_id, partition=partition, opts=opts)
    parts = AwsComponents(
        push=PushNotifications("push", cfg, account_id=account_id, topic_key=topic_key, opts=opts),
        brig=BrigStorage("brig", cfg, opts=opts),
        email=(
            EmailSending("email", cfg, account_id=account_id, partition=partition, topic_key=topic_key, opts=opts)
            if cfg.email.mode == EmailMode.SES
            else None
        ),
        team_events=TeamEventsJournal("team-events", cfg, opts=opts) if cfg.features.team_events_journal else None,
        assets=AssetStorage("assets", cfg, opts=opts),
        alarms=Alarms("alarms", cfg, topic_key=topic_key, account_id=account_id, opts=opts)
        if cfg.alarms.enabled
        else None,
    )
    parts.stores = create_datastores(cfg, account_id=account_id, partition=partition, opts=opts)
    if cfg.assets.replication.enabled:
        parts.assets_replica = AssetReplica(
            "assets-replica",
            cfg,
            source=parts.assets.bucket,
            source_versioning=parts.assets.versioning,
            account_id=account_id,
            replica_provider=create_provider(cfg, stack_aws, region=cfg.assets.replication.region, name="aws-replica"),
            opts=opts,
        )
    if cfg.backup.enabled:
        parts.backup = StackBackup(
            "backup", cfg, resources=backup_resources(parts), account_id=account_id, partition=partition, opts=opts
        )
    parts.identities = service_identities(cfg, parts, account_id=account_id, partition=partition, opts=opts)

    return AwsInfrastructure(
        provider=provider,
        record=aws_record(cfg, parts, account_id),
        release_dependencies=release_dependencies(parts),
        exports=stack_exports(cfg, parts, account_id),
        email=parts.email,
        components=parts.by_role(),
    )


def create_dns(
    cfg: StackConfig,
    infra: AwsInfrastructure,
    ingress_hostname: pulumi.Output[str] | None,
    websocket_hostname: pulumi.Output[str] | None,
    legacy_hostname: pulumi.Output[str] | None = None,
) -> DnsRecords | None:
    if cfg.dns is None:
        return None
    return DnsRecords(
        "dns",
        cfg,
        ingress_hostname=ingress_hostname,
        websocket_hostname=websocket_hostname,
        legacy_hostname=legacy_hostname,
        opts=pulumi.ResourceOptions(providers=[infra.provider]),
    )
