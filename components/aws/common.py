"""Small shared pieces of the AWS components: resource options, encryption choices, tags."""

from __future__ import annotations

import pulumi
from pydantic import SecretStr

from components.config import PLACEHOLDER, StackConfig

MANAGED_BY = "pulumi"


def child(parent: pulumi.Resource, **kwargs) -> pulumi.ResourceOptions:
    """Options of a child resource; the parent also hands down its aws provider."""
    return pulumi.ResourceOptions(parent=parent, **kwargs)


def stateful(parent: pulumi.Resource, cfg: StackConfig, **kwargs) -> pulumi.ResourceOptions:
    """Options of a resource holding data: in production it can neither be deleted nor replaced by accident."""
    production = cfg.is_production
    return pulumi.ResourceOptions(parent=parent, protect=production, retain_on_delete=production, **kwargs)


def tags(component: str) -> dict[str, str]:
    """Per-resource tags; Environment and ManagedBy come from the provider's default tags."""
    return {"Component": component}


def default_tags(cfg: StackConfig) -> dict[str, str]:
    return {"Environment": cfg.environment, "Component": "wire-server", "ManagedBy": MANAGED_BY}


def secret_input(value: SecretStr | None) -> pulumi.Output[str]:
    """A SecretStr as a secret Output.

    A missing value only reaches here from the offline plan (`load_config(allow_missing_secrets=True)`);
    a real `pulumi up` refuses to load a config with a required secret missing.
    """
    return pulumi.Output.secret(value.get_secret_value() if value is not None else PLACEHOLDER)
