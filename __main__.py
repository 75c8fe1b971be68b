"""wire-infra: real AWS infrastructure for a self-hosted Wire backend, and its helm releases.

The only place that reads the stack configuration. A bad configuration stops the program here,
with every problem listed and no traceback, before any resource is registered.
"""

import pulumi
from pulumi.runtime import config as runtime_config

from components.config import NAMESPACE, ConfigError, load_config
from components.stack import build


def read_stack_config():
    # pulumi.Config can only fetch keys it is asked for; enumerating the namespace is what lets a
    # misspelt key be reported instead of silently ignored.
    values = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret_keys = set(runtime_config.get_config_secret_keys_env()) | set(runtime_config._SECRET_KEYS.get())
    prefix = f"{NAMESPACE}:"
    wire = {key.removeprefix(prefix): value for key, value in values.items() if key.startswith(prefix)}
    wire_secrets = {key.removeprefix(prefix) for key in secret_keys if key.startswith(prefix)}
    try:
        return load_config(wire, region=pulumi.Config("aws").get("region"), secret_keys=wire_secrets).config
    except ConfigError as error:
        raise pulumi.RunError(str(error)) from None


program = build(read_stack_config())
