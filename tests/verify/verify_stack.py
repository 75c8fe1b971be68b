"""Build a stack's AWS resources in moto exactly as the Pulumi program names and configures them.

Names come from `components.naming`, IAM documents from `components.aws.policies`: a test that
passes here passes for what `pulumi up` creates, not for a respelled copy.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import yaml

from components import naming
from components.aws import policies
from components.config import StackConfig, load_config

REGION = "eu-west-1"
EVENT_ATTRIBUTES = ("EventEndpointCreated", "EventEndpointDeleted", "EventEndpointUpdated", "EventDeliveryFailure")
DOMAIN = "wire.test"
LB = "lb.example.net"
APPS = [{"name": "com.wire.test", "platform": "APNS"}, {"name": "wiretest", "platform": "GCM"}]
_ZONE_ID = re.compile(r"^Z[A-Z0-9]{1,31}$")


@functools.cache
def client(url: str, service: str, region: str = REGION) -> Any:
    """Cached: creating a boto3 client costs more than a moto call. Dummy keys, never the ambient ones."""
    return boto3.client(
        service, region_name=region, endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def values(zone_id: str | None = None, **changes: Any) -> dict[str, Any]:
    """The `wire:` config of a complete test stack: push create, SES, both journals, prekeys, DNS."""
    config: dict[str, Any] = {
        "environment": "dev",
        "production": False,
        "domain": DOMAIN,
        "serviceCredentials": {"mode": "staticKeys"},
        "push": {"mode": "create", "apps": APPS},
        "email": {"mode": "ses", "sender": f"no-reply@{DOMAIN}"},
        "assets": {"s3AddressingStyle": "path"},
        "features": {"prekeyTable": True, "teamEventsJournal": True, "userJournal": True},
        "kubernetes": {"context": "kind-wire"},
    }
    if zone_id:
        hosts = ["nginz-https", "nginz-ssl", "webapp", "account", "teams", "federator"]
        config["dns"] = {"zoneId": zone_id, "target": {"hostname": LB}, "hosts": hosts}
    config.update(changes)
    return config


def external_push(**changes: str) -> dict[str, Any]:
    """`push.external` as Wire sends it (mode external), for Wire's account in eu-central-1."""
    external = {
        "account": "210987654321",
        "region": "eu-central-1",
        "queueName": "acme-gundeck-events",
        "arnEnv": "acme",
        "snsEndpoint": "https://sns.eu-central-1.amazonaws.com",
        "sqsEndpoint": "https://sqs.eu-central-1.amazonaws.com",
        "awsKeyId": "AKIAWIREPUSH",
    }
    return {**external, **changes}


def config(wire: dict[str, Any], region: str = REGION) -> StackConfig:
    return load_config(wire, region=region, allow_missing_secrets=True).config


def write_stack(root: Path, wire: dict[str, Any], url: str, name: str = "test", region: str = REGION) -> str:
    """A Pulumi.<name>.yaml whose `aws:endpoints` point at moto (as Pulumi.dev.yaml does at :4566)."""
    services = ["sqs", "sns", "ses", "sesv2", "dynamodb", "s3", "route53", "iam", "sts"]
    document = {
        "config": {
            "aws:region": region,
            "aws:endpoints": [{service: url for service in services}],
            **{f"wire:{key}": value for key, value in wire.items()},
        }
    }
    (root / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump(document))
    return name


def hosted_zone(url: str) -> str:
    """A zone whose moto-generated id is a valid Route53 id (`Z...`), as the config requires."""
    route53 = client(url, "route53")
    for attempt in range(2000):
        zone_id = route53.create_hosted_zone(Name=DOMAIN, CallerReference=str(attempt))["HostedZone"]["Id"]
        zone_id = zone_id.rsplit("/", 1)[-1]
        if _ZONE_ID.match(zone_id):
            return zone_id
        route53.delete_hosted_zone(Id=zone_id)
    raise RuntimeError("moto never produced a Z... hosted zone id")


def make_queue(url: str, name: str, *, region: str = REGION, encrypted: bool = True, dlq: bool = True) -> str:
    """A queue as components/aws/queues.py makes it: SSE-SQS and a redrive policy to `<name>-dlq`."""
    sqs = client(url, "sqs", region)
    fifo = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
    sse = {"SqsManagedSseEnabled": "true" if encrypted else "false"}
    attributes = {**fifo, **sse}
    if dlq:
        dlq_url = sqs.create_queue(QueueName=naming.dead_letter_queue(name), Attributes={**fifo, **sse})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
    queue_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def delete_queue(url: str, name: str, region: str = REGION) -> None:
    sqs = client(url, "sqs", region)
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"])


def subscribe(url: str, topic: str, queue_arn: str) -> str:
    """As EncryptedQueue.subscribe_raw: raw delivery, and the queue policy that lets the topic send."""
    sns = client(url, "sns")
    topic_arn = sns.create_topic(Name=topic)["TopicArn"]
    sub = sns.subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}
    )
    sqs = client(url, "sqs")
    queue_url = sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
    policy = policies.sns_to_sqs_policy(queue_arn=queue_arn, topic_arn=topic_arn)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    return str(sub["SubscriptionArn"])


@dataclass
class Created:
    cfg: StackConfig
    bucket: str
    subscriptions: dict[str, str]
    apps: dict[str, str]


