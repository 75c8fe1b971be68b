"""`--as-service`: with moto's IAM enforcement on, every call a service makes passes and others are denied.

moto enforces IAM only after `POST /moto-api/reset-auth` (INITIAL_NO_AUTH_ACTION_COUNT), and it
matches a policy's Resource only for S3 (and SQS calls that carry a QueueUrl): other calls are
evaluated against Resource "*". It also treats any statement with a Condition as a Deny (it has no
request context), which would turn brig's ses:FromAddress-pinned statement into a refusal. So:
cargohold is tested with the program's exact policy; brig, gundeck and galley with the program's
actions (components/aws/policies.py) on Resource "*" without conditions: the action list is what is
under test there, and the probes must prove each action, allowed and denied.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components import naming
from components.aws import policies
from tests.moto_support import provisioned
from tests.verify import verify_stack as vs
from verify.cli import main

pytestmark = pytest.mark.moto


def _messages(results: list[dict[str, str]], status: str) -> list[str]:
    return [f"{r['resource']}: {r['message']}" for r in results if r["status"] == status]


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], root: Path, keys: tuple[str, str], *args: str
) -> tuple[int, list[dict[str, str]]]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys[1])
    capsys.readouterr()
    code = main(["--stack", "test", "--stack-dir", str(root), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def deployed(moto: str, tmp_path: Path) -> vs.Created:
    """The stack without the services' identities (each test makes its own), built once per server."""
    wire = vs.values()
    vs.write_stack(tmp_path, wire, moto)
    return provisioned(
        moto, "as-service", lambda: vs.provision(moto, vs.config(wire), identities=False, bucket_policy=False)
    )


def test_cargohold_least_privilege(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    policy = policies.cargohold_policy(bucket_arn=f"arn:aws:s3:::{deployed.bucket}")
    keys = vs.iam_user(moto, naming.service_user("dev", "cargohold"), policy)
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "cargohold")
    by_resource = {r["resource"]: r for r in results}
    assert code == 0, json.dumps(results, indent=1)
    assert all(r["status"] == "ok" for r in results)
    assert "put/get/copy/multipart/delete round trip works" in by_resource[deployed.bucket]["message"]
    assert by_resource["s3:ListAllMyBuckets"]["message"] == "denied, as it should be"
    assert by_resource["sqs:ListQueues"]["message"] == "denied, as it should be"
    assert any("running as cargohold's principal dev-cargohold" in r["message"] for r in results)


def test_cargohold_policy_too_broad_or_too_narrow(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys):
    broad = policies.document([policies.allow("All", ["s3:*"], ["*"])])
    keys = vs.iam_user(moto, "dev-cargohold", broad)
    # Read-only on the bucket: cargohold could not store assets.
    narrow = policies.document([policies.allow("Read", ["s3:GetObject"], [f"arn:aws:s3:::{deployed.bucket}/*"])])
    narrow_keys = vs.iam_user(moto, "someone-else", narrow)
    vs.enforce_iam(moto)

    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "cargohold")
    failed = {r["resource"]: r["message"] for r in results if r["status"] == "fail"}
    assert code == 1
    assert set(failed) == {"s3:ListAllMyBuckets"} and "too broad" in failed["s3:ListAllMyBuckets"]

    code, results = _run(monkeypatch, capsys, tmp_path, narrow_keys, "--as-service", "cargohold")
    failed = {r["resource"]: r["message"] for r in results if r["status"] == "fail"}
    warned = {r["resource"]: r["message"] for r in results if r["status"] == "warn"}
    assert code == 1
    assert [m for m in failed.values() if "access denied (s3:PutObject, path addressing): " in m]
    assert any("not cargohold's role or user dev-cargohold" in m for m in warned.values())


def test_invalid_keys_are_rejected(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, ("AKIAUNKNOWNKEY000000", "s3cr3t-never-printed"))
    assert code == 1
    assert len(results) == 1  # nothing else can work: one clear line
    assert results[0]["check"] == "credentials" and results[0]["status"] == "fail"
    assert "InvalidClientTokenId" in results[0]["message"] and "access key is unknown" in results[0]["message"]
    assert "s3cr3t-never-printed" not in json.dumps(results)


