"""Everything AWS for one stack, wired together: the entry points `create_aws` and `create_dns`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
from pydantic import SecretStr

from components.aws import policies
from components.aws.assets import AssetStorage
from components.aws.brig import BrigStorage
from components.aws.common import default_tags
from components.aws.dns import DnsRecords
from components.aws.email import EmailSending
from components.aws.galley import TeamEventsJournal
from components.aws.identity import ServiceIdentity
from components.aws.push import PushNotifications
from components.config import CredentialsMode, EmailMode, PushMode, StackConfig
from components.naming import SERVICES
from components.outputs import AccessKey, AwsOutputs, PushOutputs

# Provider settings taken from the stack's `aws:` namespace (read by __main__.py). An explicit provider
# ignores that namespace, so without this the dev stack's emulator endpoints and dummy credentials would be lost.
_PROVIDER_SETTINGS = {
    "profile": "profile",
    "skipCredentialsValidation": "skip_credentials_validation",
    "skipMetadataApiCheck": "skip_metadata_api_check",
    "skipRequestingAccountId": "skip_requesting_account_id",
    "s3UsePathStyle": "s3_use_path_style",
    "allowedAccountIds": "allowed_account_ids",
    "endpoints": "endpoints",
    "accessKey": "access_key",
    "secretKey": "secret_key",
}


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


def create_provider(cfg: StackConfig, stack_aws: Mapping[str, Any] | None = None) -> aws.Provider:
    """The one AWS provider; `stack_aws` is the stack's `aws:` namespace (keys without the prefix)."""
    given = stack_aws or {}
    settings = {arg: given[key] for key, arg in _PROVIDER_SETTINGS.items() if given.get(key) is not None}
    return aws.Provider(
        "aws",
        region=cfg.region,
        default_tags=aws.ProviderDefaultTagsArgs(tags=default_tags(cfg)),
        **settings,
    )


