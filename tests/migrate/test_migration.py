"""A whole move off fake-aws, offline: the runbook of docs/migration.md step by step.

wire-server-deploy's releases and the resources Wire's Terraform modules made (in a real AWS API, moto)
are adopted in the plan; the operator's values files are layered with their conflicts reported; adopt-check
finds every adoption safe; the assets are copied from a second S3 server (standing in for fake-aws-s3)
into the adopted bucket through a killed run, every object verified; the values files are written from
the recorded stack outputs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from migrate.cli import main as migrate_main
from plan.__main__ import main as plan_main
from plan.registrations import reveal_secrets
from plan.runner import evaluate
from tests.migrate.adopt_support import TF_BUCKET, adopting_stack, terraform_resources
from tests.migrate.s3_support import PART, Asset, Buckets, data, uid

pytestmark = pytest.mark.moto
ROOT = Path(__file__).resolve().parents[2]
RELEASES = {"wire-server": "wire/wire-server", "nginx-ingress-services": "wire/nginx-ingress-services"}
# An operator's wire-server values after years of wire-server-deploy: branding the program does not model,
# a queue and a bucket the program computes (conflicts), and fake-aws-era settings it replaces.
OPERATOR_VALUES = {
    "brig": {
        "config": {
            "emailSMS": {"general": {"templateBranding": {"brand": "Example Corp"}}},
        }
    },
    "cargohold": {"config": {"aws": {"s3Bucket": "assets"}}},
    "gundeck": {"config": {"aws": {"queueName": "integration-gundeck-events"}}},
    "galley": {"config": {"settings": {"featureFlags": {"sso": "enabled-by-default"}}}},
}


def kill_mid_copy(args: list[str], journal: Path) -> None:
    """Start the copy in its own process and SIGKILL it once an object is verified and journalled."""
    process = subprocess.Popen(
        [sys.executable, "-m", "migrate", *args],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (journal.exists() and journal.read_text().count("\n") >= 1):
        assert process.poll() is None and time.monotonic() < deadline, "the copy ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def test_a_whole_migration_offline(s3: Buckets, capsys: pytest.CaptureFixture[str]) -> None:
    aws_url = s3.destination.url
    live = terraform_resources(aws_url)
    project = s3.tmp / "project"
    values_file = project / "deploy" / "wire-server.yaml"
    values_file.parent.mkdir(parents=True)
    values_file.write_text(yaml.safe_dump(OPERATOR_VALUES))
    layered = {"files": {"wireServer": ["deploy/wire-server.yaml"]}}
    root = adopting_stack(project, aws_url, live.aws, RELEASES, layered=layered)
    # root's __main__.py is a symlink to the project's: layered files are still read from root.
    assert (root / "__main__.py").is_symlink()

    # 1. The plan adopts the releases and the AWS resources, and reports where the computed values win.
    out = s3.tmp / "plan"
    assert plan_main(["--stack", "adopt", "--root", str(root), "--out", str(out), "--quiet"]) == 0
    document = json.loads((out / "plan.json").read_text())
    imported = {r["import"]: r for r in document["resources"] if "import" in r}
    assert set(imported) == set(live.aws.values()) | set(RELEASES.values())
    assert imported["wire/wire-server"]["type"] == "kubernetes:helm.sh/v3:Release"
    assert imported[TF_BUCKET]["inputs"]["bucket"] == TF_BUCKET
    assert all(r["ignoreChanges"] for r in imported.values())
    conflicts = [w for w in document["warnings"] if w.startswith("wire-server: the computed values replace")]
    assert len(conflicts) == 1
    assert "gundeck.config.aws.queueName" in conflicts[0]
    assert "cargohold.config.aws.s3Bucket" in conflicts[0]
    assert "templateBranding" not in conflicts[0]
    planned = yaml.safe_load((out / "values" / "wire-server.yaml").read_text())
    assert planned["brig"]["config"]["emailSMS"]["general"]["templateBranding"]["brand"] == "Example Corp"
    assert planned["cargohold"]["config"]["aws"]["s3Bucket"] == TF_BUCKET

    # 2. Every adoption is safe against the live resources (differences are updates in place).
    listing = s3.tmp / "releases.json"
    versions = {r["inputs"]["name"]: r["inputs"]["version"] for r in imported.values() if "version" in r["inputs"]}
    listing.write_text(
        json.dumps(
            [
                {"name": name, "namespace": "wire", "chart": f"{name}-{versions[name]}", "status": "deployed"}
                for name in RELEASES
            ]
        )
    )
    capsys.readouterr()
    check = ["adopt-check", "--stack", "adopt", "--stack-dir", str(root), "--helm-list", str(listing)]
    assert migrate_main(check) == 0, capsys.readouterr().out
    report = capsys.readouterr().out
    assert "Every adoption is safe" in report and "✔ Release wire-server" in report

    # 3. The assets go from fake-aws-s3 into the adopted bucket, through a killed run, every object verified.
    items = [Asset(f"a/{uid(n)}", data(PART + 1, n)) for n in range(2)]
    items += [Asset(f"v3/eternal/{uid(n)}", data(8 * 1024, n), metadata={"user": uid(n)}) for n in range(2, 20)]
    s3.fill(items)
    copy = [
        "assets",
        "--from",
        f"{s3.source.url}/{s3.source.bucket}",
        "--stack",
        "adopt",
        "--stack-dir",
        str(root),
        "--part-size",
        "5MiB",
        "--journal",
        str(s3.journal),
    ]
    kill_mid_copy([*copy, "--jobs", "1"], s3.journal)
    adopted = s3.destination.client
    present = adopted.list_objects_v2(Bucket=TF_BUCKET).get("KeyCount", 0)
    assert 1 <= present < len(items)
    capsys.readouterr()
    assert migrate_main([*copy, "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert (result["copied"] + result["skipped"], result["failed"]) == (len(items), 0)
    assert result["skipped"] >= present - 1  # at most the object being uploaded when killed is copied again
    for asset in items:
        copied = adopted.get_object(Bucket=TF_BUCKET, Key=asset.key)
        assert copied["Body"].read() == asset.body and copied["Metadata"] == asset.metadata
    assert adopted.list_multipart_uploads(Bucket=TF_BUCKET).get("Uploads") in (None, [])

    # 4. The values files from the recorded outputs: the adopted names, the operator's branding kept.
    outputs = s3.tmp / "outputs.json"
    outputs.write_text(json.dumps(reveal_secrets(evaluate("adopt", root).evaluation.stack_outputs)))
    written = s3.tmp / "values"
    args = ["values", "--stack", "adopt", "--stack-dir", str(root), "--outputs", str(outputs)]
    assert migrate_main([*args, "--out", str(written), "--no-secrets"]) == 0
    values = yaml.safe_load((written / "wire-server.yaml").read_text())
    assert values["cargohold"]["config"]["aws"]["s3Bucket"] == TF_BUCKET
    assert values["gundeck"]["config"]["aws"]["queueName"] == "dev-gundeck-events"
    assert values["brig"]["config"]["aws"]["internalQueue"] == "dev-brig-events-internal"
    assert values["brig"]["config"]["emailSMS"]["general"]["templateBranding"]["brand"] == "Example Corp"
    assert values["galley"]["config"]["settings"]["featureFlags"]["sso"] == "enabled-by-default"