def test_brig_every_call(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    keys = vs.iam_user(moto, "dev-brig", vs.actions_only(vs.brig_policy(deployed)))
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "brig")
    assert code == 0, json.dumps(results, indent=1)
    allowed = _messages(results, "ok")
    for expected in (
        "dev-brig-events-internal: sqs:GetQueueUrl allowed",
        "dev-brig-events-internal: sqs:SendMessage allowed (the probe was refused after authorisation: "
        "InvalidParameterValue)",
        "dev-brig-events-internal: sqs:ReceiveMessage allowed (the probe was refused after authorisation: "
        "InvalidParameterValue)",
        "dev-brig-events-internal: sqs:DeleteMessage allowed (the probe was refused after authorisation: "
        "ReceiptHandleIsInvalid)",
        "dev-brig-email-events: sqs:ReceiveMessage allowed (the probe was refused after authorisation: "
        "InvalidParameterValue)",
        "dev-user-events.fifo: sqs:SendMessage allowed (the probe was refused after authorisation: MissingParameter)",
        "dev-brig-prekeys: dynamodb:GetItem allowed",
        "dev-brig-prekeys: dynamodb:PutItem allowed (the probe was refused after authorisation: "
        "ConditionalCheckFailedException)",
        "dev-brig-prekeys: dynamodb:DeleteItem allowed (the probe was refused after authorisation: "
        "ConditionalCheckFailedException)",
        "no-reply@wire.test: ses:SendRawEmail allowed (the probe was refused after authorisation: "
        "InvalidParameterValue)",
    ):
        assert expected in allowed, json.dumps(results, indent=1)
    # Nothing was written or sent by the probes.
    sqs = vs.client(moto, "sqs")
    vs.enforce_iam_off(moto)
    for queue in (naming.brig_internal_queue("dev"), naming.user_journal_queue("dev")):
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        assert attrs["ApproximateNumberOfMessages"] == "0"
    item = vs.client(moto, "dynamodb").get_item(TableName="dev-brig-prekeys", Key={"client": {"S": "verify.probe"}})
    assert "Item" not in item


def test_brig_without_send_or_put_is_named(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys):
    policy = vs.actions_only(vs.brig_policy(deployed), without=("sqs:SendMessage", "dynamodb:PutItem"))
    keys = vs.iam_user(moto, "dev-brig", policy)
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "brig")
    failed = _messages(results, "fail")
    assert code == 1
    assert len(failed) == 3, json.dumps(results, indent=1)
    assert any(m.startswith("dev-brig-events-internal: sqs:SendMessage denied: ") for m in failed)
    assert any(m.startswith("dev-user-events.fifo: sqs:SendMessage denied: ") for m in failed)
    assert any(m.startswith("dev-brig-prekeys: dynamodb:PutItem denied: ") for m in failed)
    # moto's message does not say which policy denied: the hint says where to look first.
    assert all("check the caller's role/user policy, then the queue policy" in m for m in failed if "sqs:" in m)


def test_gundeck_every_call(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    keys = vs.iam_user(moto, "dev-gundeck", vs.actions_only(vs.gundeck_policy()))
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "gundeck")
    assert code == 0, json.dumps(results, indent=1)
    allowed = _messages(results, "ok")
    for app in ("dev-wiretest", "dev-com.wire.test"):
        for action in ("sns:CreatePlatformEndpoint", "sns:GetEndpointAttributes", "sns:SetEndpointAttributes"):
            assert f"{app}: {action} allowed" in allowed
        assert f"{app}: sns:Publish allowed (the probe was refused after authorisation: EndpointDisabled)" in allowed
        assert f"{app}: sns:DeleteEndpoint allowed" in allowed
    assert "dev-gundeck-events: sqs:GetQueueUrl allowed" in allowed
    assert any(m.startswith("dev-gundeck-events: sqs:DeleteMessage allowed") for m in allowed)
    assert "sqs:ListQueues: denied, as it should be" in allowed
    # The probe endpoints are gone again.
    vs.enforce_iam_off(moto)
    sns = vs.client(moto, "sns")
    for arn in deployed.apps.values():
        assert sns.list_endpoints_by_platform_application(PlatformApplicationArn=arn)["Endpoints"] == []


def test_gundeck_without_create_endpoint_is_named(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys):
    keys = vs.iam_user(
        moto, "dev-gundeck", vs.actions_only(vs.gundeck_policy(), without=("sns:CreatePlatformEndpoint",))
    )
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "gundeck")
    failed = _messages(results, "fail")
    assert code == 1
    assert sorted(m.split(": ", 2)[1] for m in failed) == ["sns:CreatePlatformEndpoint denied"] * 2, failed


def test_galley_send(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    policy = policies.galley_policy(team_events_queue_arn=vs.queue_arn(naming.team_events_queue("dev")))
    assert policy is not None
    keys = vs.iam_user(moto, "dev-galley", vs.actions_only(policy))
    narrow = vs.iam_user(moto, "dev-galley-narrow", vs.actions_only(policy, without=("sqs:SendMessage",)))
    vs.enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "galley")
    assert code == 0, json.dumps(results, indent=1)
    assert (
        "dev-team-events.fifo: sqs:SendMessage allowed (the probe was refused after authorisation: MissingParameter)"
        in _messages(results, "ok")
    )
    code, results = _run(monkeypatch, capsys, tmp_path, narrow, "--as-service", "galley")
    assert code == 1
    assert [m.split(": ", 2)[1] for m in _messages(results, "fail")] == ["sqs:SendMessage denied"]
