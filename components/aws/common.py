"""Small shared pieces of the AWS components: resource options, encryption choices, tags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pulumi
from pydantic import SecretStr

from components.adoption import adoption_options
from components.config import PLACEHOLDER, StackConfig

MANAGED_BY = "pulumi"


def child(parent: pulumi.Resource, **kwargs) -> pulumi.ResourceOptions:
    """Options of a child resource; the parent also hands down its aws provider."""
    return pulumi.ResourceOptions(parent=parent, **kwargs)


def stateful(parent: pulumi.Resource, cfg: StackConfig, **kwargs) -> pulumi.ResourceOptions:
    """Options of a resource holding data: in production it can neither be deleted nor replaced by accident."""
    production = cfg.is_production
    return pulumi.ResourceOptions(parent=parent, protect=production, retain_on_delete=production, **kwargs)


def adopted(cfg: StackConfig, role: str, inputs: Iterable[str]) -> dict[str, Any]:
    """Options adopting the live resource `wire:adopt.aws.<role>` names (none when it names none).

    The provider's default tags are not ignored: they live in `tagsAll`, an output the SDK cannot translate
    (only Args names are: pulumi/runtime/resource.py `_translate_ignore_changes`), so an entry for it would
    ignore nothing. docs/migration.md says how to adopt a resource that lacks them.
    """
    return adoption_options(cfg, cfg.adopt.import_id(role), inputs)


def adopted_record(
    cfg: StackConfig, zone_id: str, fqdn: pulumi.Input[str], record_type: str | None, inputs: Iterable[str]
) -> dict[str, Any]:
    """Options adopting the live Route53 record `wire:adopt.dnsRecords` names for this name and type
    (`None`: an address record whose type the load balancer's address decides)."""
    if not isinstance(fqdn, str):  # a DKIM record, named by SES: adopted with `pulumi import` instead
        return {}
    return adoption_options(cfg, cfg.adopt.record_id(zone_id, fqdn, record_type), inputs)


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
