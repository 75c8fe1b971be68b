"""wire-infra: real AWS infrastructure for a self-hosted Wire backend, and its helm releases.

The only place that reads the stack configuration. A bad configuration stops the program here,
with every problem listed and no traceback, before any resource is registered.
"""

from pathlib import Path
from typing import Any

import pulumi

from components.config import ConfigError, StackConfig
from components.config.loading import parse_value
from components.stack import build
from components.stack_loading import load_stack


def read_stack_config() -> tuple[StackConfig, dict[str, Any]]:
    """The validated `wire:` namespace and the `aws:` provider settings (secrets as secret Outputs)."""
    # pulumi.Config can only fetch keys it is asked for; enumerating every key is what lets a misspelt
    # key (or namespace) be reported instead of silently ignored.
    # The language host hands every key over in PULUMI_CONFIG (secure values decrypted) and names the
    # secret top-level keys in PULUMI_CONFIG_SECRET_KEYS; is_config_secret adds any a host marked in-process.
    values = pulumi.runtime.get_config_env()
    secret_keys = set(pulumi.runtime.get_config_secret_keys_env())
    secret_keys |= {key for key in values if pulumi.runtime.is_config_secret(key)}
    config = {key: parse_value(value) for key, value in values.items()}
    try:
        # Layered values files are named relative to the project, wherever the program is started from; the
        # project is where __main__.py is found, not where a symlinked __main__.py points (as StackFile reads it).
        cfg = load_stack(config, secret_keys=secret_keys, base_dir=Path(__file__).absolute().parent).config
    except ConfigError as error:
        # The same report as the offline plan's, with the line of each key in the stack file when it is here.
        from components.stackfile import problems_with_lines

        root = Path(__file__).absolute().parent
        raise pulumi.RunError(str(ConfigError(problems_with_lines(error.problems, pulumi.get_stack(), root)))) from None
    aws = {
        key.removeprefix("aws:"): pulumi.Output.secret(value) if key in secret_keys else value
        for key, value in config.items()
        if key.startswith("aws:")
    }
    return cfg, aws


program = build(*read_stack_config())
