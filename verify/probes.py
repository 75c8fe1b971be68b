"""Every AWS call a Wire service makes, probed with that service's own credentials.

Used by `python -m verify --as-service SVC` and, unchanged, by the in-cluster Job (verify/pod.py):
this module imports only the standard library, boto3 and `verify.aws`/`verify.results`, so the Job
can run it from a ConfigMap in a stock image with boto3 (docs/verify.md, "In-cluster mode").

Each probe makes the real call, shaped so that AWS authorises it and then refuses it, or so that it
changes nothing. The proof is the error code: AccessDenied means the policy refused the call; any of
the "rejected after authorisation" codes means the caller may make it. AWS evaluates IAM before it
validates a request's parameters or state; moto_server does the same (tests/verify).

| call                         | probe                                                  | proof                        |
|------------------------------|--------------------------------------------------------|------------------------------|
| sqs:GetQueueUrl              | the real call                                          | a URL                        |
| sqs:SendMessage (standard)   | DelaySeconds 901 (the API maximum is 900)              | InvalidParameterValue        |
| sqs:SendMessage (FIFO)       | no MessageGroupId (required on FIFO queues)            | MissingParameter             |
| sqs:ReceiveMessage           | MaxNumberOfMessages 0 (the API minimum is 1)           | InvalidParameterValue        |
| sqs:DeleteMessage            | a receipt handle no receive ever returned              | ReceiptHandleIsInvalid       |
| dynamodb:GetItem             | brig's key `client` (S) = verify.probe, never written  | an empty item                |
| dynamodb:PutItem/DeleteItem  | a condition that cannot hold (exists AND not exists)   | ConditionalCheckFailed       |
| ses:SendRawEmail             | Source = the sender, one malformed recipient           | InvalidParameterValue        |
| sns:CreatePlatformEndpoint   | a disabled endpoint with a random token                | its ARN (deleted again)      |
| sns:Get/SetEndpointAttributes| on that endpoint (Enabled stays false)                 | success                      |
| sns:Publish                  | to that disabled endpoint                              | EndpointDisabled             |
| sns:DeleteEndpoint           | that endpoint                                          | success                      |
| s3:PutObject/GetObject/...   | a small object under verify/, copied, then deleted     | the bytes read back          |
| s3:AbortMultipartUpload      | a multipart upload started and aborted at once         | success                      |
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from verify.aws import (
    ACCESS_DENIED,
    NOT_FOUND,
    Aws,
    AwsError,
    Failure,
    denial_cause,
    describe,
    error_code,
    failed_endpoint,
    failure,
)
from verify.results import Result, fail, ok, warn

PROBE_PREFIX = "verify/"
PROBE_CLIENT = "verify.probe"
PROBE_BODY = "wire-infra verify probe: never delivered"
# SQS's limits (the API refuses values outside them after authorising the call).
SQS_MAX_DELAY_SECONDS = 900
# A receipt handle no ReceiveMessage returned: DeleteMessage refuses it after authorising the call.
BOGUS_RECEIPT_HANDLE = "wire-infra-verify-probe"
# Not an address at all: SES refuses the message after authorising the call, so nothing is sent.
MALFORMED_RECIPIENT = "wire-infra-verify-probe"


@dataclass(frozen=True)
class QueueProbe:
    name: str
    send: bool = False
    # ReceiveMessage and DeleteMessage (a consumer needs both).
    receive: bool = False
    # Wire's push account (external mode): its own region and endpoint.
    region: str | None = None
    endpoint: str | None = None

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")


@dataclass(frozen=True)
class ServiceSpec:
    """What one service calls; JSON-serialisable so the in-cluster Job gets it in its ConfigMap."""

    service: str
    region: str
    queues: list[QueueProbe] = field(default_factory=list)
    prekey_table: str | None = None
    # SES mode: brig's sender (the role policy pins ses:FromAddress to it).
    email_sender: str | None = None
    bucket: str | None = None
    addressing_style: str = "auto"
    # Platform application name -> ARN (gundeck, push mode create).
    apps: dict[str, str] = field(default_factory=dict)
    sns_region: str | None = None
    # boto3 service name -> endpoint URL, as this caller sees the APIs (host: aws:endpoints; pod: the
    # endpoints the chart gives the service).
    endpoints: dict[str, str] = field(default_factory=dict)
    # The principal the service runs as (role or user name), for the identity line.
    principal: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ServiceSpec:
        data = json.loads(text)
        data["queues"] = [QueueProbe(**queue) for queue in data.get("queues", [])]
        return cls(**data)


def _code_is(error: Exception, codes: Iterable[str]) -> bool:
    # JSON-protocol APIs may prefix the code ("com.amazonaws.sqs#...", "AWS.SimpleQueueService...").
    code = error_code(error)
    short = code.rsplit("#", 1)[-1].rsplit(".", 1)[-1]
    return code in codes or short in codes


def refused(check: str, resource: str, action: str, error: Exception, resource_policy: str) -> Result:
    if _code_is(error, ACCESS_DENIED):
        return fail(check, resource, f"{action} denied: {denial_cause(error, resource_policy)}")
    if _code_is(error, NOT_FOUND):
        return fail(check, resource, f"{action}: {resource} does not exist ({describe(error)})")
    return fail(check, resource, f"{action} failed: {describe(error)}")


def allowed(
    check: str,
    resource: str,
    action: str,
    call: Callable[[], Any],
    *,
    rejected_after_auth: Iterable[str] = (),
    resource_policy: str = "the resource's policy",
) -> Result:
    """`call` is authorised when it succeeds or fails with one of `rejected_after_auth`."""
    proofs = frozenset(rejected_after_auth)
    try:
        call()
    except AwsError as error:
        if proofs and _code_is(error, proofs):
            return ok(
                check, resource, f"{action} allowed (the probe was refused after authorisation: {error_code(error)})"
            )
        return refused(check, resource, action, error, resource_policy)
    if proofs:
        return warn(
            check, resource, f"{action} allowed, but the API accepted a probe it should refuse: check {resource}"
        )
    return ok(check, resource, f"{action} allowed")


def denied(check: str, service: str, action: str, call: Callable[[], Any]) -> Result:
    try:
        call()
    except AwsError as error:
        if _code_is(error, ACCESS_DENIED):
            return ok(check, action, "denied, as it should be")
        return warn(check, action, f"could not tell whether it is denied: {describe(error)}")
    return fail(check, action, f"allowed, but {service} never needs it: the policy is too broad; scope it down")


# --- credentials ---------------------------------------------------------------------------------


def caller_identity(sts: Any, check: str, expected_account: str | None, why: str) -> tuple[Result, str | None]:
    """sts:GetCallerIdentity, and whether the caller is in the account the configuration names."""
    try:
        identity = sts.get_caller_identity()
    except AwsError as error:
        return identity_failure(sts, check, error), None
    account, arn = str(identity["Account"]), str(identity["Arn"])
    if expected_account and account != expected_account:
        return fail(
            check,
            arn,
            f"account {account} is not {expected_account} ({why}); use credentials for account {expected_account}",
        ), account
    return ok(check, arn, f"authenticated in account {account}"), account


# Where the dev stack's emulator runs (Pulumi.dev.yaml): an endpoint on this machine or the kind network.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"})
CREDENTIAL_SOURCES = (
    "the stack's aws:profile or aws:accessKey/aws:secretKey, else AWS_PROFILE / AWS_ACCESS_KEY_ID or the role"
)


def emulator_hint(url: str | None) -> str:
    """How to start the dev stack's emulator, when the endpoint that does not answer is a local one."""
    parsed = urlsplit(url or "")
    if parsed.hostname not in LOCAL_HOSTS:
        return ""
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return (
        f"the local AWS emulator is not running: start it with `moto_server -H 0.0.0.0 -p {port}` "
        "(Pulumi.dev.yaml, docs/verify.md) and run verify again"
    )


