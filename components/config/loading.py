"""Reading the `wire:` namespace of a stack into a `StackConfig`, and describing what is wrong with it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from components.config.errors import ConfigError
from components.config.secrets import required_secrets, secret_paths
from components.config.stack import StackConfig

NAMESPACE = "wire"


@dataclass(frozen=True)
class LoadedConfig:
    config: StackConfig
    missing_secrets: tuple[str, ...] = ()
    """Required secrets not set yet (only tolerated by the offline plan, which fills placeholders)."""


_FIELDS = {info.alias or name: name for name, info in StackConfig.model_fields.items()}
_NOT_IN_WIRE = {"region"}


def load_config(
    values: Mapping[str, Any],
    *,
    region: str | None,
    secret_keys: Iterable[str] = (),
    allow_missing_secrets: bool = False,
) -> LoadedConfig:
    """Validate the `wire:` namespace of a stack.

    `values` maps keys without the `wire:` prefix to their values (strings holding JSON are parsed);
    `secret_keys` are the top-level keys whose value is (or contains) a `secure:` value.
    Raises ConfigError listing every problem at once.
    """
    data: dict[str, Any] = {}
    problems: list[str] = []
    for key, raw in values.items():
        if key not in _FIELDS or key in _NOT_IN_WIRE:
            hint = _close_key(key)
            problems.append(f"wire:{key} is not a known key{hint}; remove it or fix the spelling")
            continue
        data[key] = _parse(raw)
    data["region"] = region or ""
    try:
        cfg = StackConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(problems + _describe(error)) from None
    if problems:
        raise ConfigError(problems)

    secret_keys = set(secret_keys)
    present = secret_paths(cfg)
    for path in present:
        top = path.split(".")[0].split("[")[0]
        if top not in secret_keys:
            problems.append(
                f"wire:{path} is stored in plain text; encrypt it: "
                f"pulumi config set --secret --path '{NAMESPACE}:{path}' <value>"
            )
    missing = [path for path in required_secrets(cfg) if path not in present]
    if missing and not allow_missing_secrets:
        problems += [
            f"wire:{path} is required; set it: pulumi config set --secret --path '{NAMESPACE}:{path}' <value>"
            for path in missing
        ]
    if problems:
        raise ConfigError(problems)
    return LoadedConfig(cfg, tuple(missing))


def _parse(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _describe(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = ".".join(str(part) if not isinstance(part, int) else f"[{part}]" for part in item["loc"])
        loc = loc.replace(".[", "[")
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "is not a known key; remove it or fix the spelling"
        elif item["type"] == "missing":
            message = "is required"
        if not loc:
            problems += [f"{line}" for line in message.splitlines()]
        elif loc == "region":
            problems.append("aws:region is required: pulumi config set aws:region <region>")
        else:
            lines = message.splitlines()
            problems += [f"wire:{loc}: {line}" for line in lines]
    return problems


def _close_key(key: str) -> str:
    import difflib

    match = difflib.get_close_matches(key, [k for k in _FIELDS if k not in _NOT_IN_WIRE], n=1)
    return f" (did you mean wire:{match[0]}?)" if match else ""
