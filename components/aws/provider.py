"""The one explicit AWS provider, configured from every setting of the stack's `aws:` namespace.

An explicit provider ignores the `aws:` namespace (only a default provider reads it), so each setting is
handed over here: credentials and profiles, assumed roles, endpoints, retries, CA bundle, ignored and
default tags, allowed accounts... The list of settings is the provider SDK's own `ProviderArgs`, so a
setting added by a provider upgrade is passed on without a change here (an `aws:` key that is no such
setting is reported when the stack is loaded: components/stack_loading.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import pulumi_aws as aws
from pydantic.alias_generators import to_camel

from components.aws.common import default_tags
from components.config import StackConfig

# Set by the program itself: the region comes from wire's validated region (which is aws:region).
_OWN = {"region"}


def provider_settings() -> dict[str, str]:
    """Every `aws:` config key the provider takes (camelCase, as in a stack file) → its ProviderArgs argument."""
    parameters = inspect.signature(aws.ProviderArgs.__init__).parameters
    return {to_camel(name): name for name in parameters if not name.startswith("_") and name != "self"}


def merged_default_tags(cfg: StackConfig, stack_tags: Any) -> dict[str, Any]:
    """The stack's `aws:defaultTags` plus ours; ours win (the policy pack and tooling rely on them)."""
    given = stack_tags.get("tags") if isinstance(stack_tags, Mapping) else None
    return {**dict(given or {}), **default_tags(cfg)}


def create_provider(
    cfg: StackConfig, stack_aws: Mapping[str, Any] | None = None, *, region: str | None = None, name: str = "aws"
) -> aws.Provider:
    """The AWS provider of every resource and invoke; `stack_aws` is the `aws:` namespace without prefix.

    With `region`, the same settings for another region (`aws-replica`: the replica of the assets bucket).
    """
    given = dict(stack_aws or {})
    settings: dict[str, Any] = {}
    for key, arg in provider_settings().items():
        value = given.get(key)
        if value is None or key in _OWN or key == "defaultTags":
            continue
        # Nested objects keep the stack file's camelCase keys: the SDK hands provider settings to the
        # provider as JSON unchanged, and the provider's schema is camelCase (`roleArn`, `keyPrefixes`).
        settings[arg] = value
    tags = merged_default_tags(cfg, given.get("defaultTags"))
    return aws.Provider(
        name,
        region=region or cfg.region,
        default_tags=aws.ProviderDefaultTagsArgs(tags=tags),
        **settings,
    )
