"""What the helm releases get from AWS: the resolved `AwsOutputs` record and the resources they wait for."""

from __future__ import annotations

from typing import Any

import pulumi
from pydantic import SecretStr

from components.aws.parts import AwsComponents
from components.config import StackConfig
from components.outputs import AccessKey, AwsOutputs, PushOutputs, StoreOutputs


def aws_record(cfg: StackConfig, parts: AwsComponents, account_id: pulumi.Output[str]) -> pulumi.Output[AwsOutputs]:
    """The record the helm values are computed from (components/outputs.py), resolved in one apply."""
    push, brig, email, team_events, assets = parts.push, parts.brig, parts.email, parts.team_events, parts.assets
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
            stores={
                name: StoreOutputs(
                    host=store["host"],
                    port=store["port"],
                    password=SecretStr(store["password"]),
                    username=store["username"],
                )
                for name, store in values["stores"].items()
            },
        )

    return pulumi.Output.all(
        account_id=account_id,
        push=push.record(),
        cloudfront_domain=assets.cloudfront_domain,
        role_arns=parts.role_arns(),
        key_ids=parts.access_key_ids(),
        key_secrets=parts.secret_access_keys(),
        external_key=external_key,
        stores={
            name: pulumi.Output.all(host=store.host, port=store.port, password=store.password, username=store.username)
            for name, store in parts.stores.items()
        },
    ).apply(to_record)


def release_dependencies(parts: AwsComponents) -> list[pulumi.Resource]:
    """What the wire-server release waits for: identities, queues, table, bucket; not SES verification, not DNS."""
    push, brig, email, team_events = parts.push, parts.brig, parts.email, parts.team_events
    queues = [push.queue, brig.internal_queue, brig.user_journal, email.queue if email else None]
    queues.append(team_events.queue if team_events else None)
    dependencies: list[pulumi.Resource] = []
    for queue in queues:
        if queue is not None:
            dependencies += [queue.queue, queue.dead_letter_queue]
    if brig.prekey_table is not None:
        dependencies.append(brig.prekey_table)
    dependencies.append(parts.assets.bucket)
    for ident in parts.identities.values():
        dependencies += ident.resources
    # Each managed store the services read (wire-server waits for them, and for nothing else of theirs).
    for store in parts.stores.values():
        dependencies += store.resources
    return dependencies
