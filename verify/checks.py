"""The checks, one small function per resource; each returns `Result`s and never raises on AWS errors."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from components import naming
from policy.rules import denies_insecure_transport
from verify.aws import ACCESS_DENIED, NOT_FOUND, AwsError, denial_cause, describe, error_code
from verify.expected import AppTarget, Record, SesTarget
from verify.probes import addressing_hint
from verify.resource_policy import denying_statement, publisher_may_send
from verify.results import Result, Status, fail, ok, warn

# SES accounts in the sandbox may send 200 messages a day, to verified addresses only.
SANDBOX_DAILY_QUOTA = 200
# SNS platform application attributes naming the topic of each endpoint event gundeck handles.
EVENT_ATTRIBUTES = ("EventEndpointCreated", "EventEndpointDeleted", "EventEndpointUpdated", "EventDeliveryFailure")
CERTIFICATE_WARNING = timedelta(days=30)


def _denied_or(
    error: Exception,
    check: str,
    resource: str,
    action: str,
    otherwise: str,
    resource_policy: str = "the resource's policy",
) -> Result:
    if error_code(error) in ACCESS_DENIED:
        return fail(check, resource, f"access denied ({action}): {denial_cause(error, resource_policy)}")
    return fail(check, resource, f"{otherwise}: {describe(error)}")


# --- SQS -----------------------------------------------------------------------------------------


def queue(
    sqs: Any, name: str, *, check: str, region: str, fifo: bool = False, attributes: bool = True
) -> tuple[list[Result], dict[str, str] | None]:
    """GetQueueUrl (the call every service makes at startup), then encryption, DLQ and FIFO type."""
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            message = f"not found in region {region}: create it (pulumi up) or fix the region in the stack"
            return [fail(check, name, message)], None
        return [_denied_or(error, check, name, "sqs:GetQueueUrl", "cannot get the queue URL")], None
    results = [ok(check, name, f"reachable in {region} ({url})")]
    if not attributes:
        return results, None
    try:
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    except AwsError as error:
        return [*results, warn(check, name, f"cannot read the attributes ({describe(error)})")], None
    results += [queue_encryption(attrs, check, name), *dead_letter_queue(sqs, attrs, check, name)]
    if fifo:
        is_fifo = attrs.get("FifoQueue") == "true"
        results.append(
            ok(check, name, "FIFO queue")
            if is_fifo
            else fail(check, name, "not a FIFO queue: the journal needs ordering; recreate it as FIFO (.fifo)")
        )
    return results, attrs


def queue_publisher(attrs: dict[str, str] | None, name: str, topic_arn: str, *, check: str) -> Result:
    """The queue policy lets the topic deliver (SNS needs sqs:SendMessage; nothing arrives otherwise)."""
    resource = f"{topic_arn} -> {name}"
    if attrs is None:
        return fail(check, resource, "the queue is missing or unreadable, so nothing can be delivered to it")
    verdict = publisher_may_send(attrs.get("Policy"), attrs.get("QueueArn", ""), topic_arn)
    if verdict.allowed:
        return ok(check, resource, verdict.reason)
    fix = "allow sns.amazonaws.com sqs:SendMessage on the queue with aws:SourceArn = the topic (pulumi up)"
    return fail(check, resource, f"{verdict.reason}: messages are dropped; {fix}")


def queue_encryption(attrs: dict[str, str], check: str, name: str) -> Result:
    if attrs.get("KmsMasterKeyId"):
        return ok(check, name, f"encrypted with KMS key {attrs['KmsMasterKeyId']}")
    if attrs.get("SqsManagedSseEnabled") == "true":
        return ok(check, name, "encrypted (SSE-SQS)")
    return fail(check, name, "not encrypted: enable SqsManagedSseEnabled or set KmsMasterKeyId")


def dead_letter_queue(sqs: Any, attrs: dict[str, str], check: str, name: str) -> list[Result]:
    dlq_name = naming.dead_letter_queue(name)
    raw = attrs.get("RedrivePolicy")
    if not raw:
        return [fail(check, name, f"no dead-letter queue: set a RedrivePolicy to {dlq_name} (poison messages loop)")]
    try:
        target = str(json.loads(raw)["deadLetterTargetArn"]).rsplit(":", 1)[-1]
    except (ValueError, KeyError, TypeError):
        return [fail(check, name, f"RedrivePolicy is not valid JSON with deadLetterTargetArn: {raw}")]
    try:
        sqs.get_queue_url(QueueName=target)
    except AwsError as error:
        return [fail(check, name, f"its dead-letter queue {target} is not reachable ({describe(error)}): create it")]
    if target != dlq_name:
        return [warn(check, name, f"dead-letter queue is {target}, expected {dlq_name}")]
    return [ok(check, name, f"dead-letter queue {target}")]


# --- SNS -----------------------------------------------------------------------------------------


def subscription(sns: Any, topic_arn: str, queue_name: str, queue_arn: str | None, *, check: str) -> Result:
    """The topic delivers to the queue with raw message delivery (the services parse the raw JSON)."""
    resource = f"{topic_arn} -> {queue_name}"
    if queue_arn is None:
        return fail(check, resource, "the queue is missing or unreadable, so nothing can be delivered to it")
    try:
        subscriptions = [
            sub
            for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
            for sub in page.get("Subscriptions", [])
        ]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, resource, "the topic does not exist: create it (pulumi up)")
        return _denied_or(error, check, resource, "sns:ListSubscriptionsByTopic", "cannot list subscriptions")
    matching = [sub for sub in subscriptions if sub.get("Protocol") == "sqs" and sub.get("Endpoint") == queue_arn]
    if not matching:
        return fail(check, resource, "the topic does not deliver to the queue: subscribe it (protocol sqs, raw)")
    sub_arn = str(matching[0]["SubscriptionArn"])
    if not sub_arn.startswith("arn:"):
        return fail(check, resource, f"the subscription is {sub_arn}: confirm it")
    try:
        attrs = sns.get_subscription_attributes(SubscriptionArn=sub_arn)["Attributes"]
    except AwsError as error:
        return _denied_or(error, check, resource, "sns:GetSubscriptionAttributes", "cannot read the subscription")
    if attrs.get("RawMessageDelivery") != "true":
        return fail(
            check,
            resource,
            "subscription without raw message delivery: the service parses the raw JSON; set RawMessageDelivery=true",
        )
    return ok(check, resource, "subscribed with raw message delivery")


def platform_application(sns: Any, app: AppTarget, arn_env: str, topic_arn: str | None, *, check: str) -> list[Result]:
    """gundeck's view of an application: its name, platform, state, event topics and credentials."""
    name = app.name
    results: list[Result] = []
    if not name.startswith(f"{arn_env}-"):
        results.append(
            fail(
                check,
                name,
                f"named '{name}': gundeck finds applications as `<arnEnv>-<app>` ({arn_env}-<app>), so it never "
                f"uses this one; rename it {arn_env}-{name.split('-', 1)[-1]} (push.apps[].name without the prefix)",
            )
        )
    arn_platform = app.arn.split(":app/", 1)[-1].split("/", 1)[0] if ":app/" in app.arn else None
    if app.platform and arn_platform and arn_platform != app.platform:
        results.append(
            fail(
                check,
                name,
                f"platform {arn_platform}, but push.apps configures {app.platform}: recreate it (pulumi up)",
            )
        )
    try:
        attrs = sns.get_platform_application_attributes(PlatformApplicationArn=app.arn)["Attributes"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return [
                *results,
                fail(check, name, f"platform application {app.arn} does not exist: add it to push.apps and pulumi up"),
            ]
        return [*results, _denied_or(error, check, name, "sns:GetPlatformApplicationAttributes", "cannot read it")]
    # AWS disables an application when APNS/FCM rejects its credentials.
    if str(attrs.get("Enabled", "true")).lower() == "false":
        results.append(
            fail(check, name, "disabled: the push credentials were rejected or expired; renew them and pulumi up")
        )
    if topic_arn:
        missing = [key for key in EVENT_ATTRIBUTES if attrs.get(key) != topic_arn]
        if missing:
            results.append(
                fail(
                    check,
                    name,
                    f"{', '.join(missing)} not sent to {topic_arn}: gundeck never learns of new, updated, deleted or "
                    "failing endpoints; set the event topics (pulumi up)",
                )
            )
    results += _push_credentials(attrs, app, check)
    if not any(result.status.value == "fail" for result in results):
        results.append(ok(check, name, f"{arn_platform or 'exists'}, enabled, endpoint events to the topic"))
    return results


def _push_credentials(attrs: dict[str, str], app: AppTarget, check: str) -> list[Result]:
    """APNS authenticates with a certificate (push.apps[].principal) or a token signing key; they must agree."""
    if not app.platform or not app.platform.startswith("APNS"):
        return []
    token_based = bool(attrs.get("ApplePlatformTeamID") or attrs.get("ApplePlatformBundleID"))
    expiry = attrs.get("AppleCertificateExpirationDate")
    if app.certificate and token_based:
        return [
            fail(
                check,
                app.name,
                "uses token (signing key) authentication, but push.apps[].principal configures a certificate",
            )
        ]
    if not app.certificate and expiry:
        return [
            fail(check, app.name, "uses certificate authentication, but push.apps[] has no principal (certificate)")
        ]
    if expiry:
        try:
            expires = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
        except ValueError:
            return []
        left = expires - datetime.now(UTC)
        if left <= timedelta(0):
            return [
                fail(check, app.name, f"the APNS certificate expired on {expiry}: renew it (push.apps[].principal)")
            ]
        if left < CERTIFICATE_WARNING:
            return [warn(check, app.name, f"the APNS certificate expires on {expiry}: renew it soon")]
    return []


# --- SES -----------------------------------------------------------------------------------------


def ses(client: Any, target: SesTarget, *, check: str = "brig ses") -> list[Result]:
    identity = target.identity
    results: list[Result] = []
    try:
        attrs = client.get_identity_verification_attributes(Identities=[identity])["VerificationAttributes"]
        status = attrs.get(identity, {}).get("VerificationStatus")
        if status == "Success":
            results.append(ok(check, identity, "domain identity verified"))
        elif status is None:
            results.append(fail(check, identity, "not an SES identity in this region: create it (pulumi up)"))
        else:
            results.append(
                fail(check, identity, f"domain identity {status}: publish the _amazonses TXT record and wait")
            )
        dkim = client.get_identity_dkim_attributes(Identities=[identity])["DkimAttributes"].get(identity, {})
        if dkim.get("DkimEnabled") and dkim.get("DkimVerificationStatus") == "Success":
            results.append(ok(check, identity, "DKIM verified"))
        else:
            state = dkim.get("DkimVerificationStatus", "NotStarted")
            results.append(fail(check, identity, f"DKIM {state}: publish the <token>._domainkey CNAME records"))
        quota = client.get_send_quota()
        if float(quota.get("Max24HourSend", 0)) <= SANDBOX_DAILY_QUOTA:
            results.append(
                warn(
                    check,
                    "sending quota",
                    f"{quota.get('Max24HourSend'):g} emails/24 h: the account is still in the SES sandbox (mail "
                    "only to verified addresses); request production access in the SES console",
                )
            )
        else:
            results.append(ok(check, "sending quota", f"{quota['Max24HourSend']:g} emails/24 h (production access)"))
        results.append(_notification_topics(client, target, check))
    except AwsError as error:
        results.append(_denied_or(error, check, identity, "ses:GetIdentity*", "cannot read the SES identity"))
    return results


def _notification_topics(client: Any, target: SesTarget, check: str) -> Result:
    attrs = client.get_identity_notification_attributes(Identities=[target.identity])["NotificationAttributes"]
    current = attrs.get(target.identity, {})
    wrong = [kind for kind in ("Bounce", "Complaint") if current.get(f"{kind}Topic") != target.topic_arn]
    if wrong:
        # Feedback may also flow through a configuration set's event destination: a warning only.
        return warn(
            check,
            target.identity,
            f"{' and '.join(wrong)} notifications do not go to {target.topic_arn}; brig will not see them",
        )
    return ok(check, target.identity, f"bounces and complaints go to {target.topic_arn}")


# --- DynamoDB ------------------------------------------------------------------------------------


def table(dynamodb: Any, name: str, *, check: str = "brig prekeys") -> Result:
    """brig reads and writes items keyed by `client`, a string: name, key type and attribute type must match."""
    try:
        desc = dynamodb.describe_table(TableName=name)["Table"]
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(check, name, "table not found: create it (features.prekeyTable) or set it to false")
        return _denied_or(error, check, name, "dynamodb:DescribeTable", "cannot describe the table")
    schema = {key["AttributeName"]: key.get("KeyType") for key in desc.get("KeySchema", [])}
    types = {attr["AttributeName"]: attr.get("AttributeType") for attr in desc.get("AttributeDefinitions", [])}
    if schema != {"client": "HASH"}:
        keys = ", ".join(f"{key} ({kind})" for key, kind in schema.items())
        return fail(check, name, f"key schema is {keys}; brig needs only the hash key 'client' (S): recreate the table")
    if types.get("client") != "S":
        return fail(
            check,
            name,
            f"hash key 'client' has type {types.get('client')}, but brig's GetItem/PutItem send a string (S): "
            "recreate the table",
        )
    if desc.get("TableStatus") != "ACTIVE":
        return fail(check, name, f"table is {desc.get('TableStatus')}, not ACTIVE")
    return ok(check, name, "ACTIVE with hash key 'client' (S)")


# --- S3 ------------------------------------------------------------------------------------------


def bucket_region(location: str | None) -> str:
    """GetBucketLocation's answer as a region: empty means us-east-1, and the legacy `EU` eu-west-1."""
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, str(location))


