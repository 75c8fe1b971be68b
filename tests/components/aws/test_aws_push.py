"""gundeck's push component in its three modes."""

from __future__ import annotations

import json

from plan.registrations import Secret
from tests.components.aws.aws_support import (
    ACCOUNT,
    CMK,
    QUEUE,
    REGION,
    TOPIC,
    config,
    doc,
    evaluate,
    fcm_service_account,
    names,
    pem,
    push_apps,
)

PLATFORM_APP = "aws:sns/platformApplication:PlatformApplication"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
EXTERNAL = {
    "mode": "external",
    "external": {
        "account": "098765432109",
        "region": "eu-west-1",
        "queueName": "wirecom-gundeck-events",
        "arnEnv": "wirecom",
        "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
        "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
        "awsKeyId": "AKIAWIRE",
        "awsSecretKey": "wire-secret",
    },
}


def create_mode():
    apps = push_apps(("com.wire.ent", "APNS"), ("com.wire.ent", "APNS_VOIP"), ("wire", "GCM"))
    return evaluate(config({"environment": "acme", "push": apps}), dns=False)


def test_create_mode_wires_queue_topic_and_apps() -> None:
    evaluation = create_mode()
    topic = evaluation.one(TOPIC, "acme-gundeck-events")
    # SNS publishes the endpoint events itself: a key it may use, not alias/aws/sns (test_aws_keys.py).
    assert topic.inputs["kmsMasterKeyId"] == evaluation.one("aws:kms/key:Key", "acme-event-topics").outputs["arn"]
    subscription = evaluation.one(SUBSCRIPTION, "acme-gundeck-events-subscription")
    assert subscription.inputs["rawMessageDelivery"] is True
    assert subscription.inputs["protocol"] == "sqs"
    queue = evaluation.one(QUEUE, "acme-gundeck-events")
    assert subscription.inputs["endpoint"] == queue.outputs["arn"]
    assert subscription.inputs["topic"] == topic.outputs["arn"]
    queue_policy = evaluation.one("aws:sqs/queuePolicy:QueuePolicy", "acme-gundeck-events-from-topic")
    policy = doc(queue_policy)
    assert policy["Statement"][0]["Condition"] == {"ArnEquals": {"aws:SourceArn": topic.outputs["arn"]}}
    # The subscription waits for the queue policy.
    assert queue_policy.urn in subscription.dependencies

    apps = evaluation.find(PLATFORM_APP)
    assert sorted((a.inputs["name"], a.inputs["platform"]) for a in apps) == [
        ("acme-com.wire.ent", "APNS"),
        ("acme-com.wire.ent", "APNS_VOIP"),
        ("acme-wire", "GCM"),
    ]
    for app in apps:
        for event in ("Created", "Deleted", "Updated"):
            assert app.inputs[f"eventEndpoint{event}TopicArn"] == topic.outputs["arn"]
        assert app.inputs["eventDeliveryFailureTopicArn"] == topic.outputs["arn"]
        app_name = app.inputs["name"].removeprefix("acme-")
        if app.inputs["platform"] == "GCM":
            assert app.inputs["platformCredential"] == Secret(fcm_service_account(app_name))
            assert "platformPrincipal" not in app.inputs
        else:
            assert app.inputs["platformCredential"] == Secret(pem("PRIVATE KEY", f"key-{app_name}"))
            assert app.inputs["platformPrincipal"] == Secret(pem("CERTIFICATE", f"cert-{app_name}"))
        # Certificate auth and FCM carry no Apple token settings.
        assert "applePlatformTeamId" not in app.inputs and "applePlatformBundleId" not in app.inputs

    outputs = evaluation.stack_outputs
    assert outputs["pushArnEnv"] == "acme"
    assert outputs["gundeckQueueName"] == "acme-gundeck-events"
    assert outputs["pushEventsTopicArn"] == topic.outputs["arn"]
    assert outputs["pushPlatformApplicationArns"] == {
        "APNS/com.wire.ent": f"arn:aws:sns:{REGION}:{ACCOUNT}:app/APNS/acme-com.wire.ent",
        "APNS_VOIP/com.wire.ent": f"arn:aws:sns:{REGION}:{ACCOUNT}:app/APNS_VOIP/acme-com.wire.ent",
        "GCM/wire": f"arn:aws:sns:{REGION}:{ACCOUNT}:app/GCM/acme-wire",
    }
    push = evaluation.result.push
    assert (push.account, push.region, push.arn_env, push.queue_name) == (
        ACCOUNT,
        REGION,
        "acme",
        "acme-gundeck-events",
    )
    assert push.sqs_endpoint == f"https://sqs.{REGION}.amazonaws.com"
    assert push.sns_endpoint == f"https://sns.{REGION}.amazonaws.com"


