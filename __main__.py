"""wire-infra: real AWS infrastructure for a self-hosted Wire backend, and its helm releases.

The only place that reads the stack configuration. A bad configuration stops the program here,
with every problem listed and no traceback, before any resource is registered.
"""

import json
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from components.config import NAMESPACE, ConfigError, StackConfig, load_config
from components.stack import build


def read_stack_config() -> tuple[StackConfig, dict[str, Any]]:
    """The validated `wire:` namespace and the `aws:` provider settings (secrets as secret Outputs)."""
    # pulumi.Config can only fetch keys it is asked for; enumerating the namespace is what lets a
    # misspelt key be reported instead of silently ignored.
    values = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret_keys = set(runtime_config.get_config_secret_keys_env()) | set(runtime_config._SECRET_KEYS.get())
    wire = _namespace(values, NAMESPACE)
    wire_secrets = {key.removeprefix(f"{NAMESPACE}:") for key in secret_keys if key.startswith(f"{NAMESPACE}:")}
    stack_aws = _namespace(values, "aws")
    region = stack_aws.get("region")
    aws = {
        key: pulumi.Output.secret(value) if f"aws:{key}" in secret_keys else value for key, value in stack_aws.items()
    }
    try:
        cfg = load_config(wire, region=region if isinstance(region, str) else None, secret_keys=wire_secrets).config
    except ConfigError as error:
        raise pulumi.RunError(str(error)) from None
    return cfg, aws


def _namespace(values: dict[str, Any], namespace: str) -> dict[str, Any]:
    prefix = f"{namespace}:"
    return {key.removeprefix(prefix): _decode(value) for key, value in values.items() if key.startswith(prefix)}


def _decode(value: Any) -> Any:
    # The runtime hands objects, lists and booleans over as JSON text.
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value


program = build(*read_stack_config())