def bucket(s3: Any, name: str, *, region: str, style: str, check: str = "cargohold bucket") -> list[Result]:
    try:
        s3.head_bucket(Bucket=name)
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return [fail(check, name, "bucket not found: create it (pulumi up) or fix assets.bucketName")]
        hint = addressing_hint(error, style)
        if hint:
            return [fail(check, name, hint)]
        return [
            _denied_or(
                error,
                check,
                name,
                f"s3:ListBucket, {style} addressing",
                "bucket not accessible",
                "the bucket policy",
            )
        ]
    results = [ok(check, name, "exists")]
    results.append(_bucket_location(s3, name, region, check))
    try:
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        public = [
            key
            for key in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
            if not block.get(key)
        ]
        results.append(
            fail(check, name, f"public access not fully blocked ({', '.join(public)} false): set all four to true")
            if public
            else ok(check, name, "public access blocked (all four settings)")
        )
    except AwsError as error:
        if error_code(error) == "NoSuchPublicAccessBlockConfiguration":
            results.append(fail(check, name, "no public access block: the bucket may be made public; block all four"))
        else:
            results.append(_denied_or(error, check, name, "s3:GetBucketPublicAccessBlock", "cannot read it"))
    try:
        rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        algorithms = sorted({rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for rule in rules})
        results.append(ok(check, name, f"default encryption {', '.join(algorithms)}"))
    except AwsError as error:
        if error_code(error) == "ServerSideEncryptionConfigurationNotFoundError":
            results.append(fail(check, name, "no default encryption: set SSE-S3 or SSE-KMS"))
        else:
            results.append(_denied_or(error, check, name, "s3:GetEncryptionConfiguration", "cannot read it"))
    return results


