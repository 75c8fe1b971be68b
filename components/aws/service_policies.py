"""Each service's least-privilege policy, from the ARNs of the components it calls, and its identity."""

from __future__ import annotations

import pulumi

from components.aws import policies
from components.aws.identity import ServiceIdentity
from components.aws.parts import AwsComponents
from components.config import PushMode, StackConfig
from components.naming import SERVICES

PolicyOutput = pulumi.Output[policies.Document]


def brig_policy(cfg: StackConfig, parts: AwsComponents) -> PolicyOutput:
    brig, email = parts.brig, parts.email
    return pulumi.Output.all(
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
            kms_key_arn=cfg.service_credentials.kms_key_arn,
        )
    )


def cargohold_policy(cfg: StackConfig, parts: AwsComponents) -> PolicyOutput:
    cmk = cfg.service_credentials.kms_key_arn
    return parts.assets.bucket_arn.apply(lambda arn: policies.cargohold_policy(bucket_arn=arn, kms_key_arn=cmk))


def galley_policy(cfg: StackConfig, parts: AwsComponents) -> PolicyOutput | None:
    if parts.team_events is None:
        return None
    cmk = cfg.service_credentials.kms_key_arn
    return parts.team_events.queue.arn.apply(
        lambda arn: policies.galley_policy(team_events_queue_arn=arn, kms_key_arn=cmk)  # type: ignore[return-value]
    )


def gundeck_policy(
    cfg: StackConfig, parts: AwsComponents, *, account_id: pulumi.Output[str], partition: pulumi.Output[str]
) -> PolicyOutput | None:
    push = parts.push
    if push.queue is None:
        return None
    return pulumi.Output.all(push.queue.arn, account_id, partition).apply(
        lambda args: policies.gundeck_policy(
            queue_arn=args[0],
            region=cfg.region,
            account_id=args[1],
            arn_env=push.arn_env,
            partition=args[2],
            push_enabled=cfg.push.mode == PushMode.CREATE,
            kms_key_arn=cfg.service_credentials.kms_key_arn,
        )
    )


def service_identities(
    cfg: StackConfig,
    parts: AwsComponents,
    *,
    account_id: pulumi.Output[str],
    partition: pulumi.Output[str],
    opts: pulumi.ResourceOptions,
) -> dict[str, ServiceIdentity]:
    """One identity per service that calls AWS, in SERVICES order."""
    service_policies: dict[str, PolicyOutput | None] = {
        "brig": brig_policy(cfg, parts),
        "cargohold": cargohold_policy(cfg, parts),
        "galley": galley_policy(cfg, parts),
    }
    # External push: gundeck talks to Wire's account with Wire's key, so it gets no identity of ours.
    gundeck = gundeck_policy(cfg, parts, account_id=account_id, partition=partition)
    if gundeck is not None:
        service_policies["gundeck"] = gundeck
    return {
        service: ServiceIdentity(service, cfg, service=service, policy=service_policies[service], opts=opts)
        for service in SERVICES
        if service in service_policies
    }
