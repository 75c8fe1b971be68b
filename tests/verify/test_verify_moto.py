"""`python -m verify` against a real AWS API (moto_server): a correct stack passes, each fault is named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from components import naming
from components.aws import policies
from tests.verify import verify_stack as vs
from tests.verify.stack_runs import Stack, failures, only_failure
from verify import checks
from verify.cli import main

pytestmark = pytest.mark.moto
ROOT = Path(__file__).resolve().parents[2]


def test_correct_stack_passes(dns_stack: Stack) -> None:
    stack = dns_stack
    code, results = stack.verify()
    assert failures(results) == []
    assert code == 0
    assert all(set(r) == {"check", "resource", "status", "message"} for r in results)
    checked = {result["resource"] for result in results}
    for queue in naming.queues(stack.created.cfg):
        assert queue in checked
    assert {naming.prekey_table(stack.env), stack.created.bucket, "nginz-https.wire.test"} <= checked
    assert naming.federator_srv("wire.test") in checked
    assert set(stack.created.apps) <= checked
    warnings = {r["resource"]: r["message"] for r in results if r["status"] == "warn"}
    # moto's SES quota is the sandbox's 200/day, and moto does not report an identity's notification
    # topics: both are warnings, which do not fail the run.
    assert "sandbox" in warnings.pop("sending quota")
    assert "notifications do not go to" in warnings.pop("wire.test")
    # The program's TLS-only bucket policy cannot be met over the emulator's http (docs/verify.md, "The dev stack").
    assert "object round trip not run" in warnings.pop(stack.created.bucket)
    assert warnings == {}

    # The same run as text: one line per check, then the summary; no secret is printed.
    code = main(["--stack", stack.name, "--stack-dir", str(stack.root)])
    lines = stack.capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(lines) == len(results) + 1
    assert lines[0].startswith("✔ credentials: ")
    assert any(line.startswith("! brig ses: sending quota - ") for line in lines)
    assert lines[-1] == f"{len(results)} checks: 0 failed, 3 warning(s)"
    assert "testing" not in "\n".join(lines)


def test_missing_queue(stack: Stack) -> None:
    vs.delete_queue(stack.url, naming.brig_internal_queue(stack.env))
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == "dev-brig-events-internal"
    assert "not found in region eu-west-1" in failure["message"]


def test_queue_in_another_region(stack: Stack) -> None:
    name = naming.gundeck_queue(stack.env)
    vs.delete_queue(stack.url, name)
    arn = vs.make_queue(stack.url, name, region="us-east-1")
    assert ":us-east-1:" in arn
    code, results = stack.verify()
    found = [r for r in failures(results) if r["resource"] == name]
    assert code == 1
    assert found and "not found in region eu-west-1" in found[0]["message"]


def test_unencrypted_queue(stack: Stack) -> None:
    name = naming.team_events_queue(stack.env)
    sqs = stack.client("sqs")
    queue_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"SqsManagedSseEnabled": "false"})
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == name and "not encrypted" in failure["message"]


def test_missing_dead_letter_queue(stack: Stack) -> None:
    name = naming.user_journal_queue(stack.env)
    vs.delete_queue(stack.url, name)
    vs.make_queue(stack.url, name, dlq=False)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == name and "no dead-letter queue" in failure["message"]
    assert naming.dead_letter_queue(name) in failure["message"]


def test_subscription_without_raw_delivery(stack: Stack) -> None:
    sns = stack.client("sns")
    sns.set_subscription_attributes(
        SubscriptionArn=stack.created.subscriptions["ses"], AttributeName="RawMessageDelivery", AttributeValue="false"
    )
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["check"] == "brig ses feedback"
    assert "dev-brig-email-events" in failure["resource"] and "raw message delivery" in failure["message"]


def test_missing_platform_application(stack: Stack) -> None:
    name = naming.platform_application(stack.env, "wiretest")
    stack.client("sns").delete_platform_application(PlatformApplicationArn=stack.created.apps[name])
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == name and "does not exist" in failure["message"]


def test_public_bucket(stack: Stack) -> None:
    s3 = stack.client("s3")
    block = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": True,
    }
    s3.put_public_access_block(Bucket=stack.created.bucket, PublicAccessBlockConfiguration=block)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == stack.created.bucket and "BlockPublicPolicy false" in failure["message"]

    s3.delete_public_access_block(Bucket=stack.created.bucket)
    code, results = stack.verify()
    assert code == 1
    assert "no public access block" in only_failure(results)["message"]


def test_missing_bucket(stack: Stack) -> None:
    stack.client("s3").delete_bucket(Bucket=stack.created.bucket)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == stack.created.bucket and "bucket not found" in failure["message"]


def test_account_mismatch(stack: Stack, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"awsAccountId": "111122223333"}))
    code, results = stack.verify("--outputs", str(outputs))
    assert code == 1
    # First line: the wrong account; what follows is looked up in the outputs' account and is missing.
    assert results[0]["check"] == "credentials" and results[0]["status"] == "fail"
    assert "account 123456789012 is not 111122223333" in results[0]["message"]


def test_missing_table(stack: Stack) -> None:
    stack.client("dynamodb").delete_table(TableName=naming.prekey_table(stack.env))
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1
    assert failure["resource"] == "dev-brig-prekeys" and "table not found" in failure["message"]


def test_unverified_ses_identity(stack: Stack) -> None:
    # moto marks every identity it knows as verified: an identity SES does not know is the fault it can show.
    stack.client("ses").delete_identity(Identity="wire.test")
    code, results = stack.verify()
    found = failures(results)
    assert code == 1
    assert {r["resource"] for r in found} == {"wire.test"}
    messages = " ".join(r["message"] for r in found)
    assert "not an SES identity" in messages and "DKIM" in messages


def test_missing_and_wrong_dns_records(dns_stack: Stack) -> None:
    stack = dns_stack
    zone = stack.created.cfg.dns.zone_id  # type: ignore[union-attr]
    route53 = stack.client("route53")
    changes = [
        vs._change("webapp.wire.test", "CNAME", vs.LB, "DELETE"),
        vs._change("teams.wire.test", "CNAME", vs.LB, "DELETE"),
        vs._change("teams.wire.test", "CNAME", "elsewhere.example.net"),
    ]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})
    code, results = stack.verify()
    found = {r["resource"]: r["message"] for r in failures(results)}
    assert code == 1
    assert set(found) == {"webapp.wire.test", "teams.wire.test"}
    assert "no CNAME record" in found["webapp.wire.test"]
    assert "points to elsewhere.example.net, expected lb.example.net" in found["teams.wire.test"]


def test_outputs_of_this_stack_pass_and_another_stacks_are_refused(stack: Stack, tmp_path: Path) -> None:
    """The outputs name what was created; outputs that contradict the stack file stop verify before AWS."""
    outputs = tmp_path / "outputs.json"
    arns = {
        "GCM/wiretest": stack.created.apps["dev-wiretest"],
        "APNS/com.wire.test": stack.created.apps["dev-com.wire.test"],
    }
    mine = {
        "awsAccountId": "123456789012",
        "awsRegion": vs.REGION,
        "assetsBucketName": stack.created.bucket,
        "pushPlatformApplicationArns": arns,
    }
    outputs.write_text(json.dumps(mine))
    code, results = stack.verify("--outputs", str(outputs))
    assert failures(results) == [] and code == 0
    assert stack.created.bucket in {r["resource"] for r in results}

    outputs.write_text(json.dumps({**mine, "assetsBucketName": "custom-assets"}))
    stack.capsys.readouterr()
    code = main(["--stack", stack.name, "--stack-dir", str(stack.root), "--outputs", str(outputs)])
    err = stack.capsys.readouterr().err
    assert code == 2
    assert f"outputs file {outputs} is not the outputs of stack {stack.name}" in err
    assert f"assetsBucketName is 'custom-assets', the stack file gives '{stack.created.bucket}'" in err


def test_external_push_checks_only_the_queue_and_credentials(moto: str, tmp_path: Path, capsys) -> None:
    external = vs.external_push(
        account="123456789012",
        queueName="wirepush-gundeck-events",
        arnEnv="wirepush",
        snsEndpoint=moto,
        sqsEndpoint=moto,
    )
    wire = vs.values(push={"mode": "external", "external": external})
    cfg = vs.config(wire)
    vs.provision(moto, cfg)
    # Wire's queue: its encryption and DLQ are Wire's business, so a bare queue passes.
    vs.client(moto, "sqs", "eu-central-1").create_queue(QueueName="wirepush-gundeck-events")
    stack = Stack(
        moto, tmp_path, vs.write_stack(tmp_path, wire, moto), vs.Created(cfg, cfg.bucket_name, {}, {}), capsys
    )
    code, results = stack.verify()
    assert failures(results) == [] and code == 0
    push = [r for r in results if r["check"].startswith("gundeck")]
    assert [r["check"] for r in push] == ["gundeck credentials", "gundeck queue"]
    assert "eu-central-1" in push[1]["message"]

    # Wire's account differs from the one the credentials are in.
    external["account"] = "111122223333"
    vs.write_stack(tmp_path, wire, moto)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["check"] == "gundeck credentials" and "111122223333" in failure["message"]


def test_module_entry_point_reads_outputs_from_stdin(stack: Stack) -> None:
    outputs = json.dumps({"awsAccountId": "123456789012", "gundeckQueueName": "dev-gundeck-events"})
    proc = subprocess.run(
        [sys.executable, "-m", "verify", "--stack", stack.name, "--stack-dir", str(stack.root), "--outputs", "-"],
        input=outputs,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✔ gundeck queue: dev-gundeck-events" in proc.stdout


def test_bad_stack_is_a_usage_error(moto: str, tmp_path: Path, capsys) -> None:
    assert main(["--stack", "nope", "--stack-dir", str(tmp_path)]) == 2
    assert "no stack file" in capsys.readouterr().err


# --- issue 14: what the services rely on ------------------------------------------------------------


def test_prekey_key_of_the_wrong_type(stack: Stack) -> None:
    """brig's GetItem sends `client` as a string: a numeric key of the same name breaks it."""
    ddb = stack.client("dynamodb")
    table = naming.prekey_table(stack.env)
    ddb.delete_table(TableName=table)
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "client", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "client", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == table
    assert "hash key 'client' has type N, but brig's GetItem/PutItem send a string (S)" in failure["message"]


