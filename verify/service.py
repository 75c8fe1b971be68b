"""`--as-service SVC`: with the service's own credentials, its calls succeed and others are denied.

Probes are chosen to change nothing: GetQueueUrl (every service calls it at startup), DynamoDB
GetItem of a key brig never writes, SNS GetEndpointAttributes of an endpoint that does not exist
(NotFound means the call was authorized), and cargohold's round trip under `verify/`. Sending or
receiving messages is left out on purpose: it would feed the services or count towards the DLQ.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from components import naming
from verify import checks
from verify.aws import ACCESS_DENIED, NOT_FOUND, Aws, AwsError, describe, error_code
from verify.expected import Expected
from verify.results import Result, fail, ok, warn

SERVICES = naming.SERVICES
PROBE_CLIENT = "verify.probe"
_NO_ENDPOINT = "00000000-0000-0000-0000-000000000000"


def allowed(check: str, resource: str, action: str, call: Callable[[], Any]) -> Result:
    try:
        call()
    except AwsError as error:
        if error_code(error) in ACCESS_DENIED:
            return fail(check, resource, f"{action} denied: the service's policy must allow it on this resource")
        if error_code(error) in NOT_FOUND:
            return ok(check, resource, f"{action} allowed (the probed resource does not exist, as intended)")
        return fail(check, resource, f"{action} failed: {describe(error)}")
    return ok(check, resource, f"{action} allowed")


def denied(check: str, service: str, action: str, call: Callable[[], Any]) -> Result:
    try:
        call()
    except AwsError as error:
        if error_code(error) in ACCESS_DENIED:
            return ok(check, action, "denied, as it should be")
        return warn(check, action, f"could not tell whether it is denied: {describe(error)}")
    return fail(check, action, f"allowed, but {service} never needs it: the policy is too broad; scope it down")


def principal(check: str, arn: str, service: str, expected: Expected) -> Result:
    """IRSA callers are `assumed-role/<env>-<svc>/...`, static keys `user/<env>-<svc>`."""
    role_arn = expected.service_role_arns.get(service)
    name = role_arn.rsplit("/", 1)[-1] if role_arn else naming.service_role(expected.environment, service)
    if re.search(rf"(assumed-role|role|user)/{re.escape(name)}(/|$)", arn):
        return ok(check, arn, f"running as {service}'s principal {name}")
    return warn(check, arn, f"not {service}'s role or user {name}: the results show this principal's permissions")


def _queue_probe(sqs: Any, check: str, name: str) -> Result:
    return allowed(check, name, "sqs:GetQueueUrl", lambda: sqs.get_queue_url(QueueName=name))


def probes(service: str, expected: Expected, aws: Aws, push_aws: Aws) -> list[Result]:
    check = f"{service} permissions"
    sqs = aws.client("sqs")
    s3 = aws.client("s3", addressing_style=expected.addressing_style)
    results: list[Result] = []
    if service == "brig":
        results += _brig_probes(check, expected, aws)
    elif service == "galley":
        if expected.team_events_queue:
            results.append(_queue_probe(sqs, check, expected.team_events_queue))
        else:
            results.append(warn(check, "galley", "no team-events journal configured: galley makes no AWS calls"))
    elif service == "gundeck":
        results += _gundeck_probes(check, expected, aws, push_aws)
    elif service == "cargohold":
        results.append(checks.round_trip(s3, expected.bucket, expected.addressing_style, check=check))
    # Calls no Wire service makes: with least privilege they are denied.
    results.append(denied(check, service, "s3:ListAllMyBuckets", s3.list_buckets))
    results.append(denied(check, service, "sqs:ListQueues", sqs.list_queues))
    return results


def _brig_probes(check: str, expected: Expected, aws: Aws) -> list[Result]:
    sqs = aws.client("sqs")
    names = [expected.brig_internal_queue, expected.ses.queue if expected.ses else None, expected.user_journal_queue]
    results = [_queue_probe(sqs, check, name) for name in names if name]
    if expected.prekey_table:
        table = expected.prekey_table
        ddb = aws.client("dynamodb")
        key = {"client": {"S": PROBE_CLIENT}}
        results.append(allowed(check, table, "dynamodb:GetItem", lambda: ddb.get_item(TableName=table, Key=key)))
    return results


def _gundeck_probes(check: str, expected: Expected, aws: Aws, push_aws: Aws) -> list[Result]:
    push = expected.push
    if push is None:
        return [warn(check, "gundeck", "push mode is disabled: gundeck makes no AWS calls")]
    push_sqs = push_aws.client("sqs", region=push.region, endpoint=push.sqs_endpoint)
    results = [_queue_probe(push_sqs, check, push.queue)]
    sns = aws.client("sns", region=push.region)
    for name, app_arn in push.apps.items():
        endpoint = f"{app_arn.replace(':app/', ':endpoint/', 1)}/{_NO_ENDPOINT}"
        results.append(
            allowed(
                check,
                name,
                "sns:GetEndpointAttributes",
                lambda arn=endpoint: sns.get_endpoint_attributes(EndpointArn=arn),
            )
        )
    return results