def _bucket_location(s3: Any, name: str, region: str, check: str) -> Result:
    # botocore follows S3's redirect to another region; cargohold (amazonka) signs for its configured
    # region and fails, so the bucket's own region must be the stack's.
    try:
        location = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
    except AwsError as error:
        return _denied_or(
            error, check, name, "s3:GetBucketLocation", "cannot read the bucket's region", "the bucket policy"
        )
    found = bucket_region(location)
    if found != region:
        return fail(
            check,
            name,
            f"the bucket is in {found}, the stack (and cargohold's s3Endpoint) in {region}: cargohold's signed "
            "requests fail; move the assets to a bucket in the stack's region, or fix aws:region",
        )
    return ok(check, name, f"in the stack's region {region}")


def name_bucket_denial(s3: Any, name: str, result: Result) -> Result:
    """An object call denied without AWS saying by what: name the bucket policy's Deny statement, if one applies."""
    prefix = "access denied ("
    if result.status != Status.FAIL or not result.message.startswith(prefix):
        return result
    action = result.message[len(prefix) :].split(",", 1)[0].split()[0]
    key = result.resource.removeprefix(f"s3://{name}/")
    try:
        policy = s3.get_bucket_policy(Bucket=name)["Policy"]
    except (*AwsError, KeyError):
        return result
    statement = denying_statement(policy, action, f"arn:aws:s3:::{name}/{key}")
    if statement is None:
        return result
    head, _, cause = result.message.partition("): ")
    return fail(result.check, result.resource, f"{head}): {statement} (AWS: {cause})")