def test_bucket_in_another_region(stack: Stack) -> None:
    bucket = stack.created.bucket
    stack.client("s3").delete_bucket(Bucket=bucket)
    stack.client("s3", "us-east-1").create_bucket(Bucket=bucket)
    vs.complete_bucket(stack.url, bucket, stack.created.cfg)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == bucket
    assert "the bucket is in us-east-1, the stack (and cargohold's s3Endpoint) in eu-west-1" in failure["message"]


@pytest.mark.parametrize("queue", ["gundeck", "ses"])
def test_queue_policy_that_refuses_the_publisher(stack: Stack, queue: str) -> None:
    env = stack.env
    name = naming.gundeck_queue(env) if queue == "gundeck" else naming.brig_email_queue(env)
    sqs = stack.client("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # Another topic may send, this one may not.
    other = policies.sns_to_sqs_policy(queue_arn=queue_arn, topic_arn="arn:aws:sns:eu-west-1:123456789012:other")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(other)})
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"].endswith(f" -> {name}")
    assert "no statement of the queue policy allows sns.amazonaws.com sqs:SendMessage" in failure["message"]

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
    code, results = stack.verify()
    assert "the queue has no policy, so no SNS topic may send to it" in only_failure(results)["message"]


def test_push_application_without_event_topics(stack: Stack) -> None:
    name = naming.platform_application(stack.env, "wiretest")
    stack.client("sns").set_platform_application_attributes(
        PlatformApplicationArn=stack.created.apps[name],
        Attributes={"EventEndpointCreated": "", "EventDeliveryFailure": ""},
    )
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == name
    assert failure["message"].startswith("EventEndpointCreated, EventDeliveryFailure not sent to arn:aws:sns:")


