"""Issue 30: each check of what the stack added later fails on its fault, on moto, naming the service and the fix.

The correct state of the same stack passes (test_verify_moto.py::test_correct_stack_passes, and the dev example in
test_verify_dev_stack.py); here one thing at a time is broken as an operator or an accident would break it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components import naming
from components.aws import policies
from components.aws.alarm_specs import alarm_specs, alarm_topic
from components.aws.ses_records import dkim_records
from tests.verify import verify_stack as vs
from tests.verify.stack_runs import Stack, failures, make_stack, only_failure

pytestmark = pytest.mark.moto
OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
IRSA = {"mode": "irsa", "oidcProviderArn": OIDC}
ADDONS = {"awsLoadBalancerController": {"install": True, "clusterName": "wire-test"}}


def _alarm_topic_arn(stack: Stack) -> str:
    return f"arn:aws:sns:{vs.REGION}:{vs.ACCOUNT}:{alarm_topic(stack.env)}"


def _dlq_alarm(stack: Stack) -> str:
    return f"{naming.dead_letter_queue(naming.gundeck_queue(stack.env))}-messages"


# --- alarms and their topic ---------------------------------------------------------------------------------------


def test_a_deleted_alarm(stack: Stack) -> None:
    stack.client("cloudwatch").delete_alarms(AlarmNames=[_dlq_alarm(stack)])
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["check"] == "alarms" and failure["resource"] == _dlq_alarm(stack)
    assert failure["message"].startswith(
        "missing: nobody learns that gundeck fails (Messages in dev-gundeck-events-dlq"
    )
    assert failure["message"].endswith("pulumi up")


def test_an_alarm_with_its_actions_disabled_or_stripped(stack: Stack) -> None:
    cloudwatch, name = stack.client("cloudwatch"), _dlq_alarm(stack)
    cloudwatch.disable_alarm_actions(AlarmNames=[name])
    failure = only_failure(stack.verify()[1])
    assert failure["resource"] == name
    assert f"notifies nobody; aws cloudwatch enable-alarm-actions --alarm-names {name}" in failure["message"]

    cloudwatch.enable_alarm_actions(AlarmNames=[name])
    (spec,) = [spec for spec in alarm_specs(stack.created.cfg) if spec.name == name]
    vs.put_alarm(stack.url, vs.REGION, spec, None)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == name
    assert failure["message"] == (
        f"does not notify the alarm topic {_alarm_topic_arn(stack)} when gundeck fails: pulumi up restores its actions"
    )


def test_the_alarm_topic_unsubscribed_or_gone(stack: Stack) -> None:
    sns, topic = stack.client("sns"), _alarm_topic_arn(stack)
    (mail,) = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    sns.unsubscribe(SubscriptionArn=mail["SubscriptionArn"])
    failure = only_failure(stack.verify()[1])
    assert failure["resource"] == topic
    assert failure["message"].startswith(
        "ops@wire.test (alarms.email) is not subscribed: no alarm reaches it; pulumi up"
    )

    sns.delete_topic(TopicArn=topic)
    code, results = stack.verify()
    found = {r["check"]: r["message"] for r in failures(results)}
    assert code == 1 and set(found) == {"alarms", "alarm topic key"}
    assert "the alarm topic does not exist: no alarm reaches anyone; pulumi up" in found["alarms"]
    assert f"the topic {topic} does not exist" in found["alarm topic key"]


# --- the key of the topics AWS services publish to -----------------------------------------------------------------


def test_the_topic_key_disabled_or_scheduled_for_deletion(stack: Stack) -> None:
    kms, key = stack.client("kms"), stack.created.topic_key
    assert key
    key = key.rsplit("/", 1)[-1]
    kms.disable_key(KeyId=key)
    code, results = stack.verify()
    found = {r["check"]: r["message"] for r in failures(results)}
    # One key serves the three topics: each publisher's loss is named.
    assert code == 1 and set(found) == {"brig feedback key", "gundeck events key", "alarm topic key"}
    assert found["brig feedback key"].startswith("Disabled: brig's bounce and complaint feedback are dropped")
    assert found["gundeck events key"].startswith("Disabled: gundeck's endpoint events are dropped")
    assert all(f"aws kms enable-key --key-id {key}" in m for m in found.values())

    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    found = {r["check"]: r["message"] for r in failures(stack.verify()[1])}
    assert len(found) == 3
    assert all(m.startswith("scheduled for deletion") and "aws kms cancel-key-deletion" in m for m in found.values())


@pytest.mark.parametrize(("sid", "check", "use"), [
    ("SesPublishes", "brig feedback key", "brig's bounce and complaint feedback"),
    ("SnsPlatformApplicationsPublish", "gundeck events key", "gundeck's endpoint events"),
    ("CloudWatchPublishes", "alarm topic key", "the alarms' notifications"),
])  # fmt: skip
def test_the_topic_key_no_longer_granting_a_publisher(stack: Stack, sid: str, check: str, use: str) -> None:
    kms, key = stack.client("kms"), stack.created.topic_key
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    policy["Statement"] = [statement for statement in policy["Statement"] if statement.get("Sid") != sid]
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(policy))
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["check"] == check
    assert (
        "the key policy does not let" in failure["message"] and "kms:Decrypt, kms:GenerateDataKey" in failure["message"]
    )
    assert f"{use} are dropped without an error; pulumi up restores the key policy" in failure["message"]


def test_a_topic_on_the_aws_managed_key(stack: Stack) -> None:
    topic = f"arn:aws:sns:{vs.REGION}:{vs.ACCOUNT}:{naming.email_events_topic(stack.env)}"
    stack.client("sns").set_topic_attributes(
        TopicArn=topic, AttributeName="KmsMasterKeyId", AttributeValue="alias/aws/sns"
    )
    failure = only_failure(stack.verify()[1])
    assert failure["check"] == "brig feedback key"
    assert failure["message"].startswith("encrypted with alias/aws/sns, whose policy cannot admit ses.amazonaws.com")


# --- IAM: IRSA roles of the services and add-ons, static-key users -------------------------------------------------


@pytest.fixture
def irsa_stack(moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Stack:
    return make_stack(moto, tmp_path, capsys, dns=False, serviceCredentials=IRSA, addons=ADDONS)


def test_irsa_roles_of_services_and_add_ons_pass(irsa_stack: Stack) -> None:
    code, results = irsa_stack.verify()
    assert failures(results) == [] and code == 0
    identities = {r["check"] for r in results if r["check"].endswith(" identity")}
    assert identities == {f"{owner} identity" for owner in ("brig", "cargohold", "galley", "gundeck")} | {
        "add-on aws-load-balancer-controller identity"
    }


@pytest.mark.parametrize(
    ("changed", "value"),
    [
        ("provider", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHERCLUSTER"),
        ("subject", "system:serviceaccount:wire:cargohold"),
        ("subject", "system:serviceaccount:default:brig"),
    ],
)
def test_an_irsa_role_trusting_another_provider_service_account_or_namespace(
    irsa_stack: Stack, changed: str, value: str
) -> None:
    role = naming.service_role("dev", "brig")
    issuer = OIDC.split("oidc-provider/", 1)[1]
    trust = policies.irsa_trust_policy(
        oidc_provider_arn=value if changed == "provider" else OIDC,
        issuer=issuer,
        namespace="wire",
        service_account="brig",
    )
    if changed == "subject":
        trust["Statement"][0]["Condition"]["StringEquals"][f"{issuer}:sub"] = value
    irsa_stack.client("iam").update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(trust))
    code, results = irsa_stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["check"] == "brig identity" and failure["resource"] == role
    assert failure["message"].startswith(
        f"the trust policy is not the program's: it trusts {trust['Statement'][0]['Principal']['Federated']}"
    )
    assert "brig needs exactly" in failure["message"] and "system:serviceaccount:wire:brig" in failure["message"]
    assert failure["message"].endswith("pulumi up restores it")


def test_a_detached_role_policy_or_a_deleted_role(irsa_stack: Stack) -> None:
    iam = irsa_stack.client("iam")
    addon = naming.service_role("dev", "aws-load-balancer-controller")
    iam.delete_role_policy(RoleName=addon, PolicyName=addon)
    failure = only_failure(irsa_stack.verify()[1])
    assert failure["check"] == "add-on aws-load-balancer-controller identity" and failure["resource"] == addon
    assert failure["message"] == (
        f"inline policy {addon} missing: every AWS call of add-on aws-load-balancer-controller is denied; pulumi up"
    )

    role = naming.service_role("dev", "galley")
    iam.delete_role_policy(RoleName=role, PolicyName=role)
    iam.delete_role(RoleName=role)
    found = {r["resource"]: r["message"] for r in failures(irsa_stack.verify()[1])}
    assert found[role] == "role missing: galley's pods get no AWS credentials; pulumi up"


def test_a_static_key_user_without_its_policy_or_key(stack: Stack) -> None:
    iam, user = stack.client("iam"), naming.service_user("dev", "cargohold")
    document = iam.get_user_policy(UserName=user, PolicyName=user)["PolicyDocument"]
    iam.delete_user_policy(UserName=user, PolicyName=user)
    failure = only_failure(stack.verify()[1])
    assert failure["check"] == "cargohold identity" and "every AWS call of cargohold is denied" in failure["message"]

    iam.put_user_policy(UserName=user, PolicyName=user, PolicyDocument=json.dumps(document))
    key = stack.created.access_key_ids["cargohold"]
    iam.update_access_key(UserName=user, AccessKeyId=key, Status="Inactive")
    failure = only_failure(stack.verify()[1])
    assert failure["resource"] == user and "none is active: cargohold is refused; pulumi up" in failure["message"]


# --- SES records in Route53, MAIL FROM and the configuration set --------------------------------------------------


def _records(stack: Stack) -> dict[tuple[str, str], dict]:
    zone = stack.created.cfg.dns.zone_id  # type: ignore[union-attr]
    sets = stack.client("route53").list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    return {(s["Name"].rstrip("."), s["Type"]): s for s in sets}


def _delete(stack: Stack, *record_sets: dict) -> None:
    zone = stack.created.cfg.dns.zone_id  # type: ignore[union-attr]
    changes = [{"Action": "DELETE", "ResourceRecordSet": record_set} for record_set in record_sets]
    stack.client("route53").change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})


def test_dkim_records_deleted_or_of_old_tokens(dns_stack: Stack) -> None:
    stack = dns_stack
    tokens = stack.client("ses").get_identity_dkim_attributes(Identities=["wire.test"])["DkimAttributes"]["wire.test"]
    current = dkim_records("wire.test", tokens["DkimTokens"])
    records = _records(stack)
    _delete(stack, records[(current[0].name, "CNAME")])
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == current[0].name
    assert "no CNAME record in zone" in failure["message"]
    assert "brig's mail is not DKIM-signed with the identity's current key" in failure["message"]

    # The identity's key was rotated (new tokens): the records of the old tokens no longer sign anything.
    _delete(stack, *(records[(record.name, "CNAME")] for record in current[1:]))
    old = dkim_records("wire.test", ["oldtoken1", "oldtoken2", "oldtoken3"])
    vs.client(stack.url, "route53").change_resource_record_sets(
        HostedZoneId=stack.created.cfg.dns.zone_id,  # type: ignore[union-attr]
        ChangeBatch={"Changes": [vs._change(r.name, "CNAME", r.values[0]) for r in old]},
    )
    found = {r["resource"] for r in failures(stack.verify()[1])}
    assert found == {record.name for record in current}


def test_the_mail_from_mx_record_gone(dns_stack: Stack) -> None:
    records = _records(dns_stack)
    _delete(dns_stack, records[("email.wire.test", "MX")])
    failure = only_failure(dns_stack.verify()[1])
    # The SPF TXT record of the same name is still there: the MX is named as the one missing.
    assert failure["resource"] == "email.wire.test" and "has TXT records, expected MX" in failure["message"]
    assert "SES's MAIL FROM needs it" in failure["message"] and failure["message"].endswith("pulumi up")

    _delete(dns_stack, records[("email.wire.test", "TXT")])
    messages = [r["message"] for r in failures(dns_stack.verify()[1])]
    assert any("no TXT record" in m and "SPF of the MAIL FROM domain" in m for m in messages)


def test_mail_from_domain_and_configuration_set(stack: Stack) -> None:
    ses = stack.client("ses")
    ses.set_identity_mail_from_domain(Identity="wire.test", MailFromDomain="bounce.wire.test")
    failure = only_failure(stack.verify()[1])
    assert failure["check"] == "brig ses" and failure["resource"] == "wire.test"
    assert failure["message"].startswith("MAIL FROM domain is bounce.wire.test, the program sets email.wire.test")

    ses.set_identity_mail_from_domain(Identity="wire.test", MailFromDomain="email.wire.test")
    stack.client("sesv2").delete_configuration_set(ConfigurationSetName=naming.ses_configuration_set("dev"))
    failure = only_failure(stack.verify()[1])
    assert failure["resource"] == "dev-wire-server" or failure["resource"] == naming.ses_configuration_set("dev")
    assert failure["message"].startswith("configuration set missing: brig's mail keeps going to addresses that bounced")


# --- bucket rules, queue retention, table protection ---------------------------------------------------------------


def test_bucket_cors_or_lifecycle_removed_or_changed(stack: Stack) -> None:
    s3, bucket = stack.client("s3"), stack.created.bucket
    s3.delete_bucket_cors(Bucket=bucket)
    failure = only_failure(stack.verify()[1])
    assert failure["check"] == "cargohold bucket" and failure["resource"] == bucket
    assert failure["message"].startswith("no CORS rules: https://webapp.wire.test, https://teams.wire.test")

    vs.complete_bucket(stack.url, bucket, stack.created.cfg)
    s3.delete_bucket_lifecycle(Bucket=bucket)
    failure = only_failure(stack.verify()[1])
    assert failure["message"].startswith("no lifecycle rules: volatile and expiring assets are never deleted")

    rules = [{"ID": "expire-volatile", "Status": "Enabled", "Filter": {"Prefix": "v3/"}, "Expiration": {"Days": 1}}]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    failure = only_failure(stack.verify()[1])
    assert failure["message"].startswith("lifecycle differs: rule abort-incomplete-multipart is null, the program's")
    assert "rule expire-volatile is " in failure["message"]
    assert failure["message"].endswith("pulumi up restores it")


def test_bucket_ownership_and_tls_policy(stack: Stack) -> None:
    s3, bucket = stack.client("s3"), stack.created.bucket
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    s3.delete_bucket_policy(Bucket=bucket)
    code, results = stack.verify()
    found = sorted(r["message"] for r in failures(results))
    assert code == 1 and len(found) == 2
    assert found[0].startswith("object ownership unset: ACLs are in force again")
    assert found[1].startswith("the bucket policy does not deny requests without TLS")


def test_a_dead_letter_queue_keeping_messages_shorter_than_its_source(stack: Stack) -> None:
    queue = naming.brig_internal_queue(stack.env)
    sqs = stack.client("sqs")
    dlq = sqs.get_queue_url(QueueName=naming.dead_letter_queue(queue))["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"MessageRetentionPeriod": "3600"})
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["check"] == "brig internal queue" and failure["resource"] == queue
    assert failure["message"].startswith(
        f"its dead-letter queue {naming.dead_letter_queue(queue)} keeps messages 3600 s, not longer than the queue"
    )
    assert failure["message"].endswith("pulumi up sets 1209600 s")


def test_prekey_table_without_point_in_time_recovery(stack: Stack) -> None:
    table = naming.prekey_table(stack.env)
    stack.client("dynamodb").update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    failure = only_failure(stack.verify()[1])
    assert failure["check"] == "brig prekeys" and failure["resource"] == table
    assert failure["message"].startswith("point-in-time recovery DISABLED: brig's prekeys cannot be restored")
    assert "aws dynamodb update-continuous-backups" in failure["message"]


def test_prekey_table_without_deletion_protection_in_production(moto: str, tmp_path: Path, capsys) -> None:
    stack = make_stack(moto, tmp_path, capsys, dns=False, production=True)
    table = naming.prekey_table(stack.env)
    assert failures(stack.verify()[1]) == []
    stack.client("dynamodb").update_table(TableName=table, DeletionProtectionEnabled=False)
    failure = only_failure(stack.verify()[1])
    assert failure["resource"] == table and failure["message"].startswith("deletion protection off in production")


def test_a_dmarc_record_of_another_policy(dns_stack: Stack) -> None:
    """TXT values are compared as written: `v=DMARC1` is case-sensitive, and the policy is the configured one."""
    records = _records(dns_stack)
    dmarc = records[("_dmarc.wire.test", "TXT")]
    _delete(dns_stack, dmarc)
    written = dmarc["ResourceRecords"][0]["Value"]
    vs.client(dns_stack.url, "route53").change_resource_record_sets(
        HostedZoneId=dns_stack.created.cfg.dns.zone_id,  # type: ignore[union-attr]
        ChangeBatch={"Changes": [vs._change("_dmarc.wire.test", "TXT", written.replace("DMARC1", "dmarc1"))]},
    )
    failure = only_failure(dns_stack.verify()[1])
    assert failure["resource"] == "_dmarc.wire.test" and failure["message"].startswith("points to v=dmarc1;")
    assert "(SPF of the MAIL FROM domain, or the DMARC policy)" in failure["message"]


def test_a_role_policy_edited_by_hand(irsa_stack: Stack) -> None:
    role = naming.service_role("dev", "gundeck")
    iam = irsa_stack.client("iam")
    document = iam.get_role_policy(RoleName=role, PolicyName=role)["PolicyDocument"]
    document["Statement"] = [s for s in document["Statement"] if s.get("Sid") != "PublishToEndpoints"]
    iam.put_role_policy(RoleName=role, PolicyName=role, PolicyDocument=json.dumps(document))
    failure = only_failure(irsa_stack.verify()[1])
    assert failure["check"] == "gundeck identity" and failure["resource"] == role
    assert failure["message"] == (
        f"inline policy {role} is not the program's (lacks sns:Publish): calls of gundeck may be denied, or more "
        "allowed than it needs; pulumi up restores it"
    )
