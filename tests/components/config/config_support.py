"""A minimal valid configuration to vary, and helpers that load one or collect its problems."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, StackConfig, load_config

OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC123"


def base(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "environment": "prod",
        "production": True,
        "domain": "example.com",
        "serviceCredentials": {"mode": "irsa", "oidcProviderArn": OIDC},
        "email": {"mode": "ses", "sender": "no-reply@example.com"},
    }
    values.update(overrides)
    return values


def load(values: dict[str, Any], *, secret_keys: set[str] = frozenset(), region: str = "eu-central-1") -> StackConfig:
    return load_config(values, region=region, secret_keys=secret_keys, allow_missing_secrets=True).config


def problems(values: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(values, region=kwargs.pop("region", "eu-central-1"), allow_missing_secrets=True, **kwargs)
    return caught.value.problems


EXTERNAL = {
    "account": "123456789012",
    "region": "eu-west-1",
    "queueName": "staging-gundeck-events",
    "arnEnv": "staging",
    "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
    "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
    "awsKeyId": "AKIAEXAMPLE",
}
