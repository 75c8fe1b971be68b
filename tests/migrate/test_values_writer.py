"""`python -m migrate values`: values from stack outputs equal what the program gives its releases."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml
from pydantic import SecretStr

from components.config import StackConfig
from components.k8s.values import release_values
from components.outputs import redact
from components.stackfile import read_stack_file
from migrate.values import (
    ValuesProblem,
    aws_outputs_from_stack,
    config_from_pulumi_json,
    split_secrets,
    write_values,
)
from migrate.values import (
    program_config as stack_program_config,
)
from plan.registrations import reveal_secrets
from plan.runner import Plan, evaluate


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {stack: evaluate(stack) for stack in ("dev", "prod")}


def program_config(stack: str) -> StackConfig:
    """The configuration the evaluated program saw: secrets not set yet hold the offline placeholder."""
    return stack_program_config(read_stack_file(stack))


def outputs_of(plan: Plan) -> dict:
    """What `pulumi stack output --json --show-secrets` prints for the evaluated stack."""
    return json.loads(json.dumps(reveal_secrets(plan.evaluation.stack_outputs)))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_values_from_stack_outputs_equal_the_programs(plans: dict[str, Plan], stack: str) -> None:
    plan, cfg = plans[stack], program_config(stack)
    aws = aws_outputs_from_stack(cfg, outputs_of(plan))
    written = redact(release_values(cfg, aws))
    # The cluster add-ons (cert-manager, the load balancer controller, the Gateway API CRDs) are not Wire's
    # releases: not written here.
    assert written == {release: tree for release, tree in plan.values.items() if release in written}
    assert set(plan.values) - set(written) <= {"cert-manager", "aws-load-balancer-controller", "gateway-crds"}


def test_static_keys_come_from_the_secret_outputs(plans: dict[str, Plan]) -> None:
    outputs = outputs_of(plans["dev"])
    aws = aws_outputs_from_stack(plans["dev"].config, outputs)
    assert aws.access_keys["brig"].key_id == outputs["serviceAccessKeyIds"]["brig"]
    assert aws.access_keys["brig"].secret.get_secret_value() == outputs["serviceSecretAccessKeys"]["brig"]


def test_missing_outputs_are_named_all_at_once(plans: dict[str, Plan]) -> None:
    outputs = outputs_of(plans["prod"])
    for key in ("assetsBucketName", "serviceRoleArns", "cloudFrontDomain"):
        del outputs[key]
    with pytest.raises(ValuesProblem) as caught:
        aws_outputs_from_stack(plans["prod"].config, outputs)
    message = str(caught.value)
    assert "assetsBucketName" in message and "serviceRoleArns" in message and "cloudFrontDomain" in message
    assert "pulumi stack output --json --show-secrets" in message


def test_split_keeps_secret_leaves_apart_at_their_paths() -> None:
    tree = {"a": {"b": 1, "c": SecretStr("s")}, "d": [SecretStr("x"), "y"], "e": [1, 2], "f": {"g": SecretStr("t")}}
    public, secret = split_secrets(tree)
    assert public == {"a": {"b": 1}, "e": [1, 2]}
    assert secret == {"a": {"c": SecretStr("s")}, "d": [SecretStr("x"), "y"], "f": {"g": SecretStr("t")}}
    assert split_secrets({"only": 1}) == ({"only": 1}, None)


def test_files_layer_back_to_the_full_values_and_secrets_are_private(plans: dict[str, Plan], tmp_path: Path) -> None:
    cfg = program_config("dev")
    outputs = outputs_of(plans["dev"])
    aws = aws_outputs_from_stack(cfg, outputs)
    with pytest.raises(ValuesProblem, match="still encrypted"):
        write_values(cfg, aws, tmp_path, with_secrets=True)

    written = write_values(cfg, aws, tmp_path, with_secrets=False)
    assert sorted(p.name for p in written.public) == ["nginx-ingress-services.yaml", "webapp.yaml", "wire-server.yaml"]
    assert not written.secret and "wire-server: brig.secrets.turn.secret" in written.secrets_left_out
    text = (tmp_path / "wire-server.yaml").read_text()
    assert "[secret]" not in text and outputs["serviceSecretAccessKeys"]["brig"] not in text
    public = yaml.safe_load(text)
    assert public["brig"]["secrets"]["awsKeyId"] == outputs["serviceAccessKeyIds"]["brig"]
    assert "awsSecretKey" not in public["brig"]["secrets"]


def test_secret_files_are_written_0600_with_the_revealed_values(tmp_path: Path) -> None:
    from tests.components.aws.aws_support import dev_config

    cfg = dev_config(secrets={"turnSecret": "turn-value"})
    outputs = {
        "awsRegion": "eu-central-1",
        "awsAccountId": "123456789012",
        "pushArnEnv": "dev",
        "gundeckQueueName": "dev-gundeck-events",
        "brigInternalQueueName": "dev-brig-events-internal",
        "prekeyTableName": "dev-brig-prekeys",
        "assetsBucketName": cfg.bucket_name,
        "endpoints": {"sqs": "https://sqs.eu-central-1.amazonaws.com"},
        "serviceAccessKeyIds": {s: f"AKIA{s.upper()}" for s in ("brig", "galley", "gundeck", "cargohold")},
        "serviceSecretAccessKeys": {s: f"secret-{s}" for s in ("brig", "galley", "gundeck", "cargohold")},
    }
    # Everything else a real stack also needs: placeholders would be refused.
    cfg = cfg.model_copy(
        update={
            "secrets": cfg.secrets.model_copy(
                update={"zauth_public_keys": SecretStr("pub"), "zauth_private_keys": SecretStr("priv")}
            ),
            "databases": cfg.databases.model_copy(
                update={
                    "rabbitmq": cfg.databases.rabbitmq.model_copy(
                        update={"username": SecretStr("u"), "password": SecretStr("p")}
                    ),
                    "postgresql": cfg.databases.postgresql.model_copy(update={"password": SecretStr("pg")}),
                }
            ),
        }
    )
    written = write_values(cfg, aws_outputs_from_stack(cfg, outputs), tmp_path, with_secrets=True)
    secret_file = tmp_path / "wire-server.secrets.yaml"
    assert secret_file in written.secret
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secrets = yaml.safe_load(secret_file.read_text())
    assert secrets["brig"]["secrets"]["awsSecretKey"] == "secret-brig"
    assert secrets["brig"]["secrets"]["turn"]["secret"] == "turn-value"
    assert "secret-brig" not in (tmp_path / "wire-server.yaml").read_text()


def test_decrypted_configuration_from_pulumi_config_json() -> None:
    document = {
        "aws:region": {"value": "eu-central-1", "secret": False},
        "wire:environment": {"value": "prod", "secret": False},
        "wire:production": {"value": "true", "secret": False},
        "wire:domain": {"value": "example.com", "secret": False},
        "wire:serviceCredentials": {"value": "{}", "objectValue": {"mode": "staticKeys"}, "secret": False},
        "wire:email": {
            "value": "{}",
            "objectValue": {"mode": "ses", "sender": "no-reply@example.com"},
            "secret": False,
        },
        "wire:secrets": {
            "value": "{}",
            "objectValue": {"turnSecret": "decrypted", "zauthPublicKeys": "p", "zauthPrivateKeys": "q"},
            "secret": True,
        },
        "wire:databases": {
            "value": "{}",
            "objectValue": {
                "rabbitmq": {"host": "rabbitmq", "username": "u", "password": "p"},
                "postgresql": {"host": "postgresql", "password": "pg"},
            },
            "secret": True,
        },
    }
    cfg = config_from_pulumi_json(document, "config.json")
    assert cfg.secrets.turn_secret is not None and cfg.secrets.turn_secret.get_secret_value() == "decrypted"
    with pytest.raises(ValuesProblem, match="is not what"):
        config_from_pulumi_json(["not", "an", "object"], "config.json")
