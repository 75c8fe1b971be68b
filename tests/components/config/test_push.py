"""The push section's rules."""

from __future__ import annotations

from tests.components.config.config_support import EXTERNAL, base, load, problems


def test_external_push_takes_arn_env_from_wire() -> None:
    cfg = load(base(push={"mode": "external", "external": EXTERNAL}))
    assert cfg.arn_env == "staging"


def test_external_push_queue_name_must_start_with_arn_env() -> None:
    found = problems(base(push={"mode": "external", "external": {**EXTERNAL, "arnEnv": "prod"}}))
    assert found == [
        "wire:push.external.queueName: 'staging-gundeck-events' must start with 'prod-': arnEnv must match the "
        "environment name, the first part of queueName (use the values Wire sent unchanged)"
    ]


def test_external_push_needs_all_six_aws_fields() -> None:
    found = problems(base(push={"mode": "external", "external": {"awsKeyId": "AKIA"}}))
    for field in ("account", "region", "queueName", "arnEnv", "snsEndpoint", "sqsEndpoint"):
        assert f"wire:push.external.{field} is required; set it" in found


def test_external_mode_needs_the_external_section() -> None:
    found = problems(base(push={"mode": "external"}))
    assert "wire:push.external: is required with mode 'external': the values Wire sent" in found[0]


def test_push_app_names_must_not_contain_a_dash() -> None:
    found = problems(base(push={"mode": "create", "apps": [{"name": "com-wire", "platform": "GCM"}]}))
    assert any("push.apps[0].name" in p for p in found), found


def test_push_apps_only_in_create_mode() -> None:
    found = problems(base(push={"mode": "disabled", "apps": [{"name": "app", "platform": "GCM"}]}))
    assert "only created in mode 'create'" in found[0]