def identity_failure(sts: Any, check: str, error: Exception) -> Result:
    """The first call failed: say whether the endpoint did not answer or the credentials are wrong."""
    kind = failure(error)
    url = failed_endpoint(error, sts)
    if kind == Failure.UNREACHABLE:
        where = url or "the STS endpoint"
        hint = emulator_hint(url) or (
            "check the network, an outbound proxy (HTTPS_PROXY) and aws:region/aws:endpoints; "
            "the credentials were not tried"
        )
        return fail(check, where, f"{kind}: {where} ({describe(error)}); {hint}")
    if kind == Failure.TLS:
        where = url or "the STS endpoint"
        return fail(
            check,
            where,
            f"{kind} with {where} ({describe(error)}): a proxy that intercepts TLS needs its CA "
            "(AWS_CA_BUNDLE / aws:customCaBundle); the credentials were not tried",
        )
    if kind == Failure.CREDENTIALS:
        if isinstance(error, ClientError):
            why = (
                "the session token has expired: log in again (aws sso login, a new role session)"
                if _code_is(error, {"ExpiredToken", "ExpiredTokenException"})
                else "the endpoint answered and refused them: the access key is unknown or its secret is wrong"
            )
        else:
            why = "none were found, or their source failed"
        return fail(check, "sts", f"{kind} ({describe(error)}): {why}; check {CREDENTIAL_SOURCES}")
    return fail(check, "sts", f"sts:GetCallerIdentity failed ({describe(error)}); check {CREDENTIAL_SOURCES}")