def test_token_auth_apps_carry_key_id_team_and_bundle() -> None:
    signing_key = pem("PRIVATE KEY", "p8")
    app = {"platform": "APNS_VOIP", "auth": "token", "credential": signing_key, "keyId": "ABC123DEFG"}
    apps = [
        {**app, "name": "com.wire.ent", "teamId": "TEAM123456"},
        {**app, "name": "wireios", "teamId": "TEAM123456", "bundleId": "com.wire.other"},
    ]
    evaluation = evaluate(config({"environment": "acme", "push": {"mode": "create", "apps": apps}}), dns=False)
    found = {a.inputs["name"]: a.inputs for a in evaluation.find(PLATFORM_APP)}
    ent = found["acme-com.wire.ent"]
    assert ent["platformCredential"] == Secret(signing_key)
    # SNS takes the signing key's id as the principal of token auth (the provider keeps it secret).
    assert ent["platformPrincipal"] == Secret("ABC123DEFG")
    assert ent["applePlatformTeamId"] == "TEAM123456"
    assert ent["applePlatformBundleId"] == "com.wire.ent"
    assert found["acme-wireios"]["applePlatformBundleId"] == "com.wire.other"


def test_topic_uses_the_customer_managed_key() -> None:
    cfg = config(push={"mode": "create"}, serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK})
    assert evaluate(cfg, dns=False).one(TOPIC, "prod-gundeck-events").inputs["kmsMasterKeyId"] == CMK


def test_disabled_mode_still_creates_the_queue_but_no_sns() -> None:
    evaluation = evaluate(config(push={"mode": "disabled"}), dns=False)
    assert {"prod-gundeck-events", "prod-gundeck-events-dlq"} <= names(evaluation, QUEUE)
    assert "prod-gundeck-events" not in names(evaluation, TOPIC)
    assert not evaluation.find(PLATFORM_APP)
    assert not [s for s in evaluation.find(SUBSCRIPTION) if "gundeck" in s.name]
    assert "pushEventsTopicArn" not in evaluation.stack_outputs
    assert evaluation.stack_outputs["gundeckQueueUrl"].endswith("/prod-gundeck-events")
    # gundeck keeps a role, limited to its queue.
    policy = doc(evaluation.one("aws:iam/rolePolicy:RolePolicy", "prod-gundeck"))
    assert not any(a.startswith("sns:") for s in policy["Statement"] for a in s["Action"])


def test_external_mode_creates_nothing_and_passes_wires_values_through() -> None:
    evaluation = evaluate(config({"push": EXTERNAL}), dns=False)
    assert not [q for q in evaluation.find(QUEUE) if "gundeck" in q.inputs["name"]]
    assert not [t for t in evaluation.find(TOPIC) if "gundeck" in t.inputs["name"]]
    assert not evaluation.find(PLATFORM_APP)
    # gundeck talks to Wire's account with Wire's key: no role of ours.
    assert not evaluation.find("aws:iam/role:Role", "prod-gundeck")
    push = evaluation.result.push
    assert push.account == "098765432109"
    assert (push.region, push.arn_env, push.queue_name) == ("eu-west-1", "wirecom", "wirecom-gundeck-events")
    assert push.sns_endpoint == "https://sns.eu-west-1.amazonaws.com"
    key = evaluation.result.access_keys["gundeck"]
    assert key.key_id == "AKIAWIRE" and key.secret.get_secret_value() == "wire-secret"
    assert evaluation.stack_outputs["awsAccountId"] == "098765432109"
    assert evaluation.stack_outputs["pushArnEnv"] == "wirecom"
    assert "gundeckQueueUrl" not in evaluation.stack_outputs
    assert json.dumps(evaluation.stack_outputs).count("wire-secret") == 0