def plain_http_endpoint(endpoint: str | None) -> bool:
    return bool(endpoint) and urlparse(str(endpoint)).scheme == "http"


def tls_only_over_http(s3: Any, name: str, endpoint: str | None, *, check: str = "cargohold bucket") -> Result | None:
    """A TLS-only bucket policy (the program's DenyInsecureTransport) and a plain-http S3 endpoint.

    In AWS that denies every call: a failure. Against an emulator (an http endpoint outside AWS, as
    in the dev stack) it is a known limit, reported as a warning: moto_server evaluates bucket
    policies without a request context, so the Deny's condition counts as met and every object call
    is refused, over http or https. The program stays TLS-only everywhere (docs/verify.md).
    """
    if not plain_http_endpoint(endpoint):
        return None
    try:
        document = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except (*AwsError, ValueError, KeyError):
        return None
    if not denies_insecure_transport(document):
        return None
    host = urlparse(str(endpoint)).hostname or ""
    if host.endswith((".amazonaws.com", ".amazonaws.com.cn")):
        return fail(
            check,
            name,
            f"the bucket policy denies requests without TLS (aws:SecureTransport false) and the S3 endpoint is "
            f"{endpoint}: every call is denied; use https://",
        )
    return warn(
        check,
        name,
        f"object round trip not run: the bucket policy's TLS-only Deny cannot be met over {endpoint} (an "
        "emulator); moto_server refuses every object call under it, so cargohold cannot store assets in this "
        "dev stack (docs/verify.md, 'The dev stack')",
    )