def provision(url: str, cfg: StackConfig) -> Created:
    """Every resource verify checks for `cfg`, correctly configured."""
    env = cfg.environment
    subscriptions: dict[str, str] = {}
    apps: dict[str, str] = {}
    for queue in naming.queues(cfg):
        make_queue(url, queue)
    sqs = client(url, "sqs")

    def arn(name: str) -> str:
        queue_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    sns = client(url, "sns")
    if cfg.push.mode == "create":
        subscriptions["push"] = subscribe(url, naming.push_events_topic(env), arn(naming.gundeck_queue(env)))
        topic_arn = sns.create_topic(Name=naming.push_events_topic(env))["TopicArn"]
        for app in cfg.push.apps:
            name = naming.platform_application(cfg.arn_env, app.name)
            # As components/aws/push.py: every endpoint event goes to the topic.
            events = dict.fromkeys(EVENT_ATTRIBUTES, topic_arn)
            attributes = {"PlatformCredential": "dummy", "Enabled": "true", **events}
            apps[name] = sns.create_platform_application(Name=name, Platform=str(app.platform), Attributes=attributes)[
                "PlatformApplicationArn"
            ]
    if cfg.email.mode == "ses":
        topic = naming.email_events_topic(env)
        subscriptions["ses"] = subscribe(url, topic, arn(naming.brig_email_queue(env)))
        ses = client(url, "ses")
        ses.verify_domain_identity(Domain=cfg.domain)
        ses.verify_domain_dkim(Domain=cfg.domain)
        topic_arn = sns.create_topic(Name=topic)["TopicArn"]
        for kind in ("Bounce", "Complaint"):
            ses.set_identity_notification_topic(Identity=cfg.domain, NotificationType=kind, SnsTopic=topic_arn)
    if cfg.features.prekey_table:
        client(url, "dynamodb").create_table(
            TableName=naming.prekey_table(env),
            KeySchema=[{"AttributeName": "client", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "client", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    make_bucket(url, cfg.bucket_name)
    if cfg.dns:
        records(url, cfg)
    return Created(cfg, cfg.bucket_name, subscriptions, apps)


def make_bucket(url: str, name: str) -> None:
    client(url, "s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    secure_bucket(url, name)


def secure_bucket(url: str, name: str) -> None:
    """Public access block and default encryption, as components/aws/assets.py sets them."""
    s3 = client(url, "s3")
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def records(url: str, cfg: StackConfig) -> None:
    """As components/aws/dns.py: a CNAME per host to the load balancer, the federator SRV record."""
    assert cfg.dns is not None
    changes = [_change(naming.hostname(str(host), cfg.domain), "CNAME", LB) for host in cfg.dns.hosts]
    federator = naming.hostname("federator", cfg.domain)
    changes.append(_change(naming.federator_srv(cfg.domain), "SRV", f"0 10 443 {federator}"))
    client(url, "route53").change_resource_record_sets(HostedZoneId=cfg.dns.zone_id, ChangeBatch={"Changes": changes})


def _change(name: str, kind: str, value: str, action: str = "CREATE") -> dict[str, Any]:
    record = {"Name": name, "Type": kind, "TTL": 300, "ResourceRecords": [{"Value": value}]}
    return {"Action": action, "ResourceRecordSet": record}


# --- IAM enforcement (moto's INITIAL_NO_AUTH_ACTION_COUNT) ------------------------------------------


def _reset_auth(url: str, count: bytes) -> None:
    request = urllib.request.Request(
        f"{url}/moto-api/reset-auth", data=count, method="POST", headers={"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(request, timeout=5).read()


def enforce_iam(url: str) -> None:
    _reset_auth(url, b"0")


def enforce_iam_off(url: str) -> None:
    _reset_auth(url, b"inf")


def iam_user(url: str, name: str, policy: dict[str, Any]) -> tuple[str, str]:
    iam = client(url, "iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=name, PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def actions_only(policy: dict[str, Any], *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """The program's actions on Resource "*" without conditions, minus `without`.

    moto matches a policy's Resource only for S3 (other calls are evaluated against "*") and treats
    any statement with a Condition as a Deny, having no request context: for brig, gundeck and galley
    the action list is what a test can check.
    """
    statements = []
    for statement in policy["Statement"]:
        actions = [action for action in statement["Action"] if action not in without]
        if actions:
            statements.append({"Sid": statement["Sid"], "Effect": "Allow", "Action": actions, "Resource": ["*"]})
    return policies.document(statements)


def queue_arn(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:123456789012:{name}"


def brig_policy(created: Created) -> dict[str, Any]:
    env = created.cfg.environment
    return policies.brig_policy(
        internal_queue_arn=queue_arn(naming.brig_internal_queue(env)),
        ses_queue_arn=queue_arn(naming.brig_email_queue(env)),
        user_journal_queue_arn=queue_arn(naming.user_journal_queue(env)),
        ses_identity_arn=f"arn:aws:ses:{REGION}:123456789012:identity/{created.cfg.domain}",
        sender=created.cfg.email.sender,
        prekey_table_arn=f"arn:aws:dynamodb:{REGION}:123456789012:table/{naming.prekey_table(env)}",
    )


def gundeck_policy() -> dict[str, Any]:
    return policies.gundeck_policy(queue_arn="*", region=REGION, account_id="123456789012", arn_env="dev")


def service_policies(created: Created) -> dict[str, dict[str, Any]]:
    """Each service's policy as the program writes it, in the form moto can enforce (see actions_only)."""
    galley = policies.galley_policy(team_events_queue_arn=queue_arn(naming.team_events_queue(created.cfg.environment)))
    assert galley is not None
    return {
        "brig": actions_only(brig_policy(created)),
        "gundeck": actions_only(gundeck_policy()),
        "galley": actions_only(galley),
        "cargohold": policies.cargohold_policy(bucket_arn=f"arn:aws:s3:::{created.bucket}"),
    }
