"""A newcomer copies the prod example and changes the domain and region: the plan names every leftover.

Built from the real Pulumi.prod.yaml, so it follows the example as it changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.config import ConfigError
from plan.runner import evaluate
from tests import evaluations
from tests.corpus import PROGRAM, project_root

LEFTOVER_KEYS = {
    "kubernetes.context",
    "serviceCredentials.oidcProviderArn",
    "push.apps[0].name",
    "push.apps[0].keyId",
    "push.apps[0].teamId",
    "push.apps[1].name",
    "email.ses.dmarc.reportAddress",
    "assets.cloudFront.keyPairId",
    "dns.zoneId",
    "sso.contacts[0].email",
    "network.vpcId",
    "network.clientSecurityGroupIds[0]",
    "alarms.email",
    "addons.certManager.email",
    "addons.awsLoadBalancerController.clusterName",
}


def copied(root: Path, name: str, *, region: str) -> str:
    text = (PROGRAM / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    text = text.replace("aws:region: eu-central-1", f"aws:region: {region}")
    text = text.replace("wire:domain: example.com", "wire:domain: wire.acme.org")
    # What anyone changes with the domain: the SES sender (refused otherwise) and the websocket host.
    text = text.replace("no-reply@example.com", "no-reply@wire.acme.org")
    text = text.replace("nginz-ssl.example.com", "nginz-ssl.wire.acme.org")
    project_root(root, {})
    (root / f"Pulumi.{name}.yaml").write_text(text, encoding="utf-8")
    return name


def test_a_new_region_refuses_the_examples_cluster_and_oidc_provider(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        evaluate(copied(tmp_path, "moved", region="us-east-1"), tmp_path)
    problems = caught.value.problems
    assert len(problems) == 2, problems
    # Each names the stack file's line first (when read from a file), then the key.
    assert "wire:serviceCredentials.oidcProviderArn: " in problems[0]
    assert "is in region eu-central-1, but aws:region is us-east-1" in problems[0]
    assert "wire:kubernetes.context: 'arn:aws:eks:eu-central-1:" in problems[1]


def test_a_new_domain_plans_and_names_every_leftover(tmp_path: Path) -> None:
    plan = evaluate(copied(tmp_path, "copy", region="eu-central-1"), tmp_path)
    named = {m[1] for w in plan.warnings if (m := re.match(r"wire:(\S+): '.*' is .*, left over from the examples", w))}
    assert named >= LEFTOVER_KEYS, LEFTOVER_KEYS - named


def test_the_examples_themselves_have_no_leftover_warnings() -> None:
    for stack in ("prod", "dev"):
        plan = evaluations.evaluate(stack)
        assert not [w for w in plan.warnings if "left over from the examples" in w], stack
