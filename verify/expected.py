"""What the stack should have created: names from the stack outputs, else derived offline.

Every name comes from `components.naming` and `StackConfig`, the same functions the Pulumi program
uses, so verify never respells a name. The outputs (`pulumi stack output --json --show-secrets`)
win where given: they are what was actually created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from components import naming
from components.aws.ses_records import DnsRecord, static_records
from components.config import EmailMode, PushMode, StackConfig
from components.config.published import federation_srv_published, published_hosts
from verify.expected_recovery import RecoveryTarget, recovery_target
from verify.expected_resources import (
    AlarmsTarget,
    BucketRules,
    CloudFrontTarget,
    IdentityTarget,
    TopicKeyTarget,
    alarms_target,
    bucket_rules,
    cloudfront_target,
    identity_targets,
    topic_key_targets,
)


@dataclass(frozen=True)
class AppTarget:
    """One SNS platform application gundeck uses."""

    name: str
    arn: str
    # Configured platform; None for an application only the outputs list.
    platform: str | None
    # APNS with a certificate (push.apps[].principal) rather than a token signing key.
    certificate: bool = False


@dataclass(frozen=True)
class PushTarget:
    """Where gundeck's queue lives: our account, or Wire's account in `external` mode."""

    mode: str
    account: str | None
    region: str
    queue: str
    # External mode: the SQS endpoint Wire sent; otherwise the stack's endpoints apply.
    sqs_endpoint: str | None
    arn_env: str
    topic_arn: str | None
    apps: tuple[AppTarget, ...] = ()

    @property
    def app_arns(self) -> dict[str, str]:
        """Label -> ARN; the label is the name, with the platform when a name is used on several."""
        names = [app.name for app in self.apps]
        return {
            (app.name if names.count(app.name) == 1 else f"{app.name} ({app.platform or 'outputs'})"): app.arn
            for app in self.apps
        }


@dataclass(frozen=True)
class SesTarget:
    identity: str
    sender: str
    queue: str
    topic_arn: str
    # The MAIL FROM domain SES sends bounces from, and its MX, SPF and the DMARC records (ses_records).
    mail_from: str = ""
    records: tuple[Record, ...] = ()
    configuration_set: str = ""


@dataclass(frozen=True)
class Record:
    """One Route53 record set a Wire hostname needs."""

    name: str
    # Accepted record types; the target is checked only when it can be derived from the config.
    types: tuple[str, ...]
    targets: tuple[str, ...] = ()
    # False for records another tool owns (external-dns): missing is a warning, not a failure.
    required: bool = True
    # Who needs the record and what breaks without it; None for the Wire host names (dns.hosts).
    purpose: str | None = None


@dataclass(frozen=True)
class Expected:
    environment: str
    region: str
    # Account the stack was deployed to (outputs), or the caller's account when not given.
    account: str | None
    push: PushTarget | None
    brig_internal_queue: str
    ses: SesTarget | None
    prekey_table: str | None
    user_journal_queue: str | None
    team_events_queue: str | None
    bucket: str
    addressing_style: str
    zone_id: str | None
    records: tuple[Record, ...]
    service_role_arns: dict[str, str] = field(default_factory=dict)
    # What the stack added later (verify/expected_resources.py).
    production: bool = False
    alarms: AlarmsTarget | None = None
    topic_keys: tuple[TopicKeyTarget, ...] = ()
    identities: tuple[IdentityTarget, ...] = ()
    access_key_ids: dict[str, str] = field(default_factory=dict)
    bucket_rules: BucketRules | None = None
    cloudfront: CloudFrontTarget | None = None
    recovery: RecoveryTarget | None = None


def sns_arn(region: str, account: str, resource: str) -> str:
    return f"arn:aws:sns:{region}:{account}:{resource}"


def _out(outputs: dict[str, Any], key: str) -> Any:
    value = outputs.get(key)
    return value if value not in (None, "", [], {}) else None


def push_target(cfg: StackConfig, outputs: dict[str, Any], account: str | None) -> PushTarget | None:
    mode = cfg.push.mode
    if mode == PushMode.DISABLED:
        return None
    if mode == PushMode.EXTERNAL and cfg.push.external is not None:
        ext = cfg.push.external
        # Wire's account: only the queue is ours to check (no apps, no topic).
        return PushTarget(str(mode), ext.account, ext.region, ext.queue_name, ext.sqs_endpoint, ext.arn_env, None)
    arn_env = _out(outputs, "pushArnEnv") or cfg.arn_env
    region = _out(outputs, "awsRegion") or cfg.region
    apps: dict[str, AppTarget] = {}
    configured = {(str(app.platform), app.name): app for app in cfg.push.apps}
    for (platform, app_name), app in configured.items():
        name = naming.platform_application(arn_env, app_name)
        arn = sns_arn(region, account, f"app/{platform}/{name}") if account else ""
        apps[f"{platform}/{app_name}"] = AppTarget(name, arn, platform, app.principal is not None)
    # The program exports "<PLATFORM>/<app>" -> ARN: what was created wins over the derived ARN.
    for key, arn in (_out(outputs, "pushPlatformApplicationArns") or {}).items():
        platform, _, app_name = str(key).partition("/")
        app = configured.get((platform, app_name))
        apps[str(key)] = AppTarget(
            str(arn).rsplit("/", 1)[-1], str(arn), platform if app else None, bool(app and app.principal is not None)
        )
    topic = _out(outputs, "pushEventsTopicArn")
    if topic is None and account:
        topic = sns_arn(region, account, naming.push_events_topic(cfg.environment))
    queue = _out(outputs, "gundeckQueueName") or naming.gundeck_queue(cfg.environment)
    return PushTarget(str(mode), account, cfg.region, queue, None, arn_env, topic, tuple(apps.values()))


def ses_target(cfg: StackConfig, outputs: dict[str, Any], account: str | None) -> SesTarget | None:
    if cfg.email.mode != EmailMode.SES:
        return None
    topic = _out(outputs, "sesFeedbackTopicArn")
    if topic is None:
        topic = sns_arn(cfg.region, account or "<account>", naming.email_events_topic(cfg.environment))
    return SesTarget(
        identity=_out(outputs, "sesIdentity") or cfg.domain,
        sender=_out(outputs, "sesSender") or cfg.email.sender,
        queue=_out(outputs, "sesQueueName") or naming.brig_email_queue(cfg.environment),
        topic_arn=topic,
        mail_from=f"{cfg.email.ses_settings.mail_from_subdomain}.{cfg.domain}",
        records=tuple(ses_record(record) for record in static_records(cfg)),
        configuration_set=naming.ses_configuration_set(cfg.environment),
    )


SES_RECORD_PURPOSES = {
    "MX": "SES's MAIL FROM needs it: without it SES falls back to amazonses.com and brig's mail fails DMARC alignment",
    "TXT": "brig's mail needs it (SPF of the MAIL FROM domain, or the DMARC policy): receivers may reject or spam it",
    "CNAME": "brig's mail is not DKIM-signed with the identity's current key: receivers may reject or spam it",
}


def ses_record(record: DnsRecord) -> Record:
    """A record SES needs (ses_records), as verify looks for it in the zone."""
    return Record(record.name, (record.type,), tuple(record.values), purpose=SES_RECORD_PURPOSES[record.type])


def records(cfg: StackConfig, outputs: dict[str, Any]) -> tuple[Record, ...]:
    if cfg.dns is None:
        return ()
    target = cfg.dns.target
    if target.hostname and target.alias_zone_id:
        types, targets = ("A",), (target.hostname,)
    elif target.hostname:
        types, targets = ("CNAME",), (target.hostname,)
    elif target.ips:
        types, targets = ("A",), tuple(target.ips)
    else:
        # The ingress controller's load balancer: known only after the release is up.
        types, targets = ("A", "AAAA", "CNAME"), ()
    found = [Record(naming.hostname(str(host), cfg.domain), types, targets) for host in published_hosts(cfg)]
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.hostname:
        found.append(Record(wslb.hostname, ("A", "AAAA", "CNAME"), required=not wslb.external_dns))
    # As the program: the SRV record only points at a federator hostname it also creates (federation on).
    if federation_srv_published(cfg):
        found.append(Record(naming.federator_srv(cfg.domain), ("SRV",), (naming.hostname("federator", cfg.domain),)))
    known = {record.name for record in found}
    for fqdn in _out(outputs, "dnsRecords") or []:
        name = str(fqdn).rstrip(".").lower()
        if name not in known:
            found.append(Record(name, ()))
            known.add(name)
    return tuple(found)


def deployed_account(cfg: StackConfig, outputs: dict[str, Any]) -> str | None:
    """The account of our resources; in `external` mode `awsAccountId` is Wire's push account instead."""
    return None if cfg.push.mode == PushMode.EXTERNAL else _out(outputs, "awsAccountId")


