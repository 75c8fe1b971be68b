"""Build a stack's AWS resources in moto exactly as the Pulumi program names and configures them.

Names come from `components.naming`, IAM documents from `components.aws.policies`: a test that
passes here passes for what `pulumi up` creates, not for a respelled copy.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import yaml

from components import naming
from components.aws import policies
from components.aws.alarm_specs import AlarmSpec, alarm_topic
from components.aws.asset_rules import CORS_MAX_AGE, CORS_METHODS, lifecycle_rule_specs, web_origins
from components.aws.datastore_alarms import stack_alarm_specs, with_account
from components.aws.queue_settings import DLQ_RETENTION_SECONDS, RETENTION_SECONDS
from components.aws.ses_records import dkim_records, static_records
from components.aws.topic_publishers import topic_publishers
from components.config import StackConfig, load_config
from components.config.published import federation_srv_published, published_hosts
from tests.verify.recovery_support import provision_recovery
from verify.checks.exposure import cluster_name
from verify.expected_recovery import recovery_target
from verify.expected_resources import identity_targets

REGION = "eu-west-1"
# moto's account.
ACCOUNT = "123456789012"
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
        "alarms": {"email": f"ops@{DOMAIN}"},
    }
    if zone_id:
        hosts = ["nginz-https", "nginz-ssl", "webapp", "account", "teams", "federator"]
        config["dns"] = {"zoneId": zone_id, "target": {"hostname": LB}, "hosts": hosts}
        # The federator's records are published only with federation on.
        config["extraValues"] = {"wireServer": {"tags": {"federation": True}}}
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
    services = ["sqs", "sns", "ses", "sesv2", "dynamodb", "s3", "route53", "iam", "sts", "kms", "cloudwatch", "eks"]
    document = {
        "config": {
            "aws:region": region,
            "aws:endpoints": [{service: url for service in services}],
            **{f"wire:{key}": value for key, value in wire.items()},
        }
    }
    (root / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump(document))
    return name


def eks_cluster(url: str, cfg: StackConfig) -> None:
    """The EKS cluster the stack names (verify describes its API endpoint), private as a production one is."""
    name = cluster_name(cfg)
    if name is None:
        return
    client(url, "eks", cfg.region).create_cluster(
        name=name,
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks",
        resourcesVpcConfig={"subnetIds": [], "endpointPublicAccess": False, "endpointPrivateAccess": True},
    )


def hosted_zone(url: str, domain: str = DOMAIN) -> str:
    """A zone whose moto-generated id is a valid Route53 id (`Z...`), as the config requires."""
    route53 = client(url, "route53")
    for attempt in range(2000):
        zone_id = route53.create_hosted_zone(Name=domain, CallerReference=str(attempt))["HostedZone"]["Id"]
        zone_id = zone_id.rsplit("/", 1)[-1]
        if _ZONE_ID.match(zone_id):
            return zone_id
        route53.delete_hosted_zone(Id=zone_id)
    raise RuntimeError("moto never produced a Z... hosted zone id")


def make_queue(url: str, name: str, *, region: str = REGION, encrypted: bool = True, dlq: bool = True) -> str:
    """A queue as components/aws/queues.py makes it: SSE-SQS, its retention and a redrive policy to `<name>-dlq`."""
    sqs = client(url, "sqs", region)
    fifo = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
    sse = {"SqsManagedSseEnabled": "true" if encrypted else "false"}
    attributes = {**fifo, **sse, "MessageRetentionPeriod": str(RETENTION_SECONDS)}
    if dlq:
        dlq_attributes = {**fifo, **sse, "MessageRetentionPeriod": str(DLQ_RETENTION_SECONDS)}
        dlq_url = sqs.create_queue(QueueName=naming.dead_letter_queue(name), Attributes=dlq_attributes)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
    queue_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def delete_queue(url: str, name: str, region: str = REGION) -> None:
    sqs = client(url, "sqs", region)
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"])


def subscribe(url: str, topic: str, queue_arn: str, key: str | None = None, region: str = REGION) -> str:
    """As EncryptedQueue.subscribe_raw: raw delivery, and the queue policy that lets the topic send."""
    sns = client(url, "sns", region)
    topic_arn = sns.create_topic(Name=topic, Attributes={"KmsMasterKeyId": key} if key else {})["TopicArn"]
    sub = sns.subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}
    )
    sqs = client(url, "sqs", region)
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
    # The event topics' key (keys.py), when the stack has one.
    topic_key: str | None = None
    access_key_ids: dict[str, str] = field(default_factory=dict)


def provision(url: str, cfg: StackConfig, *, identities: bool = True, bucket_policy: bool = True) -> Created:
    """Every resource verify checks for `cfg`, correctly configured.

    `identities=False` leaves out the services' IAM users/roles (tests that make their own), `bucket_policy=False`
    the TLS-only bucket policy (moto refuses every object call under it, see docs/verify.md).
    """
    env = cfg.environment
    subscriptions: dict[str, str] = {}
    apps: dict[str, str] = {}
    key = topic_key(url, cfg)
    for queue in naming.queues(cfg):
        make_queue(url, queue, region=cfg.region)
    sqs = client(url, "sqs", cfg.region)

    def arn(name: str) -> str:
        queue_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    sns = client(url, "sns", cfg.region)
    if cfg.push.mode == "create":
        topic = naming.push_events_topic(env)
        gundeck = arn(naming.gundeck_queue(env))
        subscriptions["push"] = subscribe(url, topic, gundeck, key or "alias/aws/sns", cfg.region)
        topic_arn = sns.create_topic(Name=topic)["TopicArn"]
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
        subscriptions["ses"] = subscribe(url, topic, arn(naming.brig_email_queue(env)), key, cfg.region)
        ses = client(url, "ses", cfg.region)
        ses.verify_domain_identity(Domain=cfg.domain)
        ses.verify_domain_dkim(Domain=cfg.domain)
        mail_from = f"{cfg.email.ses_settings.mail_from_subdomain}.{cfg.domain}"
        ses.set_identity_mail_from_domain(Identity=cfg.domain, MailFromDomain=mail_from)
        client(url, "sesv2", cfg.region).create_configuration_set(
            ConfigurationSetName=naming.ses_configuration_set(env),
            ReputationOptions={"ReputationMetricsEnabled": True},
            SuppressionOptions={"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
        )
        topic_arn = sns.create_topic(Name=topic)["TopicArn"]
        for kind in ("Bounce", "Complaint"):
            ses.set_identity_notification_topic(Identity=cfg.domain, NotificationType=kind, SnsTopic=topic_arn)
    if cfg.features.prekey_table:
        ddb = client(url, "dynamodb", cfg.region)
        ddb.create_table(
            TableName=naming.prekey_table(env),
            KeySchema=[{"AttributeName": "client", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "client", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            DeletionProtectionEnabled=cfg.is_production,
        )
        ddb.update_continuous_backups(
            TableName=naming.prekey_table(env), PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    location = {"LocationConstraint": cfg.region}
    client(url, "s3", cfg.region).create_bucket(Bucket=cfg.bucket_name, CreateBucketConfiguration=location)
    complete_bucket(url, cfg.bucket_name, cfg, policy=bucket_policy)
    provision_recovery(
        lambda service, region: client(url, service, region),
        cfg,
        recovery_target(cfg, cfg.bucket_name, naming.prekey_table(env) if cfg.features.prekey_table else None, None),
    )
    alarms(url, cfg, key)
    keys = service_identities(url, cfg) if identities else {}
    if cfg.dns:
        records(url, cfg)
    eks_cluster(url, cfg)
    return Created(cfg, cfg.bucket_name, subscriptions, apps, key, keys)


def topic_key(url: str, cfg: StackConfig) -> str | None:
    """The event topics' key as components/aws/keys.py makes it: its policy grants exactly the publishers."""
    publishers = topic_publishers(cfg)
    if not publishers:
        return None
    policy = policies.topic_key_policy(account_id=ACCOUNT, partition="aws", region=cfg.region, publishers=publishers)
    return str(client(url, "kms", cfg.region).create_key(Policy=json.dumps(policy))["KeyMetadata"]["Arn"])


