"""The service credentials section's rules."""

from __future__ import annotations

from tests.components.config.config_support import base, load, problems


def test_irsa_requires_the_oidc_provider() -> None:
    found = problems(base(serviceCredentials={"mode": "irsa"}))
    assert "mode 'irsa' needs oidcProviderArn" in found[0]
    assert (
        "mode 'irsa' needs oidcProviderArn"
        in problems({k: v for k, v in base().items() if k != "serviceCredentials"})[0]
    )


def test_static_keys_mode_needs_no_oidc_provider() -> None:
    assert load(base(serviceCredentials={"mode": "staticKeys"})).service_credentials.oidc_issuer is None


def test_oidc_issuer_is_derived_from_the_provider_arn() -> None:
    assert load(base()).service_credentials.oidc_issuer == "oidc.eks.eu-central-1.amazonaws.com/id/ABC123"