# --- SQS -----------------------------------------------------------------------------------------


def queue_probes(sqs: Any, check: str, queue: QueueProbe) -> list[Result]:
    name = queue.name
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except AwsError as error:
        return [refused(check, name, "sqs:GetQueueUrl", error, "the queue policy")]
    results = [ok(check, name, "sqs:GetQueueUrl allowed")]
    if queue.send:
        if queue.fifo:
            send = {"QueueUrl": url, "MessageBody": PROBE_BODY}
        else:
            send = {"QueueUrl": url, "MessageBody": PROBE_BODY, "DelaySeconds": SQS_MAX_DELAY_SECONDS + 1}
        results.append(
            allowed(
                check,
                name,
                "sqs:SendMessage",
                lambda: sqs.send_message(**send),
                rejected_after_auth={"MissingParameter", "InvalidParameterValue"},
                resource_policy="the queue policy",
            )
        )
    if queue.receive:
        results.append(
            allowed(
                check,
                name,
                "sqs:ReceiveMessage",
                lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=0, WaitTimeSeconds=0),
                rejected_after_auth={"InvalidParameterValue"},
                resource_policy="the queue policy",
            )
        )
        results.append(
            allowed(
                check,
                name,
                "sqs:DeleteMessage",
                lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle=BOGUS_RECEIPT_HANDLE),
                rejected_after_auth={"ReceiptHandleIsInvalid", "InvalidParameterValue"},
                resource_policy="the queue policy",
            )
        )
    return results


# --- DynamoDB ------------------------------------------------------------------------------------


def table_probes(ddb: Any, check: str, table: str) -> list[Result]:
    key = {"client": {"S": PROBE_CLIENT}}
    impossible = {
        "ConditionExpression": "attribute_exists(#k) AND attribute_not_exists(#k)",
        "ExpressionAttributeNames": {"#k": "client"},
    }
    never = {"ConditionalCheckFailedException"}
    results = [
        allowed(check, table, "dynamodb:GetItem", lambda: ddb.get_item(TableName=table, Key=key)),
        allowed(
            check,
            table,
            "dynamodb:PutItem",
            lambda: ddb.put_item(TableName=table, Item=key, **impossible),
            rejected_after_auth=never,
        ),
        allowed(
            check,
            table,
            "dynamodb:DeleteItem",
            lambda: ddb.delete_item(TableName=table, Key=key, **impossible),
            rejected_after_auth=never,
        ),
    ]
    return [_key_type_hint(result) for result in results]


def _key_type_hint(result: Result) -> Result:
    # DynamoDB's answer to a key of the wrong type (e.g. `client` defined as N).
    if "key element does not match the schema" in result.message:
        return fail(result.check, result.resource, f"{result.message}: brig's key is `client` of type S (string)")
    return result


# --- SES -----------------------------------------------------------------------------------------


def email_probe(ses: Any, check: str, sender: str) -> Result:
    raw = f"From: {sender}\r\nTo: {MALFORMED_RECIPIENT}\r\nSubject: wire-infra verify probe\r\n\r\nnever sent\r\n"
    return allowed(
        check,
        sender,
        "ses:SendRawEmail",
        lambda: ses.send_raw_email(
            Source=sender, Destinations=[MALFORMED_RECIPIENT], RawMessage={"Data": raw.encode()}
        ),
        # Sandbox accounts refuse unverified recipients with MessageRejected, also after authorising.
        rejected_after_auth={"InvalidParameterValue", "MessageRejected"},
        resource_policy="the SES identity's sending authorization policy",
    )


# --- SNS -----------------------------------------------------------------------------------------


def endpoint_probes(sns: Any, check: str, name: str, app_arn: str) -> list[Result]:
    """Create a disabled endpoint, read, update and publish to it (refused: disabled), delete it."""
    token = uuid.uuid4().hex * 2  # 64 hex digits: the shape of an APNS token, also accepted for GCM
    try:
        endpoint = sns.create_platform_endpoint(
            PlatformApplicationArn=app_arn,
            Token=token,
            CustomUserData="wire-infra verify probe",
            Attributes={"Enabled": "false"},
        )["EndpointArn"]
    except AwsError as error:
        return [refused(check, name, "sns:CreatePlatformEndpoint", error, "the platform application")]
    results = [ok(check, name, "sns:CreatePlatformEndpoint allowed")]
    try:
        results.append(
            allowed(check, name, "sns:GetEndpointAttributes", lambda: sns.get_endpoint_attributes(EndpointArn=endpoint))
        )
        results.append(
            allowed(
                check,
                name,
                "sns:SetEndpointAttributes",
                lambda: sns.set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "false"}),
            )
        )
        results.append(
            allowed(
                check,
                name,
                "sns:Publish",
                lambda: sns.publish(TargetArn=endpoint, Message=PROBE_BODY),
                rejected_after_auth={"EndpointDisabled"},
            )
        )
    finally:
        results.append(allowed(check, name, "sns:DeleteEndpoint", lambda: sns.delete_endpoint(EndpointArn=endpoint)))
    return results