def alarms(url: str, cfg: StackConfig, key: str | None) -> None:
    """As components/aws/alarms.py: the topic (with the key), its mail subscription, one alarm per spec."""
    if not cfg.alarms.enabled:
        return
    sns = client(url, "sns", cfg.region)
    topic_arn = sns.create_topic(Name=alarm_topic(cfg.environment), Attributes={"KmsMasterKeyId": key or ""})[
        "TopicArn"
    ]
    if cfg.alarms.email:
        sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint=cfg.alarms.email)
    for spec in stack_alarm_specs(cfg):
        put_alarm(url, cfg.region, with_account(spec, ACCOUNT), topic_arn)


def put_alarm(url: str, region: str, spec: AlarmSpec, topic_arn: str | None) -> None:
    """One alarm of `alarm_specs`; `topic_arn` None leaves it without actions."""
    actions = [topic_arn] if topic_arn else []
    client(url, "cloudwatch", region).put_metric_alarm(
        AlarmName=spec.name,
        AlarmDescription=spec.description,
        Namespace=spec.namespace,
        MetricName=spec.metric,
        Dimensions=[{"Name": name, "Value": value} for name, value in spec.dimensions.items()],
        Statistic=spec.statistic,
        Period=spec.period_seconds,
        EvaluationPeriods=1,
        Threshold=spec.threshold,
        ComparisonOperator=spec.comparison,
        TreatMissingData=spec.treat_missing_data,
        AlarmActions=actions,
        OKActions=actions,
    )


