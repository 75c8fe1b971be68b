"""The program as the engine runs it: config through the language host's path, `up` and a first preview.

A first `pulumi preview` knows no id and no computed output. Whatever the program registers only once
such a value is known (a resource created inside an apply) is missing from that preview, so `--plan`
fails and the preview misleads. Here every committed stack and every option variant must register the
same URNs in both modes, and no registration may happen inside an apply callback.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest

from components.config import PLACEHOLDER
from plan.mocks import Evaluation
from plan.registrations import KNOWN_AFTER_APPLY, reveal_secrets
from tests.engine_support import run_main, stack_document, with_required_secrets

STACKS = ("dev", "prod")
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "good"


def urns(evaluation: Evaluation) -> set[str]:
    return {r.urn for r in evaluation.resources}


def assert_preview_matches_up(config: dict[str, Any], stack: str = "test") -> tuple[Evaluation, Evaluation]:
    up = run_main(config, stack=stack)
    preview = run_main(config, preview=True, stack=stack)
    assert urns(preview) == urns(up), (
        f"only in up: {sorted(urns(up) - urns(preview))}; only in preview: {sorted(urns(preview) - urns(up))}"
    )
    in_apply = [r.urn for r in up.resources + preview.resources if r.in_apply]
    assert not in_apply, f"registered inside an apply callback: {in_apply}"
    # The SDK drops an alias that is unknown at preview: the preview would show a delete and a create.
    assert not preview.unknown_aliases, f"aliases unknown at preview: {preview.unknown_aliases}"
    return up, preview


@functools.cache
def example_stack(stack: str) -> tuple[Evaluation, Evaluation]:
    """`up` and a first preview of a committed stack, checked by assert_preview_matches_up (once per module: the
    tests only read them)."""
    return assert_preview_matches_up(with_required_secrets(stack_document(stack)), stack)


@pytest.mark.parametrize("stack", STACKS)
def test_example_stacks_evaluate_through_the_language_host_path(stack: str) -> None:
    """Every required secret set as `secure:` values, decrypted and marked as the language host does."""
    up, preview = example_stack(stack)
    assert up.resources and len(up.resources) == len(preview.resources)
    inputs = str([reveal_secrets(r.inputs) for r in up.resources])
    assert PLACEHOLDER not in inputs and "test-secrets.zauthPrivateKeys" in inputs
    assert KNOWN_AFTER_APPLY not in str([r.inputs for r in up.resources])


def test_a_first_preview_knows_no_computed_output() -> None:
    _, preview = example_stack("prod")
    queue = next(r for r in preview.resources if r.type == "aws:sqs/queue:Queue")
    assert queue.outputs["url"] == KNOWN_AFTER_APPLY and queue.outputs["arn"] == KNOWN_AFTER_APPLY
    assert queue.outputs["name"] == queue.inputs["name"]  # an input stays known
    read = next(r for r in preview.resources if r.read)
    assert read.inputs["id"] == KNOWN_AFTER_APPLY and read.outputs == {}
    assert preview.stack_outputs["assetsBucketArn"] == KNOWN_AFTER_APPLY
    # Invokes still run: the caller's account is known in a preview.
    assert preview.stack_outputs["awsAccountId"] == "123456789012"


def _prod() -> dict[str, Any]:
    return with_required_secrets(stack_document("prod"))


def _variant(**changes: Any) -> dict[str, Any]:
    config = copy.deepcopy(stack_document("prod"))
    for key, value in changes.items():
        name = f"wire:{key}"
        if value is None:
            config.pop(name, None)
        else:
            config[name] = value
    return with_required_secrets(config)


EXTERNAL_PUSH = {
    "mode": "external",
    "external": {
        "account": "093205192929",
        "region": "eu-west-1",
        "queueName": "prod-gundeck-events",
        "arnEnv": "prod",
        "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
        "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
        "awsKeyId": "AKIAEXAMPLE",
    },
}
SMTP = {"mode": "smtp", "sender": "no-reply@example.com", "smtp": {"host": "smtp.example.com", "username": "wire"}}
ZONE = "Z0123456789EXAMPLE"
HOSTS = ["nginz-https", "webapp", "federator"]  # nginz-ssl is cannon's own load balancer in prod

VARIANTS: dict[str, dict[str, Any]] = {
    "push-external": {"push": EXTERNAL_PUSH},
    "push-disabled": {"push": {"mode": "disabled"}},
    "email-smtp": {"email": SMTP},
    # The add-ons' IRSA roles need the OIDC provider that static keys do without.
    "static-keys": {"serviceCredentials": {"mode": "staticKeys"}, "addons": None},
    "cmk": {
        "addons": None,
        "serviceCredentials": {
            "mode": "staticKeys",
            "kmsKeyArn": "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
    },
    "no-dns": {"dns": None, "addons": None},
    "dns-hostname": {"dns": {"zoneId": ZONE, "target": {"hostname": "lb.example.net"}, "hosts": HOSTS}},
    "dns-alias": {
        "dns": {
            "zoneId": ZONE,
            "target": {"hostname": "nlb.example.net", "aliasZoneId": "Z215JYRZR1TBD5"},
            "hosts": HOSTS,
        }
    },
    "metallb": {
        "ingress": {"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]},
        "dns": {"zoneId": ZONE, "target": {"ips": ["203.0.113.10"]}, "hosts": [*HOSTS, "nginz-ssl"]},
        # one load balancer address on bare metal: websockets go through the ingress controller
        "cannon": None,
    },
    "no-ingress": {"ingress": None, "dns": {"zoneId": ZONE, "target": {"hostname": "lb.example.net"}, "hosts": HOSTS}},
    "no-wslb": {"cannon": None},
    "no-cloudfront-no-features": {"assets": None, "features": None},
    "cluster-stack": {"kubernetes": {"namespace": "wire", "clusterStack": "acme/cluster/prod"}},
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_option_variants_preview_what_up_creates(variant: str) -> None:
    assert_preview_matches_up(_variant(**VARIANTS[variant]))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus of valid stacks (tests/corpus/good) on this branch")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("Pulumi.*.yaml")) if CORPUS.is_dir() else [], ids=str)
def test_corpus_stacks_preview_what_up_creates(path: Path) -> None:
    import yaml

    document = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
    assert_preview_matches_up(with_required_secrets(document))
