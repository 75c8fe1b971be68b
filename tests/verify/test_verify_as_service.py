"""`--as-service`: with moto's IAM enforcement on, the service's calls pass and others are denied.

moto enforces IAM only after `POST /moto-api/reset-auth` (INITIAL_NO_AUTH_ACTION_COUNT), and it
matches a policy's Resource only for S3 (and SQS calls that carry a QueueUrl): other calls are
evaluated against Resource "*". cargohold is therefore tested with the program's exact policy;
gundeck with the program's actions on Resource "*" (the action list is what is under test there).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from components import naming
from components.aws import policies
from tests.verify import verify_stack as vs
from verify.cli import main

pytestmark = pytest.mark.moto


def _enforce_iam(url: str) -> None:
    request = urllib.request.Request(
        f"{url}/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(request, timeout=5).read()


def _user(url: str, name: str, policy: dict[str, Any]) -> tuple[str, str]:
    iam = vs.client(url, "iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=name, PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


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
    wire = vs.values()
    vs.write_stack(tmp_path, wire, moto)
    return vs.provision(moto, vs.config(wire))


def test_cargohold_least_privilege(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    policy = policies.cargohold_policy(bucket_arn=f"arn:aws:s3:::{deployed.bucket}")
    keys = _user(moto, naming.service_user("dev", "cargohold"), policy)
    _enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "cargohold")
    by_resource = {r["resource"]: r for r in results}
    assert code == 0, json.dumps(results, indent=1)
    assert all(r["status"] == "ok" for r in results)
    assert "put/get/delete round trip works" in by_resource[deployed.bucket]["message"]
    assert by_resource["s3:ListAllMyBuckets"]["message"] == "denied, as it should be"
    assert by_resource["sqs:ListQueues"]["message"] == "denied, as it should be"
    assert any("running as cargohold's principal dev-cargohold" in r["message"] for r in results)


def test_cargohold_policy_too_broad_or_too_narrow(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys):
    broad = policies.document([policies.allow("All", ["s3:*"], ["*"])])
    keys = _user(moto, "dev-cargohold", broad)
    # Read-only on the bucket: cargohold could not store assets.
    narrow = policies.document([policies.allow("Read", ["s3:GetObject"], [f"arn:aws:s3:::{deployed.bucket}/*"])])
    narrow_keys = _user(moto, "someone-else", narrow)
    _enforce_iam(moto)

    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "cargohold")
    failed = {r["resource"]: r["message"] for r in results if r["status"] == "fail"}
    assert code == 1
    assert set(failed) == {"s3:ListAllMyBuckets"} and "too broad" in failed["s3:ListAllMyBuckets"]

    code, results = _run(monkeypatch, capsys, tmp_path, narrow_keys, "--as-service", "cargohold")
    failed = {r["resource"]: r["message"] for r in results if r["status"] == "fail"}
    warned = {r["resource"]: r["message"] for r in results if r["status"] == "warn"}
    assert code == 1
    assert [m for m in failed.values() if "access denied (s3:PutObject)" in m]
    assert any("not cargohold's role or user dev-cargohold" in m for m in warned.values())


def test_gundeck_actions(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    policy = policies.gundeck_policy(queue_arn="*", region=vs.REGION, account_id="123456789012", arn_env="dev")
    for statement in policy["Statement"]:
        statement["Resource"] = ["*"]  # moto evaluates SQS/SNS calls against Resource "*" (module docstring)
    keys = _user(moto, "dev-gundeck", policy)
    _enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, keys, "--as-service", "gundeck")
    assert code == 0, json.dumps(results, indent=1)
    messages = {r["resource"]: r["message"] for r in results}
    assert messages["dev-gundeck-events"] == "sqs:GetQueueUrl allowed"
    assert "sns:GetEndpointAttributes allowed" in messages["dev-wiretest"]
    assert messages["sqs:ListQueues"] == "denied, as it should be"


def test_invalid_keys_are_rejected(moto: str, tmp_path: Path, deployed: vs.Created, monkeypatch, capsys) -> None:
    _enforce_iam(moto)
    code, results = _run(monkeypatch, capsys, tmp_path, ("AKIAUNKNOWNKEY000000", "s3cr3t-never-printed"))
    assert code == 1
    assert len(results) == 1  # nothing else can work: one clear line
    assert results[0]["check"] == "credentials" and results[0]["status"] == "fail"
    assert "InvalidClientTokenId" in results[0]["message"] and "access key is unknown" in results[0]["message"]
    assert "s3cr3t-never-printed" not in json.dumps(results)