def service_identities(url: str, cfg: StackConfig) -> dict[str, str]:
    """As components/aws/irsa.py and identity.py: a role per service and add-on (IRSA) or a user with a key, each
    with its inline policy. Returns the access key ids (static keys) by service."""
    iam = client(url, "iam")
    access_keys = {}
    for target in identity_targets(cfg, ACCOUNT):
        policy = json.dumps(target.document)
        if target.kind == "role":
            iam.create_role(RoleName=target.name, AssumeRolePolicyDocument=json.dumps(target.trust))
            if target.policy:
                iam.put_role_policy(RoleName=target.name, PolicyName=target.policy, PolicyDocument=policy)
        else:
            iam.create_user(UserName=target.name)
            if target.policy:
                iam.put_user_policy(UserName=target.name, PolicyName=target.policy, PolicyDocument=policy)
            access_keys[target.owner] = iam.create_access_key(UserName=target.name)["AccessKey"]["AccessKeyId"]
    return access_keys


def complete_bucket(url: str, name: str, cfg: StackConfig, *, policy: bool = True) -> None:
    """All that components/aws/assets.py sets on the bucket: access, encryption, CORS, lifecycle, ownership, policy."""
    secure_bucket(url, name)
    s3 = client(url, "s3")
    if policy:
        document = policies.asset_bucket_policy(bucket_arn=f"arn:aws:s3:::{name}")
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(document))
    cors = {"AllowedMethods": CORS_METHODS, "AllowedOrigins": web_origins(cfg.domain), "AllowedHeaders": ["*"]}
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [{**cors, "MaxAgeSeconds": CORS_MAX_AGE}]})
    rules = [rule.api() for rule in lifecycle_rule_specs(cfg)]
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
    s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


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
    """As components/aws/dns.py: a CNAME per host to the load balancer, the federator SRV record; and as
    components/aws/email.py the SES records: DKIM with the identity's tokens, MAIL FROM MX and SPF, DMARC."""
    assert cfg.dns is not None
    changes = [_change(naming.hostname(str(host), cfg.domain), "CNAME", LB) for host in published_hosts(cfg)]
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.hostname and not wslb.external_dns:
        changes.append(_change(wslb.hostname, "CNAME", LB))
    if federation_srv_published(cfg):
        federator = naming.hostname("federator", cfg.domain)
        changes.append(_change(naming.federator_srv(cfg.domain), "SRV", f"0 10 443 {federator}"))
    if cfg.email.mode == "ses":
        tokens = client(url, "ses", cfg.region).get_identity_dkim_attributes(Identities=[cfg.domain])["DkimAttributes"]
        found = dkim_records(cfg.domain, tokens[cfg.domain]["DkimTokens"]) + static_records(cfg)
        for record in found:
            values = [f'"{value}"' if record.type == "TXT" else value for value in record.values]
            changes.append(_change(record.name, record.type, values[0]))
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
