"""Every `aws:` setting reaches the one explicit provider; an unknown one is reported; no default provider is used."""

from __future__ import annotations

import inspect
import json

import pulumi
import pulumi_aws as aws
import pytest
import yaml

from components.aws.provider import provider_settings
from components.stackfile import PROJECT_ROOT
from plan.registrations import Secret
from tests.engine_support import encrypt, run_main, stack_document, with_required_secrets

PROVIDER = "pulumi:providers:aws"


def test_the_settings_are_the_provider_sdks_own() -> None:
    """Each key is one the AWS package itself reads from the `aws:` namespace (pulumi_aws.config)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pulumi_aws.config.vars")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text()
    settings = provider_settings()
    assert {"assumeRoles", "profile", "sharedCredentialsFiles", "token", "stsRegion", "retryMode"} <= set(settings)
    for key in settings:
        assert f"('{key}')" in source, key  # __config__.get('<key>'), get_bool, get_int, ...
    assert set(settings.values()) == {
        name for name in inspect.signature(aws.ProviderArgs.__init__).parameters if not name.startswith("_")
    }


def _provider_inputs(extra: dict) -> dict:
    config = with_required_secrets(stack_document("prod")) | extra
    evaluation = run_main(config)
    return evaluation.one(PROVIDER, "aws").inputs


def test_every_setting_reaches_the_provider_nested_objects_included() -> None:
    extra = {
        "aws:profile": "wire-admin",
        "aws:sharedCredentialsFiles": ["/etc/aws/credentials"],
        "aws:sharedConfigFiles": ["/etc/aws/config"],
        "aws:assumeRoles": [{"roleArn": "arn:aws:iam::210987654321:role/deployer", "sessionName": "wire"}],
        "aws:stsRegion": "eu-central-1",
        "aws:retryMode": "adaptive",
        "aws:maxRetries": 5,
        "aws:customCaBundle": "/etc/ssl/corp.pem",
        "aws:ignoreTags": {"keyPrefixes": ["kubernetes.io/"]},
        "aws:allowedAccountIds": ["210987654321"],
        "aws:token": encrypt("session-token"),
        "aws:defaultTags": {"tags": {"CostCenter": "chat", "Environment": "overridden"}},
    }
    inputs = _provider_inputs(extra)
    assert inputs["profile"] == "wire-admin"
    assert json.loads(inputs["assumeRoles"]) == [
        {"roleArn": "arn:aws:iam::210987654321:role/deployer", "sessionName": "wire"}
    ]
    assert json.loads(inputs["sharedCredentialsFiles"]) == ["/etc/aws/credentials"]
    assert json.loads(inputs["sharedConfigFiles"]) == ["/etc/aws/config"]
    assert inputs["stsRegion"] == "eu-central-1" and inputs["retryMode"] == "adaptive"
    assert str(inputs["maxRetries"]) == "5" and inputs["customCaBundle"] == "/etc/ssl/corp.pem"
    assert json.loads(inputs["ignoreTags"]) == {"keyPrefixes": ["kubernetes.io/"]}
    assert json.loads(inputs["allowedAccountIds"]) == ["210987654321"]
    assert inputs["token"] == Secret("session-token")
    tags = json.loads(inputs["defaultTags"])["tags"]
    # The stack's tags are kept; ours win where both set one.
    assert tags == {"CostCenter": "chat", "Environment": "prod", "Component": "wire-server", "ManagedBy": "pulumi"}


def test_an_unknown_aws_key_is_reported_with_the_wire_problems() -> None:
    config = with_required_secrets(stack_document("prod")) | {"aws:asumeRoles": [], "wire:enviroment": "x"}
    with pytest.raises(pulumi.RunError) as caught:
        run_main(config)
    message = str(caught.value)
    assert "The stack configuration has 2 problem(s)" in message
    assert "aws:asumeRoles is not a setting of the AWS provider (did you mean aws:assumeRoles?)" in message
    assert "wire:enviroment is not a known key" in message


@pytest.mark.parametrize("preview", [False, True])
def test_every_resource_and_invoke_names_an_explicit_provider(preview: bool) -> None:
    evaluation = run_main(with_required_secrets(stack_document("prod")), preview=preview)
    for registration in evaluation.resources:
        if registration.custom and registration.type.startswith(("aws:", "kubernetes:")):
            assert registration.provider and "::default" not in registration.provider, registration.urn
    assert evaluation.invokes
    for token, provider in evaluation.invokes:
        assert provider and "::default" not in provider, token


def test_default_providers_are_disabled_for_every_stack() -> None:
    project = yaml.safe_load((PROJECT_ROOT / "Pulumi.yaml").read_text())
    assert project["config"]["pulumi:disable-default-providers"] == {"value": ["*"]}
