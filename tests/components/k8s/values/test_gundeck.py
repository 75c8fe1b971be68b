"""gundeck's push keys in every push mode."""

from __future__ import annotations

import pytest
import yaml

from components.k8s.values.dump import values_yaml
from tests.components.k8s.k8s_support import ACCOUNT, make_cfg
from tests.components.k8s.values.values_support import EXTERNAL_PUSH, ws


@pytest.mark.parametrize(
    ("push", "expected"),
    [
        ({"mode": "disabled"}, (ACCOUNT, "eu-central-1", "staging", "staging-gundeck-events")),
        ({"mode": "create"}, (ACCOUNT, "eu-central-1", "staging", "staging-gundeck-events")),
        (EXTERNAL_PUSH, ("098765432109", "eu-west-1", "acme", "acme-gundeck-events")),
    ],
)
def test_gundeck_has_all_six_aws_keys_in_every_push_mode(push: dict, expected: tuple) -> None:
    aws = ws(make_cfg(push=push))["gundeck"]["config"]["aws"]
    assert set(aws) == {"account", "region", "arnEnv", "queueName", "sqsEndpoint", "snsEndpoint"}
    assert (aws["account"], aws["region"], aws["arnEnv"], aws["queueName"]) == expected
    assert all(isinstance(value, str) and value for value in aws.values())


def test_gundeck_account_is_a_quoted_string_in_yaml() -> None:
    aws = ws(make_cfg())["gundeck"]["config"]["aws"]
    assert type(aws["account"]) is str
    text = values_yaml({"account": aws["account"]})
    assert text.strip() == f"account: '{ACCOUNT}'"
    assert yaml.safe_load(text)["account"] == ACCOUNT
