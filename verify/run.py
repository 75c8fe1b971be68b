"""Run every check a stack configuration calls for, in the order an operator would fix them."""

from __future__ import annotations

from typing import Any

from components.aws.ses_records import dkim_records
from components.config import PushMode, StackConfig
from verify import checks, probes, service
from verify.aws import Aws
from verify.expected import Expected, PushTarget, deployed_account, expected, ses_record
from verify.results import Result, Status, warn


def run(
    cfg: StackConfig,
    outputs: dict[str, Any],
    aws: Aws,
    *,
    push_aws: Aws | None = None,
    as_service: str | None = None,
) -> list[Result]:
    """All results; `push_aws` holds Wire's push credentials in `external` mode (default: `aws`)."""
    push_aws = push_aws or aws
    external = cfg.push.mode == PushMode.EXTERNAL
    deployed = deployed_account(cfg, outputs)
    if as_service == "gundeck" and external and cfg.push.external:
        # gundeck's keys are Wire's: they live in Wire's account, not ours.
        aws, deployed = push_aws, cfg.push.external.account
    first, account = probes.caller_identity(
        aws.client("sts"), "credentials", deployed, "the account in the stack outputs (awsAccountId)"
    )
    if account is None:
        return [first]  # Nothing else can work without credentials; one clear line beats twenty.
    results = [first]
    exp = expected(cfg, outputs, account)
    if as_service:
        arn = first.resource
        results.append(service.principal(f"{as_service} credentials", arn, as_service, exp))
        return results + service.run(as_service, exp, aws)
    if exp.push:
        results += gundeck(exp.push, aws, push_aws, external)
    results += brig(exp, aws)
    results += galley(exp, aws)
    results += cargohold(exp, aws)
    results += checks.datastores(aws, cfg)
    results += checks.cluster_endpoint(aws.client("eks"), cfg)
    results += identities(exp, aws)
    results += alarms(exp, aws)
    if exp.zone_id:
        results += dns(exp, aws)
    return results


def identities(exp: Expected, aws: Aws) -> list[Result]:
    iam = aws.client("iam")
    return [
        result
        for target in exp.identities
        for result in checks.identity(iam, target, access_key_id=exp.access_key_ids.get(target.owner))
    ]


def alarms(exp: Expected, aws: Aws) -> list[Result]:
    """The alarms and their topic, then the key of every topic an AWS service publishes to."""
    sns = aws.client("sns")
    results = checks.alarms(aws.client("cloudwatch"), sns, exp.alarms) if exp.alarms else []
    kms = aws.client("kms")
    names = {"ses": "brig feedback key", "sns": "gundeck events key", "cloudwatch": "alarm topic key"}
    return results + [checks.topic_key(sns, kms, key, check=names[key.publisher]) for key in exp.topic_keys]


def dns(exp: Expected, aws: Aws) -> list[Result]:
    """The Wire host names, then the records SES needs: DKIM with the identity's current tokens, MAIL FROM, DMARC."""
    assert exp.zone_id
    records = list(exp.records)
    results: list[Result] = []
    if exp.ses:
        tokens, problem = checks.dkim_tokens(aws.client("ses"), exp.ses)
        results += [problem] if problem else []
        records += [ses_record(record) for record in dkim_records(exp.ses.identity, tokens)]
        records += exp.ses.records
    return results + checks.dns(aws.client("route53"), exp.zone_id, records)


def gundeck(push: PushTarget, aws: Aws, push_aws: Aws, external: bool) -> list[Result]:
    check = "gundeck queue"
    results: list[Result] = []
    if external:
        # Wire's account: only the credentials Wire sent and the queue (the guide's get-queue-url check).
        creds, account = probes.caller_identity(
            push_aws.client("sts"),
            "gundeck credentials",
            push.account,
            "push.external.account, Wire's push account; run with Wire's keys (--push-profile)",
        )
        results.append(creds)
        if account is None:
            return results
        sqs = push_aws.client("sqs", region=push.region, endpoint=push.sqs_endpoint)
        found, _ = checks.queue(sqs, push.queue, check=check, region=push.region, attributes=False)
        return results + found
    found, attrs = checks.queue(aws.client("sqs", region=push.region), push.queue, check=check, region=push.region)
    results += found
    sns = aws.client("sns", region=push.region)
    for app in push.apps:
        results += checks.platform_application(sns, app, push.arn_env, push.topic_arn, check="gundeck push app")
    if not push.apps:
        results.append(warn("gundeck push app", push.arn_env, "no push.apps: clients get no mobile push"))
    if push.topic_arn:
        queue_arn = attrs.get("QueueArn") if attrs else None
        results.append(checks.subscription(sns, push.topic_arn, push.queue, queue_arn, check="gundeck events"))
        results.append(checks.queue_publisher(attrs, push.queue, push.topic_arn, check="gundeck events"))
    return results


def brig(exp: Expected, aws: Aws) -> list[Result]:
    sqs = aws.client("sqs")
    results, _ = checks.queue(sqs, exp.brig_internal_queue, check="brig internal queue", region=exp.region)
    if exp.ses:
        results += checks.ses(aws.client("ses"), exp.ses)
        results.append(checks.mail_from(aws.client("ses"), exp.ses))
        results.append(checks.configuration_set(aws.client("sesv2"), exp.ses))
        found, attrs = checks.queue(sqs, exp.ses.queue, check="brig ses queue", region=exp.region)
        results += found
        queue_arn = attrs.get("QueueArn") if attrs else None
        results.append(
            checks.subscription(
                aws.client("sns"), exp.ses.topic_arn, exp.ses.queue, queue_arn, check="brig ses feedback"
            )
        )
        results.append(checks.queue_publisher(attrs, exp.ses.queue, exp.ses.topic_arn, check="brig ses feedback"))
    if exp.prekey_table:
        results += checks.table(aws.client("dynamodb"), exp.prekey_table, production=exp.production)
    if exp.user_journal_queue:
        found, _ = checks.queue(sqs, exp.user_journal_queue, check="brig user journal", region=exp.region, fifo=True)
        results += found
    return results


def galley(exp: Expected, aws: Aws) -> list[Result]:
    if not exp.team_events_queue:
        return []
    found, _ = checks.queue(
        aws.client("sqs"), exp.team_events_queue, check="galley team journal", region=exp.region, fifo=True
    )
    return found


def cargohold(exp: Expected, aws: Aws) -> list[Result]:
    # The configured addressing style for every call: an emulator endpoint often only answers path style.
    s3 = aws.client("s3", addressing_style=exp.addressing_style)
    results = checks.bucket(s3, exp.bucket, region=exp.region, style=exp.addressing_style)
    if not results or results[0].status != Status.OK:
        return results
    if exp.bucket_rules:
        results += [
            checks.cors(s3, exp.bucket, exp.bucket_rules),
            checks.lifecycle(s3, exp.bucket, exp.bucket_rules),
            checks.ownership(s3, exp.bucket),
            checks.tls_only_policy(s3, exp.bucket),
        ]
    if exp.recovery:
        results += checks.recovery(aws, exp.recovery, exp.bucket, exp.addressing_style)
    if exp.cloudfront:
        results += checks.distribution(aws.client("cloudfront", region="us-east-1"), exp.cloudfront)
    transport = checks.tls_only_over_http(s3, exp.bucket, aws.endpoint("s3"))
    if transport is not None:
        return [*results, transport]
    found = probes.object_probes(s3, "cargohold bucket", exp.bucket, exp.addressing_style)
    return results + [checks.name_bucket_denial(s3, exp.bucket, result) for result in found]
