"""An operator's existing values files, layered under the computed values, through the real program path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from components.config import ConfigError
from components.stackfile import PROJECT_ROOT
from plan.runner import evaluate

STACK = """\
config:
  aws:region: eu-central-1
  wire:environment: legacy
  wire:domain: wire.example.org
  wire:production: false
  wire:kubernetes:
    context: wire
  wire:serviceCredentials:
    mode: irsa
    oidcProviderArn: arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC
  wire:email:
    mode: smtp
    sender: no-reply@wire.example.org
    smtp:
      host: smtp.example.org
  wire:databases:
    rabbitmq:
      host: rabbitmq
    postgresql:
      host: postgresql
  wire:layeredValues:
{layered}
"""

# What years of wire-server-deploy tuning look like: branding and feature flags the program does not model,
# a team size the program also sets, and fake-aws left-overs.
VALUES = """\
brig:
  config:
    optSettings:
      setMaxTeamSize: 800
      setFederationDomain: old.example.org
    emailSMS:
      general:
        templateBranding:
          brand: Example Corp
galley:
  config:
    settings:
      featureFlags:
        sso: enabled-by-default
"""
SECRETS = """\
brig:
  secrets:
    turn:
      secret: old-turn-secret
galley:
  secrets:
    mlsPrivateKeys:
      removal:
        ed25519: old-mls-removal-key
nginz:
  secrets:
    basicAuth: "admin:old-htpasswd-hash"
"""


def project(tmp_path: Path, layered: str, files: dict[str, str]) -> Path:
    shutil.copy2(PROJECT_ROOT / "__main__.py", tmp_path / "__main__.py")
    (tmp_path / "Pulumi.legacy.yaml").write_text(STACK.format(layered=layered))
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_layered_values_reach_the_release_under_the_computed_ones(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "    files:\n      wireServer: [old/values.yaml]\n    secretFiles:\n      wireServer: [old/secrets.yaml]",
        {"old/values.yaml": VALUES, "old/secrets.yaml": SECRETS},
    )
    plan = evaluate("legacy", root)
    values = plan.values["wire-server"]
    # Kept: what the program does not compute.
    assert values["brig"]["config"]["emailSMS"]["general"]["templateBranding"] == {"brand": "Example Corp"}
    assert values["galley"]["config"]["settings"]["featureFlags"] == {"sso": "enabled-by-default"}
    # Replaced: what the program computes wins, and the plan says where.
    assert values["brig"]["config"]["optSettings"]["setFederationDomain"] == "wire.example.org"
    assert values["brig"]["config"]["emailSMS"]["general"]["emailSender"] == "no-reply@wire.example.org"
    [warning] = [w for w in plan.warnings if "layered values" in w]
    assert warning.startswith("wire-server: the computed values replace these keys")
    assert "brig.config.optSettings.setFederationDomain" in warning
    assert "brig.config.emailSMS.general.templateBranding" not in warning
    # From a secret file: a secret in the plan (redacted) and in what the chart receives.
    assert values["galley"]["secrets"]["mlsPrivateKeys"]["removal"]["ed25519"] == "[secret]"
    # nginz's basicAuth is only filled in for the chart: the operator's own stays, and is no conflict.
    assert values["nginz"]["secrets"]["basicAuth"] == "[secret]"
    assert "nginz.secrets.basicAuth" not in warning
    release = plan.evaluation.one("kubernetes:helm.sh/v3:Release", "wire-server")
    assert "old-turn-secret" not in yaml.safe_dump(plan.document())
    assert "old-mls-removal-key" not in yaml.safe_dump(plan.document())
    assert "old-htpasswd-hash" not in yaml.safe_dump(plan.document())
    assert release.inputs["values"].__class__.__name__ == "Secret"


def test_values_that_bring_fake_aws_back_are_refused_all_at_once(tmp_path: Path) -> None:
    old = VALUES + "gundeck:\n  config:\n    aws:\n      sqsEndpoint: http://fake-aws-sqs:4568\n"
    secrets = "cargohold:\n  secrets:\n    awsKeyId: dummykey\n    awsSecretKey: dummysecret\n"
    root = project(
        tmp_path,
        "    files:\n      wireServer: [values.yaml]\n    secretFiles:\n      wireServer: [secrets.yaml]",
        {"values.yaml": old, "secrets.yaml": secrets},
    )
    with pytest.raises(ConfigError) as caught:
        evaluate("legacy", root)
    problems = caught.value.problems
    assert any("gundeck.config.aws.sqsEndpoint is 'http://fake-aws-sqs:4568', a fake-aws host" in p for p in problems)
    assert any("cargohold.secrets.awsKeyId is fake-aws' dummy credential" in p for p in problems)
    assert any("cargohold.secrets.awsSecretKey is fake-aws' dummy credential" in p for p in problems)
    assert all("allowFakeAws" in p for p in problems)


def test_static_keys_with_irsa_are_refused_unless_allowed(tmp_path: Path) -> None:
    secrets = "brig:\n  secrets:\n    awsKeyId: AKIAREALKEY\n"
    layered = "    secretFiles:\n      wireServer: [secrets.yaml]"
    root = project(tmp_path, layered, {"secrets.yaml": secrets})
    with pytest.raises(ConfigError, match=r"brig\.secrets\.awsKeyId sets a static AWS key, but the services use IRSA"):
        evaluate("legacy", root)
    (root / "Pulumi.legacy.yaml").write_text(STACK.format(layered=layered + "\n    allowFakeAws: true"))
    assert evaluate("legacy", root).values["wire-server"]["brig"]["secrets"]["awsKeyId"] == "[secret]"


def test_unreadable_files_are_named_with_the_key_and_fix(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "    files:\n      wireServer: [missing.yaml, broken.yaml, list.yaml]",
        {"broken.yaml": "brig: [unclosed\n", "list.yaml": "- a\n- b\n"},
    )
    with pytest.raises(ConfigError) as caught:
        evaluate("legacy", root)
    where = "Pulumi.legacy.yaml line 23: wire:layeredValues.files.wireServer"
    assert caught.value.problems == [
        f"{where}[0] (missing.yaml) does not exist: give the path of the release's values file, relative to the "
        "project",
        f"{where}[1] (broken.yaml line 2) is not valid YAML: fix the file (helm would refuse it too)",
        f"{where}[2] (list.yaml) holds a YAML list, not the mapping of a helm values file",
    ]


def test_unknown_release_keys_are_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "    files:\n      webshop: [x.yaml]", {})
    with pytest.raises(ConfigError, match=r"layeredValues.files.webshop: is not a release"):
        evaluate("legacy", root)
