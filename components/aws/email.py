"""brig's email through SES: domain identity, DKIM/MAIL FROM/DMARC records and bounce/complaint feedback."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.common import adopted, adopted_record, child, tags
from components.aws.queues import EncryptedQueue
from components.aws.ses_records import (
    DKIM_TOKEN_COUNT,
    RECORD_TTL,
    DnsRecord,
    dkim_record,
    dkim_records,
    static_records,
)
from components.config import StackConfig

COMPONENT = "brig"


def dkim_resource_name(index: int) -> str:
    """`ses-dkim-1` .. `ses-dkim-3`: known before SES answers, unlike the record names."""
    return f"ses-dkim-{index + 1}"


def record_resource_name(record: DnsRecord) -> str:
    return f"ses-{record.type.lower()}-{record.name}"


class EmailSending(pulumi.ComponentResource):
    """SES mode only (SMTP mode creates nothing, so don't instantiate this then).

    Uses SESv2 `EmailIdentity`: one resource that creates the domain identity with Easy DKIM, returns
    the DKIM tokens and attaches the default configuration set; the v1 pair (DomainIdentity +
    DomainDkim) needs two resources and has no configuration-set link. Bounce and complaint
    notifications are still the v1 `IdentityNotificationTopic` (SESv2 has no identity-level
    notifications; configuration-set event destinations publish a different JSON shape than the
    `notificationType` brig parses). Nothing waits for verification: DNS propagation may take hours
    and must not block the release.
    """

    identity: aws.sesv2.EmailIdentity
    configuration_set: aws.sesv2.ConfigurationSet
    topic: aws.sns.Topic
    queue: EncryptedQueue
    domain: str
    sender: str
    mail_from_domain: str
    identity_arn: pulumi.Output[str]
    configuration_set_arn: pulumi.Output[str]
    queue_name: str
    dns_records: pulumi.Output[list[dict[str, object]]]
    route53_records: list[aws.route53.Record]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        account_id: pulumi.Output[str],
        partition: pulumi.Output[str],
        topic_key: pulumi.Input[str] | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`topic_key` encrypts the feedback topic: a key SES may use (keys.py)."""
        super().__init__("wire:aws:EmailSending", name, None, opts)
        env = cfg.environment
        self.domain = cfg.domain
        self.sender = cfg.email.sender
        self.mail_from_domain = f"{cfg.email.ses_settings.mail_from_subdomain}.{cfg.domain}"
        self.route53_records = []
        self._cfg = cfg

        config_set_name = naming.ses_configuration_set(env)
        set_args: dict[str, Any] = dict(
            configuration_set_name=config_set_name,
            reputation_options=aws.sesv2.ConfigurationSetReputationOptionsArgs(reputation_metrics_enabled=True),
            # Stop mailing addresses that bounced or complained, account-wide list.
            suppression_options=aws.sesv2.ConfigurationSetSuppressionOptionsArgs(
                suppressed_reasons=["BOUNCE", "COMPLAINT"]
            ),
            tags=tags(COMPONENT),
        )
        self.configuration_set = aws.sesv2.ConfigurationSet(
            config_set_name, **set_args, opts=child(self, **adopted(cfg, "sesConfigurationSet", set_args))
        )
        identity_args: dict[str, Any] = dict(
            email_identity=cfg.domain,
            configuration_set_name=self.configuration_set.configuration_set_name,
            dkim_signing_attributes=aws.sesv2.EmailIdentityDkimSigningAttributesArgs(
                next_signing_key_length="RSA_2048_BIT"
            ),
            tags=tags(COMPONENT),
        )
        self.identity = aws.sesv2.EmailIdentity(
            cfg.domain, **identity_args, opts=child(self, **adopted(cfg, "sesIdentity", identity_args))
        )
        # Built from names, not taken from the resources: brig's IAM policy needs these ARNs, and the
        # wire-server release waits for that policy; it must never wait for SES resources.
        ses_arn = pulumi.Output.concat("arn:", partition, ":ses:", cfg.region, ":", account_id, ":")
        self.identity_arn = pulumi.Output.concat(ses_arn, "identity/", cfg.domain)
        self.configuration_set_arn = pulumi.Output.concat(ses_arn, "configuration-set/", config_set_name)
        aws.sesv2.EmailIdentityMailFromAttributes(
            f"{cfg.domain}-mail-from",
            email_identity=self.identity.email_identity,
            mail_from_domain=self.mail_from_domain,
            behavior_on_mx_failure="USE_DEFAULT_VALUE",
            opts=child(self),
        )

        if topic_key is None:
            raise ValueError("SES mode needs the key of the feedback topic")
        topic_name = naming.email_events_topic(env)
        topic_args: dict[str, Any] = dict(name=topic_name, kms_master_key_id=topic_key, tags=tags(COMPONENT))
        self.topic = aws.sns.Topic(topic_name, **topic_args, opts=child(self, **adopted(cfg, "emailTopic", topic_args)))
        self.queue_name = naming.brig_email_queue(env)
        self.queue = EncryptedQueue(self.queue_name, cfg, component=COMPONENT, role="email", opts=child(self))
        self.queue.subscribe_raw(self.topic)

        # On the domain identity, so every address @domain reports feedback (not only the sender).
        notifications = [
            aws.ses.IdentityNotificationTopic(
                f"{cfg.domain}-{kind.lower()}",
                identity=self.identity.email_identity,
                notification_type=kind,
                topic_arn=self.topic.arn,
                include_original_headers=False,
                opts=child(self),
            )
            for kind in ("Bounce", "Complaint")
        ]
        # Feedback goes to the queue only; SES allows this once both notification topics are set.
        aws.sesv2.EmailIdentityFeedbackAttributes(
            f"{cfg.domain}-feedback",
            email_identity=self.identity.email_identity,
            email_forwarding_enabled=False,
            opts=child(self, depends_on=notifications),
        )

        tokens = self.identity.dkim_signing_attributes.apply(lambda attrs: list(attrs.tokens or []))
        fixed = static_records(cfg)
        self.dns_records = tokens.apply(
            lambda found: [record.as_dict() for record in dkim_records(cfg.domain, found) + fixed]
        )
        if cfg.dns is not None:
            zone_id = cfg.dns.zone_id
            for record in fixed:
                self._record(zone_id, record_resource_name(record), record.name, record.type, record.values)
            # Registered up front, not inside an apply over the tokens: a preview (tokens unknown) then
            # shows the same resources `up` creates, and `--plan` holds.
            for index in range(DKIM_TOKEN_COUNT):
                self._dkim_record(zone_id, index, tokens)

        self.register_outputs(
            {
                "identityArn": self.identity_arn,
                "sender": self.sender,
                "queueName": self.queue_name,
                "queueUrl": self.queue.url,
                "topicArn": self.topic.arn,
                "dnsRecords": self.dns_records,
            }
        )

    def _record(
        self,
        zone_id: str,
        resource_name: str,
        name: pulumi.Input[str],
        record_type: str,
        values: pulumi.Input[list[str]],
        *,
        overwrite: bool = False,
        **opts: Any,
    ) -> aws.route53.Record:
        args: dict[str, Any] = dict(
            zone_id=zone_id,
            name=name,
            type=record_type,
            ttl=RECORD_TTL,
            records=values,
            # An existing record (e.g. a DMARC policy) is never replaced silently: adopt it instead.
            allow_overwrite=overwrite,
        )
        adopt = adopted_record(self._cfg, zone_id, name, record_type, args)
        created = aws.route53.Record(resource_name, **args, opts=child(self, **opts, **adopt))
        self.route53_records.append(created)
        return created

    def _dkim_record(self, zone_id: str, index: int, tokens: pulumi.Output[list[str]]) -> aws.route53.Record:
        # The API contract of Easy DKIM: exactly DKIM_TOKEN_COUNT tokens.
        record = tokens.apply(lambda found: dkim_record(self.domain, found[index]))
        # No alias for the records of stacks from before 2026-11, named after their token: an alias built from
        # the tokens is unknown whenever they are (an update of the identity), and the SDK drops an unknown alias,
        # so that preview would show a delete and a create `up` does not do. Their rename is a one-time
        # `pulumi state rename` (docs/operations.md, "DNS records").
        return self._record(
            zone_id,
            dkim_resource_name(index),
            record.apply(lambda found: found.name),
            "CNAME",
            record.apply(lambda found: found.values),
            depends_on=[self.identity],
            # An adopted identity keeps its tokens, so its DKIM records exist already, with exactly these names
            # and values (Wire's Terraform made them): they are taken over, which changes nothing in DNS.
            overwrite=self._cfg.adopt.import_id("sesIdentity") is not None,
        )
