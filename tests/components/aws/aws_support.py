"""Shared builders for the AWS component tests: configs, evaluation under the mocks, lookups."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi

from components.aws.infrastructure import AwsInfrastructure, create_aws, create_dns
from components.config import StackConfig, load_config
from components.config.loading import is_secret_field
from plan.mocks import Evaluation, run_program
from plan.registrations import Registration, reveal_secrets

ACCOUNT = "123456789012"
REGION = "eu-central-1"
OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC123"
ISSUER = "oidc.eks.eu-central-1.amazonaws.com/id/ABC123"
CMK = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LB = "ingress-1234.elb.eu-central-1.amazonaws.com"

QUEUE = "aws:sqs/queue:Queue"
TOPIC = "aws:sns/topic:Topic"
RECORD = "aws:route53/record:Record"


def config(values: dict[str, Any] | None = None, **overrides: Any) -> StackConfig:
    """A production-like SES + IRSA config (environment `prod`); keyword overrides replace sections.

    Every section that holds secrets counts as `secure:` here, so tests can put secret values inline.
    """
    base: dict[str, Any] = {
        "environment": "prod",
        "production": True,
        "domain": "example.com",
        "serviceCredentials": {"mode": "irsa", "oidcProviderArn": OIDC},
        "email": {"mode": "ses", "sender": "no-reply@example.com"},
    }
    base.update(values or {})
    base.update(overrides)
    secret_keys = {key for key in base if is_secret_field(key)}
    return load_config(base, region=REGION, secret_keys=secret_keys, allow_missing_secrets=True).config


def dev_config(**overrides: Any) -> StackConfig:
    values: dict[str, Any] = {
        "environment": "dev",
        "production": False,
        "serviceCredentials": {"mode": "staticKeys"},
        "email": {"mode": "smtp", "sender": "no-reply@example.com", "smtp": {"host": "smtp"}},
    }
    values.update(overrides)
    return config(values)


def pem(kind: str, body: str) -> str:
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"


def fcm_service_account(project: str) -> str:
    """The shape of a Firebase service-account JSON (FCM HTTP v1), with made-up values."""
    return json.dumps(
        {
            "type": "service_account",
            "project_id": project,
            "private_key": pem("PRIVATE KEY", f"fcm-{project}"),
            "client_email": f"firebase-adminsdk@{project}.iam.gserviceaccount.com",
        }
    )


def push_apps(*apps: tuple[str, str]) -> dict[str, Any]:
    entries = []
    for name, platform in apps:
        entry = {"name": name, "platform": platform, "credential": fcm_service_account(name)}
        if platform.startswith("APNS"):
            entry["credential"] = pem("PRIVATE KEY", f"key-{name}")
            entry["principal"] = pem("CERTIFICATE", f"cert-{name}")
        entries.append(entry)
    return {"mode": "create", "apps": entries}


def evaluate(cfg: StackConfig, *, dns: bool = True, preview: bool = False, **hostnames: Any) -> Evaluation:
    """create_aws (+ create_dns) with every export exported; `result` is the resolved AwsOutputs."""

    def program() -> pulumi.Output:
        infra = create_aws(cfg)
        for name, value in infra.exports.items():
            pulumi.export(name, value)
        if dns:
            ingress = hostnames.get("ingress", pulumi.Output.from_input(LB))
            records = create_dns(cfg, infra, ingress, hostnames.get("websocket"))
            if records is not None:
                pulumi.export("dnsRecords", records.fqdns)
        return infra.record

    return run_program(program, config={"aws:region": REGION}, preview=preview)


def run(fn: Callable[[], Any]) -> Evaluation:
    return run_program(fn, config={"aws:region": REGION})


def build(cfg: StackConfig) -> Callable[[], AwsInfrastructure]:
    return lambda: create_aws(cfg)


def plain(value: Any) -> Any:
    return reveal_secrets(value)


def doc(registration: Registration, key: str = "policy") -> dict[str, Any]:
    return json.loads(plain(registration.inputs[key]))


def names(evaluation: Evaluation, type_token: str) -> set[str]:
    return {r.inputs.get("name", r.name) for r in evaluation.find(type_token)}


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    found = [s for s in document["Statement"] if s.get("Sid") == sid]
    assert len(found) == 1, f"no single statement {sid} in {document}"
    return found[0]


def actions(document: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for item in document["Statement"]:
        value = item["Action"]
        found |= {value} if isinstance(value, str) else set(value)
    return found