# --- Route53 -------------------------------------------------------------------------------------


def _fqdn(name: str) -> str:
    return name.rstrip(".").lower().replace("\\052", "*")


def _values(record_set: dict[str, Any]) -> set[str]:
    alias = record_set.get("AliasTarget")
    if alias:
        return {_fqdn(alias["DNSName"]).removeprefix("dualstack.")}
    values = {str(item["Value"]) for item in record_set.get("ResourceRecords", [])}
    if record_set.get("Type") == "SRV":
        # "priority weight port target": only the target can be derived.
        return {_fqdn(value.split()[-1]) for value in values}
    return {_fqdn(value) for value in values}


def dns(route53: Any, zone_id: str, expected: Iterable[Record], *, check: str = "dns") -> list[Result]:
    try:
        sets = [
            record
            for page in route53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone_id)
            for record in page["ResourceRecordSets"]
        ]
    except AwsError as error:
        if error_code(error) in NOT_FOUND or error_code(error) == "NoSuchHostedZone":
            return [fail(check, zone_id, "hosted zone not found: fix dns.zoneId")]
        return [_denied_or(error, check, zone_id, "route53:ListResourceRecordSets", "cannot list the zone")]
    by_name: dict[str, list[dict[str, Any]]] = {}
    for record_set in sets:
        by_name.setdefault(_fqdn(record_set["Name"]), []).append(record_set)
    return [_record(check, zone_id, record, by_name.get(record.name, [])) for record in expected]


def _record(check: str, zone_id: str, record: Record, found: list[dict[str, Any]]) -> Result:
    wanted = "/".join(record.types) or "any"
    if not found:
        if not record.required:
            return warn(check, record.name, f"no {wanted} record in zone {zone_id} yet (external-dns creates it)")
        return fail(check, record.name, f"no {wanted} record in zone {zone_id}: create it (dns.hosts, pulumi up)")
    matching = [item for item in found if not record.types or item["Type"] in record.types]
    if not matching:
        types = ", ".join(sorted({item["Type"] for item in found}))
        return fail(check, record.name, f"has {types} records, expected {wanted}")
    if record.targets:
        values = set().union(*(_values(item) for item in matching))
        targets = {_fqdn(target) for target in record.targets}
        if not targets <= values:
            return fail(
                check, record.name, f"points to {', '.join(sorted(values))}, expected {', '.join(sorted(targets))}"
            )
        return ok(check, record.name, f"{matching[0]['Type']} -> {', '.join(sorted(targets))}")
    return ok(check, record.name, f"{matching[0]['Type']} record exists")
