"""`python -m migrate adopt-check` against a real AWS API (moto): resources made like Wire's Terraform
modules, some matching the program and some not, and a release list as helm prints it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from components.config.charts import Charts
from migrate.cli import main
from tests.migrate.adopt_support import adopting_stack, client, terraform_resources
from tests.migrate.s3_support import Buckets

pytestmark = pytest.mark.moto


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["adopt-check", "--stack", "adopt", "--stack-dir", str(root), "--json", *extra])
    captured = capsys.readouterr()
    assert code != 2, captured.err
    out = captured.out
    return code, {finding["name"]: finding for finding in json.loads(out)}


def differences(finding: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["key"]: d for d in finding["differences"]}


def test_terraform_made_resources_are_adoptable_and_every_difference_is_listed(
    s3: Buckets, capsys: pytest.CaptureFixture[str]
) -> None:
    url = s3.destination.url
    live = terraform_resources(url)
    root = adopting_stack(s3.tmp / "project", url, live.aws)

    code, found = check(root, capsys)

    assert code == 0, found
    assert set(found) == {
        "dev-brig-events-internal",
        "dev-gundeck-events",
        "dev-gundeck-events-dlq",
        "dev-brig-prekeys",
        "dev-assets-cargohold-1a2b3c4d",
    }
    assert found["dev-gundeck-events"]["differences"] == [] and found["dev-gundeck-events-dlq"]["differences"] == []
    internal = differences(found["dev-brig-events-internal"])
    assert (internal["VisibilityTimeout"]["live"], internal["VisibilityTimeout"]["program"]) == (30, 60)
    assert internal["ReceiveMessageWaitTimeSeconds"]["program"] == 20
    assert internal["RedrivePolicy"]["live"] is None
    assert internal["RedrivePolicy"]["program"] == {
        "deadLetterQueue": "dev-brig-events-internal-dlq",
        "maxReceiveCount": 5,
    }
    table = differences(found["dev-brig-prekeys"])
    assert (table["billing mode"]["live"], table["billing mode"]["program"]) == ("PROVISIONED", "PAY_PER_REQUEST")
    assert "hash key" not in table and not any(d["replaces"] for d in table.values())
    bucket = differences(found["dev-assets-cargohold-1a2b3c4d"])
    assert bucket["CORS origins"]["live"] == ["*"]
    assert bucket["public access block"]["live"] is None
    assert bucket["bucket policy"] == {
        "key": "bucket policy",
        "live": None,
        "program": ["DenyInsecureTransport"],
        "replaces": False,
    }
    # fake-aws's bucket was never versioned: the adoption turns versioning on (an update, never undone).
    assert (bucket["versioning"]["live"], bucket["versioning"]["program"]) == (None, "Enabled")


def test_a_table_with_another_key_is_refused_as_a_replacement(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    url = s3.destination.url
    live = terraform_resources(url, table_hash_key="id")
    root = adopting_stack(s3.tmp / "project", url, {"prekeyTable": live.aws["prekeyTable"]})

    code, found = check(root, capsys)
    assert code == 1
    key = differences(found["dev-brig-prekeys"])["hash key"]
    assert (key["live"], key["program"], key["replaces"]) == ("id (S)", "client (S)", True)
    capsys.readouterr()
    main(["adopt-check", "--stack", "adopt", "--stack-dir", str(root)])
    text = capsys.readouterr().out
    assert "REPLACEMENT" in text and "refused" in text


def test_a_resource_that_does_not_exist_is_refused(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    url = s3.destination.url
    missing = client("sqs", url).create_queue(QueueName="dev-brig-events-internal")["QueueUrl"]
    client("sqs", url).delete_queue(QueueUrl=missing)
    root = adopting_stack(s3.tmp / "project", url, {"brigInternalQueue": missing})
    code, found = check(root, capsys)
    assert code == 1 and "does not exist" in found["dev-brig-events-internal"]["problem"]


def test_releases_are_compared_with_helm_list(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    releases = {"wire-server": "wire/wire-server", "nginx-ingress-services": "wire/nginx-ingress-services"}
    root = adopting_stack(s3.tmp / "project", s3.destination.url, {}, releases)
    pinned = Charts().model_dump()
    listing = s3.tmp / "releases.json"
    listing.write_text(
        json.dumps(
            [
                {"name": "wire-server", "namespace": "wire", "chart": "wire-server-5.23.0", "status": "deployed"},
                {
                    "name": "nginx-ingress-services",
                    "namespace": "wire",
                    "chart": f"nginx-ingress-services-{pinned['nginx_ingress_services']['version']}",
                    "status": "failed",
                },
            ]
        )
    )
    code, found = check(root, capsys, "--helm-list", str(listing))
    assert code == 1
    chart = differences(found["wire-server"])["chart"]
    wanted = f"wire-server-{pinned['wire_server']['version']}"
    assert (chart["live"], chart["program"], chart["replaces"]) == ("wire-server-5.23.0", wanted, False)
    assert not found["wire-server"]["refused"]
    assert "failed" in found["nginx-ingress-services"]["problem"]


def test_a_stack_that_adopts_nothing_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adopt-check", "--stack", "dev"]) == 0
    assert "names nothing" in capsys.readouterr().out


def test_terraform_email_sending_is_adoptable_in_ses_mode(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    url = s3.destination.url
    # brig's module with email sending: a domain identity, a topic and a queue of the same name, no key.
    client("sesv2", url).create_email_identity(EmailIdentity="wire.test")
    topic = client("sns", url).create_topic(Name="dev-brig-email-events")["TopicArn"]
    queue = client("sqs", url).create_queue(QueueName="dev-brig-email-events")["QueueUrl"]
    email = {"mode": "ses", "sender": "no-reply@wire.test"}
    adopt = {"sesIdentity": "wire.test", "emailTopic": topic, "emailQueue": queue}
    root = adopting_stack(s3.tmp / "project", url, adopt, extra={"wire:email": email})

    capsys.readouterr()
    code = main(["adopt-check", "--stack", "adopt", "--stack-dir", str(root), "--json"])
    found = {(f["type"], f["name"]): f for f in json.loads(capsys.readouterr().out)}

    assert code == 0, found
    identity = differences(found[("EmailIdentity", "wire.test")])["configuration set"]
    assert (identity["live"], identity["program"]) == (None, "dev-brig")
    topic_key = differences(found[("Topic", "dev-brig-email-events")])["KmsMasterKeyId"]
    assert (topic_key["live"], topic_key["program"]) == (None, "(a KMS key of the stack)")
    queue = differences(found[("Queue", "dev-brig-email-events")])
    assert queue["RedrivePolicy"]["program"]["deadLetterQueue"] == "dev-brig-email-events-dlq"
