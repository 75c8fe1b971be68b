"""What the stack's alarms, topic keys, IAM identities, bucket rules and table protection should be.

Derived from the functions the components build them with (alarm_specs, topic_publishers and
policies.topic_key_policy, policies.irsa_trust_policy, asset_rules, ses_records): verify never
respells what the program creates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components import naming
from components.aws import addon_policies, policies
from components.aws.alarm_specs import AlarmSpec, alarm_specs, alarm_topic
from components.aws.asset_rules import CORS_METHODS, LifecycleRule, lifecycle_rule_specs, web_origins
from components.aws.datastore_alarms import stack_alarm_specs, with_account
from components.aws.topic_publishers import topic_publishers
from components.config import CredentialsMode, EmailMode, PushMode, StackConfig
from components.config.addons import (
    CERT_MANAGER_NAMESPACE,
    CERT_MANAGER_SERVICE_ACCOUNT,
    LB_CONTROLLER_NAMESPACE,
    LB_CONTROLLER_SERVICE_ACCOUNT,
    AcmeChallenge,
)
from components.naming import SERVICES

PUBLISHER_USES = {
    policies.SES_PUBLISHER: "brig's bounce and complaint feedback",
    policies.SNS_PUBLISHER: "gundeck's endpoint events",
    policies.CLOUDWATCH_PUBLISHER: "the alarms' notifications",
}


def partition_of_region(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


@dataclass(frozen=True)
class AlarmTarget:
    spec: AlarmSpec
    # The Wire service (or part of the stack) whose failure the alarm reports.
    service: str


@dataclass(frozen=True)
class AlarmsTarget:
    topic: str
    topic_arn: str
    email: str | None
    alarms: tuple[AlarmTarget, ...]


@dataclass(frozen=True)
class TopicKeyTarget:
    """A topic an AWS service publishes to: its key must be usable and grant that service."""

    topic: str
    topic_arn: str
    publisher: str
    # What is lost when the publisher cannot use the key.
    use: str
    # A request context the publisher sends with: aws:SourceArn and aws:SourceAccount.
    source_arn: str
    account: str


@dataclass(frozen=True)
class IdentityTarget:
    """An IAM role (IRSA) or user (static keys) of a Wire service or a cluster add-on."""

    owner: str
    kind: str  # "role" or "user"
    name: str
    # The inline policy's name, or None when the program attaches none.
    policy: str | None
    # Roles only: the exact trust policy.
    trust: dict[str, Any] | None = None
    # The inline policy's document, as components/aws/service_policies.py and addons.py write it.
    document: dict[str, Any] | None = None


@dataclass(frozen=True)
class BucketRules:
    origins: tuple[str, ...]
    methods: tuple[str, ...]
    lifecycle: tuple[LifecycleRule, ...]


@dataclass(frozen=True)
class CloudFrontTarget:
    # The distribution's domain from the outputs (cloudFrontDomain); else found by its bucket origin.
    domain: str | None
    bucket: str
    key_pair_id: str
    origins: tuple[str, ...]


def cloudfront_target(cfg: StackConfig, outputs: dict[str, Any], bucket: str) -> CloudFrontTarget | None:
    cloud_front = cfg.assets.cloud_front
    if not cloud_front.enabled or not cloud_front.key_pair_id:
        return None
    domain = outputs.get("cloudFrontDomain") or None
    return CloudFrontTarget(domain, bucket, cloud_front.key_pair_id, tuple(web_origins(cfg.domain)))


def queue_owners(cfg: StackConfig) -> dict[str, str]:
    """Queue (and its dead-letter queue) -> the Wire service that reads or writes it."""
    env = cfg.environment
    owners = {
        naming.brig_internal_queue(env): "brig",
        naming.gundeck_queue(env): "gundeck",
        naming.brig_email_queue(env): "brig",
        naming.user_journal_queue(env): "brig",
        naming.team_events_queue(env): "galley",
    }
    return owners | {naming.dead_letter_queue(queue): owner for queue, owner in owners.items()}


# The services reading each managed store (docs/datastores.md).
STORE_READERS = {
    "AWS/RDS": "brig, galley, background-worker (PostgreSQL)",
    "AWS/ElastiCache": "gundeck (Redis)",
    "AWS/AmazonMQ": "brig, gundeck, cannon, background-worker (RabbitMQ)",
    "AWS/ES": "brig (search, OpenSearch)",
}


def _alarm_service(spec: AlarmSpec, owners: dict[str, str]) -> str:
    if spec.namespace == "AWS/SES":
        return "brig (email)"
    if spec.namespace == "AWS/SNS":
        return "gundeck (push)"
    if spec.namespace in STORE_READERS:
        return STORE_READERS[spec.namespace]
    return owners.get(spec.dimensions.get("QueueName", ""), "the stack")


def alarms_target(cfg: StackConfig, outputs: dict[str, Any], account: str | None) -> AlarmsTarget | None:
    if not cfg.alarms.enabled:
        return None
    topic = alarm_topic(cfg.environment)
    arn = outputs.get("alarmTopicArn") or _arn(cfg, "sns", account, topic)
    owners = queue_owners(cfg)
    specs = [with_account(spec, account or "<account>") for spec in stack_alarm_specs(cfg)]
    alarms = tuple(AlarmTarget(spec, _alarm_service(spec, owners)) for spec in specs)
    return AlarmsTarget(topic, str(arn), cfg.alarms.email, alarms)


def _arn(cfg: StackConfig, service: str, account: str | None, resource: str) -> str:
    return f"arn:{partition_of_region(cfg.region)}:{service}:{cfg.region}:{account or '<account>'}:{resource}"


def topic_key_targets(cfg: StackConfig, outputs: dict[str, Any], account: str | None) -> tuple[TopicKeyTarget, ...]:
    """Each topic an AWS service publishes to, with that service; the program's key (or the CMK) must grant it."""
    account = account or "<account>"
    publishers = topic_publishers(cfg)
    env = cfg.environment
    found = []
    if policies.SES_PUBLISHER in publishers:
        topic = naming.email_events_topic(env)
        arn = outputs.get("sesFeedbackTopicArn") or _arn(cfg, "sns", account, topic)
        source = _arn(cfg, "ses", account, f"identity/{cfg.domain}")
        found.append(TopicKeyTarget(topic, str(arn), policies.SES_PUBLISHER, PUBLISHER_USES["ses"], source, account))
    if policies.SNS_PUBLISHER in publishers:
        topic = naming.push_events_topic(env)
        arn = outputs.get("pushEventsTopicArn") or _arn(cfg, "sns", account, topic)
        app = cfg.push.apps[0]
        source = _arn(cfg, "sns", account, f"app/{app.platform}/{naming.platform_application(cfg.arn_env, app.name)}")
        found.append(TopicKeyTarget(topic, str(arn), policies.SNS_PUBLISHER, PUBLISHER_USES["sns"], source, account))
    alarms = alarm_specs(cfg)
    if policies.CLOUDWATCH_PUBLISHER in publishers and alarms:
        topic = alarm_topic(env)
        arn = outputs.get("alarmTopicArn") or _arn(cfg, "sns", account, topic)
        source = _arn(cfg, "cloudwatch", account, f"alarm:{alarms[0].name}")
        use = PUBLISHER_USES["cloudwatch"]
        found.append(TopicKeyTarget(topic, str(arn), policies.CLOUDWATCH_PUBLISHER, use, source, account))
    return tuple(found)


