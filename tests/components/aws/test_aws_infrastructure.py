"""The wiring: provider and tags, parentage, release dependencies, exports, secrecy, determinism."""

from __future__ import annotations

import json

import pulumi

from components.aws.infrastructure import AwsInfrastructure, create_aws
from plan.mocks import run_program
from plan.registrations import Secret, contains_secret
from tests.components.aws.aws_support import REGION, config, dev_config, evaluate, push_apps, run

PROVIDER = "pulumi:providers:aws"
ALL = {"prekeyTable": True, "userJournal": True, "teamEventsJournal": True}


def full_config():
    return config(
        features=ALL,
        push=push_apps(("com.wire.ent", "APNS"), ("wire", "GCM")),
        dns={
            "zoneId": "Z0123456789EXAMPLE",
            "target": {"hostname": "lb.example.net"},
            "hosts": ["webapp", "federator"],
        },
        assets={"cloudFront": {"enabled": True, "keyPairId": "K2JCJMDEHXQW5F"}},
    )


def test_one_explicit_provider_with_default_tags() -> None:
    evaluation = evaluate(config())
    provider = evaluation.one(PROVIDER)
    assert provider.inputs["region"] == REGION
    # Provider inputs reach the engine JSON-encoded.
    assert json.loads(provider.inputs["defaultTags"]) == {
        "tags": {"Environment": "prod", "Component": "wire-server", "ManagedBy": "pulumi"}
    }
    for resource in evaluation.resources:
        if resource.custom and resource.type.startswith("aws:"):
            assert resource.provider and resource.provider.startswith(provider.urn), resource.name


def test_every_resource_sits_under_a_wire_component() -> None:
    evaluation = evaluate(full_config())
    for resource in evaluation.resources:
        if resource.type.startswith("aws:"):
            assert resource.parent, resource.name
            assert evaluation.by_urn(resource.parent).type.startswith("wire:aws:"), resource.name
    components = {r.type for r in evaluation.resources if r.type.startswith("wire:aws:")}
    assert components == {
        "wire:aws:PushNotifications",
        "wire:aws:EmailSending",
        "wire:aws:EventTopicsKey",
        "wire:aws:BrigStorage",
        "wire:aws:TeamEventsJournal",
        "wire:aws:AssetStorage",
        "wire:aws:DnsRecords",
        "wire:aws:ServiceIdentity",
        "wire:aws:EncryptedQueue",
        "wire:aws:Alarms",
    }


def test_component_tags_on_taggable_resources() -> None:
    evaluation = evaluate(full_config())
    assert evaluation.one("aws:dynamodb/table:Table").inputs["tags"] == {"Component": "brig"}
    assert evaluation.one("aws:s3/bucket:Bucket").inputs["tags"] == {"Component": "cargohold"}
    assert evaluation.one("aws:iam/role:Role", "prod-galley").inputs["tags"] == {"Component": "galley"}
    queue = next(q for q in evaluation.find("aws:sqs/queue:Queue") if q.inputs["name"] == "prod-gundeck-events")
    assert queue.inputs["tags"] == {"Component": "gundeck"}


def test_stack_provider_settings_reach_the_explicit_provider() -> None:
    settings = {
        "region": "eu-west-1",
        "skipCredentialsValidation": True,
        "s3UsePathStyle": True,
        "accessKey": "test",
        "secretKey": pulumi.Output.secret("test-secret"),
        "endpoints": [{"sqs": "http://localhost:4566", "s3": "http://localhost:4566"}],
    }
    cfg = dev_config()
    evaluation = run_program(lambda: create_aws(cfg, settings))
    provider = evaluation.one(PROVIDER).inputs
    assert provider["skipCredentialsValidation"] == "true"
    assert provider["s3UsePathStyle"] == "true"
    assert json.loads(provider["endpoints"]) == [{"sqs": "http://localhost:4566", "s3": "http://localhost:4566"}]
    # The SDK marks both halves of the key secret.
    assert provider["accessKey"] == Secret("test")
    assert provider["secretKey"] == Secret("test-secret")
    # The region comes from the validated config, not a second reading of the stack.
    assert provider["region"] == REGION