def test_push_application_of_another_platform_or_name_listed_in_the_outputs(stack: Stack, tmp_path: Path) -> None:
    sns = stack.client("sns")
    wrong_platform = sns.create_platform_application(
        Name="dev-wiretest", Platform="APNS", Attributes={"PlatformCredential": "dummy"}
    )["PlatformApplicationArn"]
    unprefixed = sns.create_platform_application(
        Name="wiretest", Platform="GCM", Attributes={"PlatformCredential": "dummy"}
    )["PlatformApplicationArn"]
    outputs = tmp_path / "outputs.json"
    for arn, expected in (
        (wrong_platform, "platform APNS, but push.apps configures GCM"),
        (unprefixed, "named 'wiretest': gundeck finds applications as `<arnEnv>-<app>` (dev-<app>)"),
    ):
        outputs.write_text(json.dumps({"pushPlatformApplicationArns": {"GCM/wiretest": arn}}))
        code, results = stack.verify("--outputs", str(outputs))
        found = [r["message"] for r in failures(results)]
        assert code == 1
        assert any(message.startswith(expected) for message in found), found


def test_apns_credentials_mode_must_match_the_config(stack: Stack) -> None:
    name = naming.platform_application(stack.env, "com.wire.test")
    stack.client("sns").set_platform_application_attributes(
        PlatformApplicationArn=stack.created.apps[name],
        Attributes={"AppleCertificateExpirationDate": "2020-01-01T00:00:00Z"},
    )
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == name
    assert "uses certificate authentication, but push.apps[] has no principal" in failure["message"]


