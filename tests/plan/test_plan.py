"""The offline plan: the real program under mocks, for both committed stacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.config import PLACEHOLDER, load_config
from components.stackfile import PROJECT_ROOT
from plan.__main__ import main as plan_main
from plan.runner import Plan, evaluate, evaluate_config
from tests import evaluations

OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC123"
# A GCM credential is the Firebase service-account JSON; the sentinel sits where the private key goes.
FCM_SENTINEL = json.dumps({"type": "service_account", "private_key": "FCM-SENTINEL", "client_email": "a@b.c"})


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {stack: evaluations.evaluate(stack) for stack in ("dev", "prod")}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_plan_document_shape(plans: dict[str, Plan], stack: str) -> None:
    document = plans[stack].document()
    assert document["version"] == 1 and document["project"] == "wire" and document["stack"] == stack
    urns = {r["urn"] for r in document["resources"]}
    for resource in document["resources"]:
        assert set(resource) == {
            "urn", "type", "name", "parent", "dependencies", "custom", "protect", "retainOnDelete", "read",
            "inputs", "secretOutputs",
        }  # fmt: skip
        assert resource["parent"] is None or resource["parent"] in urns
        assert set(resource["dependencies"]) <= urns
    assert document["values"]["wire-server"] == "values/wire-server.yaml"
    assert "secrets.zauthPrivateKeys" in document["secretsToSet"]
    assert document["drain"].startswith("cannon drains at least 400 connections/s")


def test_prod_plan_has_every_component(plans: dict[str, Plan]) -> None:
    types = {r["type"] for r in plans["prod"].document()["resources"]}
    for component in (
        "wire:aws:PushNotifications",
        "wire:aws:EmailSending",
        "wire:aws:AssetStorage",
        "wire:aws:DnsRecords",
        "wire:aws:ServiceIdentity",
        "wire:k8s:WireReleases",
        "aws:sns/platformApplication:PlatformApplication",
        "aws:dynamodb/table:Table",
        "aws:cloudfront/distribution:Distribution",
        "kubernetes:helm.sh/v3:Release",
    ):
        assert component in types, component


def test_plan_is_deterministic() -> None:
    first = json.dumps(evaluate("prod").document(), sort_keys=True)
    second = json.dumps(evaluate("prod").document(), sort_keys=True)
    assert first == second


def test_plan_writes_plan_json_and_values_files(plans: dict[str, Plan], tmp_path: Path) -> None:
    plans["prod"].write(tmp_path)
    document = json.loads((tmp_path / "plan.json").read_text())
    assert document["stack"] == "prod"
    written = sorted(p.name for p in (tmp_path / "values").glob("*.yaml"))
    assert written == sorted(f"{release}.yaml" for release in document["values"])
    values = yaml.safe_load((tmp_path / "values" / "wire-server.yaml").read_text())
    assert values["brig"]["secrets"]["zAuth"]["privateKeys"] == PLACEHOLDER
    assert values["gundeck"]["config"]["aws"]["queueName"] == "prod-gundeck-events"
    assert "fake-aws" not in (tmp_path / "values" / "wire-server.yaml").read_text()


def test_secret_values_never_reach_the_plan_files(tmp_path: Path) -> None:
    """Real secret values (as `pulumi up` decrypts them) appear in no plan file."""
    secrets = {
        "zauthPublicKeys": "PUBLIC-zauth-SENTINEL",
        "zauthPrivateKeys": "PRIVATE-zauth-SENTINEL",
        "turnSecret": "TURN-SENTINEL",
    }
    values: dict[str, Any] = {
        "environment": "prod",
        "production": True,
        "domain": "example.com",
        "serviceCredentials": {"mode": "staticKeys"},
        "kubernetes": {"context": "kind-wire"},
        "email": {
            "mode": "smtp",
            "sender": "no-reply@example.com",
            "smtp": {"host": "smtp.example.com", "username": "wire", "password": "SMTP-SENTINEL"},
        },
        "push": {"mode": "create", "apps": [{"name": "app", "platform": "GCM", "credential": FCM_SENTINEL}]},
        "linkPreviews": {"enabled": True, "giphy": "GIPHY-SENTINEL"},
        "secrets": secrets,
        "databases": {
            "rabbitmq": {"host": "rabbitmq", "username": "RABBIT-USER-SENTINEL", "password": "RABBIT-SENTINEL"},
            "postgresql": {"host": "postgresql", "password": "PG-SENTINEL"},
        },
    }
    secret_keys = {"email", "push", "linkPreviews", "secrets", "databases"}
    cfg = load_config(values, region="eu-central-1", secret_keys=secret_keys).config
    runtime = {f"wire:{key}": json.dumps(value) for key, value in values.items()} | {"aws:region": "eu-central-1"}
    plan = evaluate_config("prod", cfg, runtime, {f"wire:{key}" for key in secret_keys}, [])
    plan.write(tmp_path)
    written = "".join(path.read_text() for path in tmp_path.rglob("*") if path.is_file())
    for sentinel in ("SENTINEL", "mock-secret-"):
        assert sentinel not in written
    assert PLACEHOLDER in written
    assert {"serviceSecretAccessKeys"} <= set(plan.document()["secretOutputs"])


def test_a_bad_stack_exits_2_with_every_problem_and_no_traceback(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "Pulumi.broken.yaml").write_text(
        "config:\n  aws:region: eu-central-1\n  wire:enviroment: prod\n  wire:domain: Bad_Domain\n"
    )
    assert plan_main(["--stack", "broken", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "wire:enviroment is not a known key (did you mean wire:environment?)" in err
    assert "wire:domain: 'Bad_Domain' is not a valid DNS hostname" in err
    assert "wire:email is required" in err
    assert "Traceback" not in err


def test_the_cli_runs_from_a_fresh_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plan", "--stack", "dev", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Offline plan of stack 'dev'" in result.stdout
    assert "Secrets still to set before `pulumi up`" in result.stdout
    assert (tmp_path / "plan.json").exists() and (tmp_path / "values" / "wire-server.yaml").exists()


def test_the_program_refuses_a_bad_config_before_registering_anything() -> None:
    """Under `pulumi up` (here: the mocks) a bad config raises RunError and registers nothing."""
    import runpy

    import pulumi

    from plan.mocks import run_program

    config = {"aws:region": "eu-central-1", "wire:environment": "prod", "wire:domain": "example.com"}
    with pytest.raises(pulumi.RunError, match="wire:email is required"):
        run_program(lambda: runpy.run_path(str(PROJECT_ROOT / "__main__.py")), config=config)


def test_irsa_stack_needs_oidc_before_anything(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "Pulumi.irsa.yaml").write_text(
        "config:\n  aws:region: eu-central-1\n  wire:environment: prod\n  wire:domain: example.com\n"
        "  wire:email:\n    mode: ses\n    sender: no-reply@example.com\n"
    )
    assert plan_main(["--stack", "irsa", "--root", str(tmp_path)]) == 2
    assert "mode 'irsa' needs oidcProviderArn" in capsys.readouterr().err


def test_wire_server_never_waits_for_ses_or_dns(plans: dict[str, Plan]) -> None:
    """Everything wire-server transitively waits for: queues, table, bucket, identities; no SES, no DNS."""
    from plan.graph import chain_depths, creation_graph, critical_path, find_wire_server

    document = plans["prod"].document()
    by_urn = {r["urn"]: r for r in document["resources"]}
    target = find_wire_server(document)
    assert target is not None
    waited_for = set(chain_depths(creation_graph(document), target)) - {target}
    types = {by_urn[urn]["type"] for urn in waited_for}
    assert not {t for t in types if t.startswith(("aws:ses", "aws:route53"))}, types
    assert "aws:iam/rolePolicy:RolePolicy" in types and "aws:sqs/queue:Queue" in types
    assert len(critical_path(document)) - 1 <= 3


def test_the_docs_show_the_current_prod_pictures(plans: dict[str, Plan]) -> None:
    """docs/architecture.md (resource -> service -> helm key) and docs/development.md (creation order)."""
    from components.markers import marked
    from plan.architecture import (
        ARCHITECTURE_DOC,
        ARCHITECTURE_MARKERS,
        DEVELOPMENT_DOC,
        GRAPH_MARKERS,
        architecture_section,
        graph_section,
    )

    stale = "is stale: run .venv/bin/python -m plan.architecture --write"
    shown = marked(ARCHITECTURE_DOC.read_text(), *ARCHITECTURE_MARKERS)
    assert shown == architecture_section(plans["prod"]).strip("\n"), f"{ARCHITECTURE_DOC} {stale}"
    assert "| Queue prod-gundeck-events | gundeck | `gundeck.config.aws.queueName` |" in shown
    assert marked(DEVELOPMENT_DOC.read_text(), *GRAPH_MARKERS) == graph_section(plans["prod"]), (
        f"{DEVELOPMENT_DOC} {stale}"
    )
