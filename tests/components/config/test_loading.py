"""Loading the `wire:` namespace: unknown keys, types and formats, every problem at once, the committed stacks."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError
from components.stackfile import read_stack_file
from tests.components.config.config_support import base, problems


def test_unknown_top_level_key_is_an_error_with_a_suggestion() -> None:
    found = problems(base(enviroment="prod"))
    assert found == [
        "wire:enviroment is not a known key (did you mean wire:environment?); remove it or fix the spelling"
    ]


def test_unknown_nested_key_is_an_error_naming_its_path() -> None:
    found = problems(base(cannon={"drain": {"gracePeriod": 10}}))
    assert found == [
        (
            "wire:cannon.drain.gracePeriod: is not a known key (did you mean gracePeriodSeconds?); "
            "remove it or fix the spelling"
        )
    ]


def test_aws_region_is_not_a_wire_key() -> None:
    assert "wire:region is not a known key" in problems(base(region="eu-west-1"))[0]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"domain": "Example_com"}, "wire:domain: 'Example_com' is not a valid DNS hostname"),
        ({"email": {"mode": "ses", "sender": "nobody"}}, "wire:email.sender: 'nobody' is not an email address"),
        ({"email": {"mode": "pigeon", "sender": "a@example.com"}}, "wire:email.mode: Input should be 'ses' or 'smtp'"),
        ({"proxy": {"httpProxy": "proxy:8080"}}, "wire:proxy.httpProxy: 'proxy:8080' is not an http(s) URL"),
        ({"replicas": {"brig": "three"}}, "wire:replicas.brig: Input should be a valid integer"),
        ({"environment": "Prod-1"}, "wire:environment: 'Prod-1' must be 1-20 lower-case letters and digits"),
    ],
)
def test_types_enums_hostnames_urls_and_emails_are_checked(overrides: dict[str, Any], expected: str) -> None:
    assert any(expected in problem for problem in problems(base(**overrides))), problems(base(**overrides))


def test_missing_region_names_the_aws_key() -> None:
    assert problems(base(), region="") == [
        "aws:region is required; set it: pulumi config set aws:region <region, e.g. eu-central-1>"
    ]


def test_all_problems_are_listed_at_once() -> None:
    found = problems(
        base(
            typo=1,
            domain="bad_domain",
            cannon={"drain": {"gracePeriodSeconds": 0}},
            nginz={"ignoredUpstreams": ["nginx"]},
        )
    )
    assert len(found) == 4
    assert str(ConfigError(found)).startswith("The stack configuration has 4 problem(s):")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_validate(stack: str) -> None:
    loaded = read_stack_file(stack).load()
    assert loaded.config.environment == stack
    assert "secrets.zauthPrivateKeys" in loaded.missing_secrets


def test_dev_stack_targets_a_local_emulator_for_every_service() -> None:
    stack_file = read_stack_file("dev")
    endpoints = stack_file.config["aws:endpoints"][0]
    for service in ("sqs", "sns", "ses", "sesv2", "dynamodb", "s3", "route53", "iam", "sts"):
        assert endpoints[service] == "http://localhost:4566", service
    assert stack_file.config["aws:skipCredentialsValidation"] is True
    assert stack_file.config["aws:s3UsePathStyle"] is True