def test_virtual_addressing_against_a_path_only_endpoint(moto: str, tmp_path: Path, capsys) -> None:
    """The emulator answers path-style only: `virtual` makes <bucket>.localhost, which does not resolve."""
    wire = vs.values(assets={"s3AddressingStyle": "virtual"})
    created = vs.provision(moto, vs.config(wire))
    localhost = moto.replace("127.0.0.1", "localhost")
    stack = Stack(moto, tmp_path, vs.write_stack(tmp_path, wire, localhost), created, capsys)
    code, results = stack.verify()
    failure = only_failure(results)
    assert code == 1 and failure["resource"] == created.bucket
    assert failure["message"].startswith("cannot connect with virtual addressing (http://")
    assert f"{created.bucket}.localhost" in failure["message"]
    assert "needs assets.s3AddressingStyle: path" in failure["message"]
    assert "another account" not in failure["message"]


def test_tls_only_bucket_policy_over_plain_http_is_named(stack: Stack) -> None:
    bucket = stack.created.bucket
    policy = policies.asset_bucket_policy(bucket_arn=f"arn:aws:s3:::{bucket}")
    stack.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    code, results = stack.verify()
    warnings = {r["resource"]: r["message"] for r in results if r["status"] == "warn"}
    assert code == 0, json.dumps(failures(results))
    assert warnings[bucket].startswith(
        f"object round trip not run: the bucket policy's TLS-only Deny cannot be met over {stack.url} (an emulator)"
    )
    # Why it is not run: moto_server refuses every object call under that policy.
    with pytest.raises(ClientError) as denied:
        stack.client("s3").put_object(Bucket=bucket, Key="verify/x", Body=b"x")
    assert denied.value.response["Error"]["Code"] in {"403", "AccessDenied"}

    # The same policy with an AWS endpoint over http: every call is denied, a failure.
    aws_http = f"http://s3.{vs.REGION}.amazonaws.com"
    failure = checks.tls_only_over_http(stack.client("s3"), bucket, aws_http)
    assert failure is not None and failure.status == "fail" and "use https://" in failure.message
    assert checks.tls_only_over_http(stack.client("s3"), bucket, stack.url.replace("http:", "https:")) is None


def test_a_bucket_policy_denial_names_the_statement(stack: Stack) -> None:
    """S3 answers a bucket-policy denial with a bare 403: verify reads the policy and names the statement."""
    bucket = stack.created.bucket
    deny = {
        "Sid": "NoWrites",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    stack.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(policies.document([deny])))
    code, results = stack.verify()
    # Without the program's TLS-only Deny the round trip runs against the emulator, and that is named too.
    tls, failure = failures(results)
    assert tls["resource"] == bucket and "does not deny requests without TLS" in tls["message"]
    assert code == 1 and failure["resource"].startswith(f"s3://{bucket}/verify/")
    assert failure["message"].startswith(
        "access denied (s3:PutObject, path addressing): statement NoWrites of the bucket policy denies s3:PutObject"
    )
    assert "credentials in use" not in failure["message"]