def create_aws(cfg: StackConfig, stack_aws: Mapping[str, Any] | None = None) -> AwsInfrastructure:
    provider = create_provider(cfg, stack_aws)
    component_opts = pulumi.ResourceOptions(providers=[provider])
    caller = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=provider))
    account_id: pulumi.Output[str] = caller.account_id
    partition: pulumi.Output[str] = caller.arn.apply(policies.partition_of)
    cmk = cfg.service_credentials.kms_key_arn

    push = PushNotifications("push", cfg, account_id=account_id, opts=component_opts)
    brig = BrigStorage("brig", cfg, opts=component_opts)
    email = None
    if cfg.email.mode == EmailMode.SES:
        email = EmailSending("email", cfg, account_id=account_id, partition=partition, opts=component_opts)
    team_events = None
    if cfg.features.team_events_journal:
        team_events = TeamEventsJournal("team-events", cfg, opts=component_opts)
    assets = AssetStorage("assets", cfg, opts=component_opts)

    # --- least-privilege policies, one per service ---
    brig_policy = pulumi.Output.all(
        internal=brig.internal_queue.arn,
        ses_queue=email.queue.arn if email else None,
        journal=brig.user_journal.arn if brig.user_journal else None,
        identity=email.identity_arn if email else None,
        configuration_set=email.configuration_set_arn if email else None,
        table=brig.prekey_table.arn if brig.prekey_table else None,
    ).apply(
        lambda arns: policies.brig_policy(
            internal_queue_arn=arns["internal"],
            ses_queue_arn=arns["ses_queue"],
            user_journal_queue_arn=arns["journal"],
            ses_identity_arn=arns["identity"],
            ses_configuration_set_arn=arns["configuration_set"],
            sender=cfg.email.sender if email else None,
            prekey_table_arn=arns["table"],
            kms_key_arn=cmk,
        )
    )
    service_policies: dict[str, pulumi.Output[policies.Document] | None] = {
        "brig": brig_policy,
        "cargohold": assets.bucket_arn.apply(lambda arn: policies.cargohold_policy(bucket_arn=arn, kms_key_arn=cmk)),
        "galley": (
            team_events.queue.arn.apply(
                lambda arn: policies.galley_policy(team_events_queue_arn=arn, kms_key_arn=cmk)  # type: ignore[return-value]
            )
            if team_events
            else None
        ),
    }
    # External push: gundeck talks to Wire's account with Wire's key, so it gets no identity of ours.
    if push.queue is not None:
        push_queue = push.queue
        service_policies["gundeck"] = pulumi.Output.all(push_queue.arn, account_id, partition).apply(
            lambda args: policies.gundeck_policy(
                queue_arn=args[0],
                region=cfg.region,
                account_id=args[1],
                arn_env=push.arn_env,
                partition=args[2],
                push_enabled=cfg.push.mode == PushMode.CREATE,
                kms_key_arn=cmk,
            )
        )
    identities = {
        service: ServiceIdentity(service, cfg, service=service, policy=service_policies[service], opts=component_opts)
        for service in SERVICES
        if service in service_policies
    }

    # --- the record the helm values are computed from ---
    static = cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS
    key_ids = {svc: ident.access_key_id for svc, ident in identities.items() if ident.access_key_id is not None}
    key_secrets = {
        svc: ident.secret_access_key for svc, ident in identities.items() if ident.secret_access_key is not None
    }
    role_arns = {svc: ident.role_arn for svc, ident in identities.items() if ident.role_arn is not None}
    external_key = pulumi.Output.secret(push.external_key) if push.external_key is not None else None

    def to_record(values: dict[str, Any]) -> AwsOutputs:
        access_keys = {
            svc: AccessKey(key_id=values["key_ids"][svc], secret=SecretStr(values["key_secrets"][svc]))
            for svc in values["key_ids"]
        }
        if values["external_key"] is not None:
            access_keys["gundeck"] = values["external_key"]
        push_record: PushOutputs = values["push"]
        return AwsOutputs(
            region=cfg.region,
            account_id=values["account_id"],
            push=push_record,
            brig_internal_queue=brig.internal_queue.name,
            sqs_endpoint=cfg.endpoint("sqs"),
            ses_queue=email.queue_name if email else None,
            ses_endpoint=cfg.endpoint("ses"),
            prekey_table=brig.prekey_table_name,
            dynamodb_endpoint=cfg.endpoint("dynamodb") if brig.prekey_table else None,
            user_journal_queue=brig.user_journal.name if brig.user_journal else None,
            team_events_queue=team_events.queue_name if team_events else None,
            bucket=assets.bucket_name,
            s3_endpoint=cfg.endpoint("s3"),
            s3_download_endpoint=cfg.assets.download_endpoint,
            cloudfront_domain=values["cloudfront_domain"],
            role_arns=dict(values["role_arns"]),
            access_keys=access_keys,
        )

    record = pulumi.Output.all(
        account_id=account_id,
        push=push.record(),
        cloudfront_domain=assets.cloudfront_domain,
        role_arns=role_arns,
        key_ids=key_ids,
        key_secrets=key_secrets,
        external_key=external_key,
    ).apply(to_record)

    # --- what the release waits for ---
    queues = [push.queue, brig.internal_queue, brig.user_journal, email.queue if email else None]
    queues.append(team_events.queue if team_events else None)
    dependencies: list[pulumi.Resource] = []
    for queue in queues:
        if queue is not None:
            dependencies += [queue.queue, queue.dead_letter_queue]
    if brig.prekey_table is not None:
        dependencies.append(brig.prekey_table)
    dependencies.append(assets.bucket)
    for ident in identities.values():
        dependencies += ident.resources

    # --- stack outputs ---
    exports: dict[str, Any] = {
        "awsAccountId": push.account_id if push.queue is None else account_id,
        "awsRegion": cfg.region,
        "gundeckQueueName": push.queue_name,
        "pushArnEnv": push.arn_env,
        "brigInternalQueueName": brig.internal_queue.name,
        "brigInternalQueueUrl": brig.internal_queue.url,
        "prekeyTableName": brig.prekey_table_name,
        "assetsBucketName": assets.bucket_name,
        "assetsBucketArn": assets.bucket_arn,
        "endpoints": {service: cfg.endpoint(service) for service in ("sqs", "sns", "ses", "dynamodb", "s3")},
    }
    if push.queue is not None:
        exports["gundeckQueueUrl"] = push.queue.url
    if push.topic is not None:
        exports["pushEventsTopicArn"] = push.topic.arn
        exports["pushPlatformApplicationArns"] = push.platform_application_arns
    if email is not None:
        exports.update(
            sesQueueName=email.queue_name,
            sesFeedbackTopicArn=email.topic.arn,
            sesIdentity=email.domain,
            sesIdentityArn=email.identity_arn,
            sesSender=email.sender,
        )
        if cfg.dns is None:
            exports["sesDnsRecords"] = email.dns_records
    if brig.user_journal is not None:
        exports["userJournalQueueName"] = brig.user_journal.name
    if team_events is not None:
        exports["teamEventsQueueName"] = team_events.queue_name
    if assets.cloudfront_domain is not None:
        exports["cloudFrontDomain"] = assets.cloudfront_domain
    if role_arns:
        exports["serviceRoleArns"] = role_arns
    if static:
        exports["serviceAccessKeyIds"] = key_ids
        exports["serviceSecretAccessKeys"] = pulumi.Output.secret(key_secrets)

    components: dict[str, pulumi.ComponentResource] = {"push": push, "brig": brig, "assets": assets}
    if email is not None:
        components["email"] = email
    if team_events is not None:
        components["teamEvents"] = team_events
    components.update({f"identity:{svc}": ident for svc, ident in identities.items()})
    return AwsInfrastructure(
        provider=provider,
        record=record,
        release_dependencies=dependencies,
        exports=exports,
        email=email,
        components=components,
    )


def create_dns(
    cfg: StackConfig,
    infra: AwsInfrastructure,
    ingress_hostname: pulumi.Output[str] | None,
    websocket_hostname: pulumi.Output[str] | None,
) -> DnsRecords | None:
    if cfg.dns is None:
        return None
    return DnsRecords(
        "dns",
        cfg,
        ingress_hostname=ingress_hostname,
        websocket_hostname=websocket_hostname,
        opts=pulumi.ResourceOptions(providers=[infra.provider]),
    )