def test_release_dependencies_are_identities_queues_table_and_bucket() -> None:
    holder: dict[str, AwsInfrastructure] = {}
    evaluation = run(lambda: holder.setdefault("infra", create_aws(full_config())))
    infra = holder["infra"]
    urns = set()

    async def collect() -> None:
        for resource in infra.release_dependencies:
            urns.add(await resource.urn.future())

    from pulumi.runtime.sync_await import _sync_await

    _sync_await(collect())
    types = {evaluation.by_urn(urn).type for urn in urns}
    assert types == {
        "aws:sqs/queue:Queue",
        "aws:dynamodb/table:Table",
        "aws:s3/bucket:Bucket",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
    }
    queue_names = {
        evaluation.by_urn(u).inputs["name"] for u in urns if evaluation.by_urn(u).type == "aws:sqs/queue:Queue"
    }
    assert len(queue_names) == 10
    assert infra.email is not None


def test_exports_and_secrecy() -> None:
    evaluation = evaluate(full_config())
    outputs = evaluation.stack_outputs
    for name in (
        "awsAccountId",
        "awsRegion",
        "gundeckQueueName",
        "gundeckQueueUrl",
        "pushArnEnv",
        "pushEventsTopicArn",
        "pushPlatformApplicationArns",
        "brigInternalQueueName",
        "brigInternalQueueUrl",
        "sesQueueName",
        "sesFeedbackTopicArn",
        "sesIdentity",
        "sesSender",
        "prekeyTableName",
        "userJournalQueueName",
        "teamEventsQueueName",
        "assetsBucketName",
        "assetsBucketArn",
        "cloudFrontDomain",
        "serviceRoleArns",
        "endpoints",
        "dnsRecords",
    ):
        assert name in outputs, name
    assert outputs["endpoints"] == {
        "sqs": f"https://sqs.{REGION}.amazonaws.com",
        "sns": f"https://sns.{REGION}.amazonaws.com",
        "ses": f"https://email.{REGION}.amazonaws.com",
        "dynamodb": f"https://dynamodb.{REGION}.amazonaws.com",
        "s3": f"https://s3.{REGION}.amazonaws.com",
    }
    assert evaluation.secret_outputs == set()
    # Platform credentials are secret inputs, and nothing else the stack registers is.
    secret_inputs = {
        (r.type, key) for r in evaluation.resources for key, value in r.inputs.items() if contains_secret(value)
    }
    assert secret_inputs == {
        ("aws:sns/platformApplication:PlatformApplication", "platformCredential"),
        ("aws:sns/platformApplication:PlatformApplication", "platformPrincipal"),
    }


def test_record_is_secret_when_it_holds_keys() -> None:
    def program() -> pulumi.Output:
        infra = create_aws(dev_config())
        pulumi.export("record", infra.record)
        return infra.record

    evaluation = run(program)
    assert "record" in evaluation.secret_outputs
    irsa = run(lambda: pulumi.export("record", create_aws(config()).record))
    assert "record" not in irsa.secret_outputs


def test_determinism() -> None:
    def snapshot():
        evaluation = evaluate(full_config())
        # Registration order follows async resolution; the set of registrations is what must not change.
        resources = sorted(
            (r.urn, json.dumps(r.inputs, sort_keys=True, default=repr), r.protect, r.retain_on_delete, r.parent)
            for r in evaluation.resources
        )
        return resources, evaluation.stack_outputs

    assert snapshot() == snapshot()


def test_preview_registers_everything_known_before_apply() -> None:
    evaluation = evaluate(full_config(), preview=True)
    assert evaluation.find("aws:sqs/queue:Queue")
    assert evaluation.find("aws:iam/role:Role")
