"""The stack outputs of the AWS side, by export name; secrets stay secret Outputs."""

from __future__ import annotations

from typing import Any

import pulumi

from components.aws.parts import AwsComponents
from components.config import CredentialsMode, StackConfig


def stack_exports(cfg: StackConfig, parts: AwsComponents, account_id: pulumi.Output[str]) -> dict[str, Any]:
    push, brig, email, team_events, assets = parts.push, parts.brig, parts.email, parts.team_events, parts.assets
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
    if parts.alarms is not None:
        exports["alarmTopicArn"] = parts.alarms.topic_arn
        exports["alarmNames"] = sorted(parts.alarms.alarms)
    if parts.stores:
        # Addresses only: the passwords reach the services through the helm values, as secrets.
        exports["datastoreEndpoints"] = {
            name: pulumi.Output.concat(store.host, ":", str(store.port)) for name, store in parts.stores.items()
        }
        # For `python -m migrate values` (releases deployed elsewhere): a secret output, as the access keys are.
        exports["datastoreCredentials"] = pulumi.Output.secret(
            {name: {"username": store.username, "password": store.password} for name, store in parts.stores.items()}
        )
    role_arns = parts.role_arns()
    if role_arns:
        exports["serviceRoleArns"] = role_arns
    if cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS:
        exports["serviceAccessKeyIds"] = parts.access_key_ids()
        exports["serviceSecretAccessKeys"] = pulumi.Output.secret(parts.secret_access_keys())
    return exports