# --- S3 ------------------------------------------------------------------------------------------


def addressing_hint(error: Exception, style: str) -> str:
    """A connection failure with virtual-hosted addressing is the bucket's DNS name not resolving."""
    url = getattr(error, "kwargs", {}).get("endpoint_url") if isinstance(error, AwsError) else None
    tried = f" ({url})" if url else ""
    if "EndpointConnectionError" in type(error).__name__ or "ConnectTimeout" in type(error).__name__:
        if style in ("virtual", "auto"):
            return (
                f"cannot connect with {style} addressing{tried}: the endpoint does not answer "
                "<bucket>.<host> names; an emulator or MinIO needs assets.s3AddressingStyle: path"
            )
        return f"cannot connect with path addressing{tried}: check the S3 endpoint"
    return ""


def object_probes(s3: Any, check: str, bucket: str, style: str) -> list[Result]:
    """cargohold's calls on a small object under `verify/`: put, get, copy, multipart abort, delete."""
    key = f"{PROBE_PREFIX}{uuid.uuid4()}.txt"
    copy = f"{key}.copy"
    body = PROBE_BODY.encode()
    step = "s3:PutObject"
    written: list[str] = []
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        written.append(key)
        step = "s3:GetObject"
        read = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        step = "s3:PutObject (CopyObject)"
        s3.copy_object(Bucket=bucket, Key=copy, CopySource={"Bucket": bucket, "Key": key})
        written.append(copy)
        step = "s3:AbortMultipartUpload"
        upload = s3.create_multipart_upload(Bucket=bucket, Key=f"{key}.multipart")["UploadId"]
        s3.abort_multipart_upload(Bucket=bucket, Key=f"{key}.multipart", UploadId=upload)
        step = "s3:DeleteObject"
        for name in list(written):
            s3.delete_object(Bucket=bucket, Key=name)
            written.remove(name)
    except AwsError as error:
        return [_object_failure(check, bucket, key, step, style, error, written)]
    if read != body:
        return [fail(check, f"s3://{bucket}/{key}", "the object read back differs from the one written")]
    return [ok(check, bucket, f"put/get/copy/multipart/delete round trip works ({style} addressing)")]


def _object_failure(
    check: str, bucket: str, key: str, step: str, style: str, error: Exception, left: list[str]
) -> Result:
    resource = f"s3://{bucket}/{key}"
    leftover = f"; delete {', '.join(left)} by hand" if left else ""
    hint = addressing_hint(error, style)
    if hint:
        return fail(check, resource, f"{step} failed: {hint}{leftover}")
    if _code_is(error, ACCESS_DENIED):
        return fail(
            check,
            resource,
            f"access denied ({step}, {style} addressing): {denial_cause(error, 'the bucket policy')}{leftover}",
        )
    if _code_is(error, {"PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"}):
        return fail(
            check, resource, f"{step}: the bucket is in another region than the client ({describe(error)}){leftover}"
        )
    return fail(check, resource, f"{step} failed ({style} addressing): {describe(error)}{leftover}")


# --- one service -----------------------------------------------------------------------------------


def run(spec: ServiceSpec, aws: Aws) -> list[Result]:
    """Every call of `spec.service`, then two calls no Wire service makes (which must be denied)."""
    check = f"{spec.service} permissions"
    results: list[Result] = []
    for queue in spec.queues:
        sqs = aws.client("sqs", region=queue.region, endpoint=queue.endpoint)
        results += queue_probes(sqs, check, queue)
    if spec.prekey_table:
        results += table_probes(aws.client("dynamodb"), check, spec.prekey_table)
    if spec.email_sender:
        results.append(email_probe(aws.client("ses"), check, spec.email_sender))
    for name, app_arn in sorted(spec.apps.items()):
        results += endpoint_probes(aws.client("sns", region=spec.sns_region), check, name, app_arn)
    if spec.bucket:
        s3 = aws.client("s3", addressing_style=spec.addressing_style)
        results += object_probes(s3, check, spec.bucket, spec.addressing_style)
    if not results:
        results.append(warn(check, spec.service, f"{spec.service} makes no AWS calls in this configuration"))
    results.append(denied(check, spec.service, "s3:ListAllMyBuckets", aws.client("s3").list_buckets))
    results.append(denied(check, spec.service, "sqs:ListQueues", aws.client("sqs").list_queues))
    return results