def expected(cfg: StackConfig, outputs: dict[str, Any], account: str | None) -> Expected:
    """Everything verify checks. `account` is the caller's, used where the outputs name none."""
    env = cfg.environment
    account = deployed_account(cfg, outputs) or account
    features = cfg.features
    return Expected(
        environment=env,
        region=cfg.region,
        account=account,
        push=push_target(cfg, outputs, account),
        brig_internal_queue=_out(outputs, "brigInternalQueueName") or naming.brig_internal_queue(env),
        ses=ses_target(cfg, outputs, account),
        prekey_table=(_out(outputs, "prekeyTableName") or naming.prekey_table(env)) if features.prekey_table else None,
        user_journal_queue=(_out(outputs, "userJournalQueueName") or naming.user_journal_queue(env))
        if features.user_journal
        else None,
        team_events_queue=(_out(outputs, "teamEventsQueueName") or naming.team_events_queue(env))
        if features.team_events_journal
        else None,
        bucket=_out(outputs, "assetsBucketName") or cfg.bucket_name,
        addressing_style=cfg.assets.s3_addressing_style,
        zone_id=cfg.dns.zone_id if cfg.dns else None,
        records=records(cfg, outputs),
        service_role_arns={str(k): str(v) for k, v in (_out(outputs, "serviceRoleArns") or {}).items()},
        production=cfg.is_production,
        alarms=alarms_target(cfg, outputs, account),
        topic_keys=topic_key_targets(cfg, outputs, account),
        identities=identity_targets(cfg, account),
        access_key_ids={str(k): str(v) for k, v in (_out(outputs, "serviceAccessKeyIds") or {}).items()},
        bucket_rules=bucket_rules(cfg),
        cloudfront=cloudfront_target(cfg, outputs, _out(outputs, "assetsBucketName") or cfg.bucket_name),
        recovery=recovery_target(
            cfg,
            _out(outputs, "assetsBucketName") or cfg.bucket_name,
            (_out(outputs, "prekeyTableName") or naming.prekey_table(env)) if features.prekey_table else None,
            account,
        ),
    )