def service_policy(cfg: StackConfig, service: str, account: str) -> dict[str, Any] | None:
    """The service's inline policy, as components/aws/service_policies.py builds it from the resources' ARNs."""
    env, region, part = cfg.environment, cfg.region, partition_of_region(cfg.region)
    cmk = cfg.service_credentials.kms_key_arn
    ses = cfg.email.mode == EmailMode.SES

    def arn(aws_service: str, resource: str) -> str:
        return f"arn:{part}:{aws_service}:{region}:{account}:{resource}"

    if service == "brig":
        return policies.brig_policy(
            internal_queue_arn=arn("sqs", naming.brig_internal_queue(env)),
            ses_queue_arn=arn("sqs", naming.brig_email_queue(env)) if ses else None,
            user_journal_queue_arn=arn("sqs", naming.user_journal_queue(env)) if cfg.features.user_journal else None,
            ses_identity_arn=arn("ses", f"identity/{cfg.domain}") if ses else None,
            ses_configuration_set_arn=arn("ses", f"configuration-set/{naming.ses_configuration_set(env)}")
            if ses
            else None,
            sender=cfg.email.sender if ses else None,
            prekey_table_arn=arn("dynamodb", f"table/{naming.prekey_table(env)}")
            if cfg.features.prekey_table
            else None,
            kms_key_arn=cmk,
        )
    if service == "cargohold":
        return policies.cargohold_policy(bucket_arn=f"arn:{part}:s3:::{cfg.bucket_name}", kms_key_arn=cmk)
    if service == "galley":
        if not cfg.features.team_events_journal:
            return None  # galley has nothing to call
        return policies.galley_policy(team_events_queue_arn=arn("sqs", naming.team_events_queue(env)), kms_key_arn=cmk)
    return policies.gundeck_policy(
        queue_arn=arn("sqs", naming.gundeck_queue(env)),
        region=region,
        account_id=account,
        arn_env=cfg.arn_env,
        partition=part,
        push_enabled=cfg.push.mode == PushMode.CREATE,
        kms_key_arn=cmk,
    )


