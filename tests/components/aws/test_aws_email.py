"""SES: domain identity, records derived from what SES returns, feedback wiring, no verification waiter."""

from __future__ import annotations

import pytest

from components.aws.email import dkim_records
from plan import mocks
from tests.components.aws.aws_support import QUEUE, RECORD, REGION, TOPIC, config, dev_config, evaluate

IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity"
NOTIFICATION = "aws:ses/identityNotificationTopic:IdentityNotificationTopic"
DNS = {"zoneId": "Z0123456789EXAMPLE", "target": {"hostname": "lb.example.net"}}


def ses_records(evaluation):
    return {(r.inputs["name"], r.inputs["type"]): r for r in evaluation.find(RECORD) if r.name.startswith("ses-")}


def test_domain_identity_with_dkim_configuration_set_and_mail_from() -> None:
    evaluation = evaluate(config(dns=DNS))
    identity = evaluation.one(IDENTITY)
    assert identity.inputs["emailIdentity"] == "example.com"
    assert identity.inputs["configurationSetName"] == "prod-brig"
    assert identity.inputs["dkimSigningAttributes"]["nextSigningKeyLength"] == "RSA_2048_BIT"
    config_set = evaluation.one("aws:sesv2/configurationSet:ConfigurationSet")
    assert config_set.inputs["suppressionOptions"]["suppressedReasons"] == ["BOUNCE", "COMPLAINT"]
    mail_from = evaluation.one("aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes")
    assert mail_from.inputs["mailFromDomain"] == "email.example.com"
    # Nothing ever waits for verification.
    assert not evaluation.find("aws:ses/domainIdentityVerification:DomainIdentityVerification")
    assert not evaluation.find("aws:ses/emailIdentity:EmailIdentity")


def test_dns_records_in_the_zone_never_overwrite() -> None:
    cfg = config(
        dns=DNS,
        email={
            "mode": "ses",
            "sender": "no-reply@example.com",
            "ses": {
                "mailFromSubdomain": "bounces",
                "dmarc": {"policy": "reject", "percent": 50, "reportAddress": "d@example.com"},
            },
        },
    )
    evaluation = evaluate(cfg)
    records = ses_records(evaluation)
    tokens = evaluation.one(IDENTITY).outputs["dkimSigningAttributes"]["tokens"]
    assert len(tokens) == 3
    for token in tokens:
        record = records[(f"{token}._domainkey.example.com", "CNAME")]
        assert record.inputs["records"] == [f"{token}.dkim.amazonses.com"]
    assert records[("bounces.example.com", "MX")].inputs["records"] == [f"10 feedback-smtp.{REGION}.amazonses.com"]
    assert records[("bounces.example.com", "TXT")].inputs["records"] == ["v=spf1 include:amazonses.com -all"]
    dmarc = records[("_dmarc.example.com", "TXT")]
    assert dmarc.inputs["records"] == ["v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com"]
    assert len(records) == 3 + 3
    for record in records.values():
        assert record.inputs["zoneId"] == "Z0123456789EXAMPLE"
        assert record.inputs["allowOverwrite"] is False
    assert "sesDnsRecords" not in evaluation.stack_outputs


@pytest.mark.parametrize("preview", [False, True])
def test_dkim_records_are_registered_up_front_and_wait_for_the_identity(preview: bool) -> None:
    """Three records named before SES answers: a first preview (tokens unknown) shows them too."""
    evaluation = evaluate(config(dns=DNS), preview=preview)
    identity = evaluation.one(IDENTITY)
    dkim = sorted((r for r in evaluation.find(RECORD) if r.name.startswith("ses-dkim-")), key=lambda r: r.name)
    assert [r.name for r in dkim] == ["ses-dkim-1", "ses-dkim-2", "ses-dkim-3"]
    for index, record in enumerate(dkim):
        assert identity.urn in record.dependencies
        assert not record.in_apply
        assert record.inputs["type"] == "CNAME"
        if preview:
            assert record.inputs["name"] == mocks.KNOWN_AFTER_APPLY
        else:
            token = identity.outputs["dkimSigningAttributes"]["tokens"][index]
            assert record.inputs["name"] == f"{token}._domainkey.example.com"


def test_without_dns_the_records_are_exported_for_the_operator() -> None:
    evaluation = evaluate(config())
    assert not evaluation.find(RECORD)
    exported = evaluation.stack_outputs["sesDnsRecords"]
    tokens = evaluation.one(IDENTITY).outputs["dkimSigningAttributes"]["tokens"]
    assert [r for r in exported if r["type"] == "CNAME"] == [r.as_dict() for r in dkim_records("example.com", tokens)]
    assert {(r["name"], r["type"]) for r in exported if r["type"] != "CNAME"} == {
        ("email.example.com", "MX"),
        ("email.example.com", "TXT"),
        ("_dmarc.example.com", "TXT"),
    }
    assert evaluation.stack_outputs["sesSender"] == "no-reply@example.com"
    assert evaluation.stack_outputs["sesIdentity"] == "example.com"


def test_bounces_and_complaints_of_the_domain_reach_the_feedback_queue_raw() -> None:
    evaluation = evaluate(config())
    topic = evaluation.one(TOPIC, "prod-brig-email-events")
    notifications = evaluation.find(NOTIFICATION)
    assert sorted(n.inputs["notificationType"] for n in notifications) == ["Bounce", "Complaint"]
    for notification in notifications:
        assert notification.inputs["identity"] == "example.com"
        assert notification.inputs["topicArn"] == topic.outputs["arn"]
    subscription = evaluation.one("aws:sns/topicSubscription:TopicSubscription", "prod-brig-email-events-subscription")
    queue = evaluation.one(QUEUE, "prod-brig-email-events")
    assert subscription.inputs["rawMessageDelivery"] is True
    assert subscription.inputs["endpoint"] == queue.outputs["arn"]
    feedback = evaluation.one("aws:sesv2/emailIdentityFeedbackAttributes:EmailIdentityFeedbackAttributes")
    assert feedback.inputs["emailForwardingEnabled"] is False
    assert {n.urn for n in notifications} <= set(feedback.dependencies)
    assert evaluation.result.ses_queue == "prod-brig-email-events"
    assert evaluation.stack_outputs["sesFeedbackTopicArn"] == topic.outputs["arn"]


def test_smtp_mode_creates_no_ses_resources() -> None:
    evaluation = evaluate(dev_config())
    assert not [r for r in evaluation.resources if r.type.startswith(("aws:ses", "aws:sesv2"))]
    assert not evaluation.find("wire:aws:EmailSending")
    assert "prod-brig-email-events" not in {q.inputs["name"] for q in evaluation.find(QUEUE)}
    assert evaluation.result.ses_queue is None
    assert not {"sesQueueName", "sesDnsRecords", "sesSender"} & set(evaluation.stack_outputs)