def identity_targets(cfg: StackConfig, account: str | None) -> tuple[IdentityTarget, ...]:
    """The IAM identity of each Wire service that calls AWS, and the IRSA role of each add-on that needs one."""
    env = cfg.environment
    account = account or "<account>"
    part = partition_of_region(cfg.region)
    services = [s for s in SERVICES if s != "gundeck" or cfg.push.mode != PushMode.EXTERNAL]
    found: list[IdentityTarget] = []
    irsa = cfg.service_credentials.mode == CredentialsMode.IRSA
    for service in services:
        document = service_policy(cfg, service, account)
        if irsa:
            name = naming.service_role(env, service)
            trust = _trust(cfg, cfg.kubernetes.namespace, service)
            found.append(IdentityTarget(service, "role", name, name if document else None, trust, document))
        else:
            name = naming.service_user(env, service)
            found.append(IdentityTarget(service, "user", name, name if document else None, document=document))
    addons = cfg.addons
    installed = []
    if addons.cert_manager.install and addons.cert_manager.issuer == AcmeChallenge.DNS01:
        assert cfg.dns is not None
        document = addon_policies.cert_manager_dns01_policy(zone_id=cfg.dns.zone_id, partition=part)
        installed.append(("cert-manager", CERT_MANAGER_NAMESPACE, CERT_MANAGER_SERVICE_ACCOUNT, document))
    if addons.aws_load_balancer_controller.install:
        document = addon_policies.aws_load_balancer_controller_policy(part)
        installed.append(
            ("aws-load-balancer-controller", LB_CONTROLLER_NAMESPACE, LB_CONTROLLER_SERVICE_ACCOUNT, document)
        )
    for addon, namespace, service_account, document in installed:
        name = naming.service_role(env, addon)
        trust = _trust(cfg, namespace, service_account)
        found.append(IdentityTarget(f"add-on {addon}", "role", name, name, trust, document))
    return tuple(found)


def _trust(cfg: StackConfig, namespace: str, service_account: str) -> dict[str, Any]:
    credentials = cfg.service_credentials
    assert credentials.oidc_provider_arn and credentials.oidc_issuer
    return policies.irsa_trust_policy(
        oidc_provider_arn=credentials.oidc_provider_arn,
        issuer=credentials.oidc_issuer,
        namespace=namespace,
        service_account=service_account,
    )


def bucket_rules(cfg: StackConfig) -> BucketRules:
    return BucketRules(tuple(web_origins(cfg.domain)), tuple(CORS_METHODS), tuple(lifecycle_rule_specs(cfg)))
