"""Keys of `wire:extraValues` that override a value the program computes: reported once per release.

extraValues is merged last, so it wins over everything computed, on purpose (the escape hatch for what the
program does not model). But a key the program computes follows from the stack's configuration and its AWS
resources: an override nobody sees goes stale when the configuration changes (a copied example's
`setFederationDomain` after a new `wire:domain`). Each such key is named with both values; a secret's values
(a SecretStr, or any key under a `secrets` map) are never shown.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from components.config import StackConfig
from components.config.layered import conflict_paths
from components.k8s.values.common import EXTRA_VALUES_KEY
from components.outputs import AwsOutputs

_SHOWN_LENGTH = 80


def extra_value_overrides(cfg: StackConfig, aws: AwsOutputs) -> list[str]:
    """One warning per release whose extraValues replace computed values (empty without extraValues)."""
    if not any(cfg.extra_values.values()):
        return []
    from components.k8s.values import release_values

    computed = release_values(cfg.model_copy(update={"extra_values": {}}), aws)
    return overrides_of(cfg, computed)


def overrides_of(cfg: StackConfig, computed: dict[str, dict[str, Any]]) -> list[str]:
    """The warnings for `computed` (release name -> the values the program computes without extraValues)."""
    found = []
    for release, tree in computed.items():
        key = EXTRA_VALUES_KEY.get(release)
        extra = cfg.extra_values.get(key) if key else None
        paths = conflict_paths(extra, tree) if extra else []
        if not paths:
            continue
        shown = ", ".join(_describe(path, _at(tree, path), _at(extra, path)) for path in paths)
        found.append(
            f"wire:extraValues.{key} overrides values the program computes: {shown}. The computed value follows from "
            "the stack's configuration (and its AWS resources) and would change with it; set the wire: key that "
            "computes it instead, or remove the override if it is a leftover (e.g. of a copied example)"
        )
    return found


def _at(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree


def _describe(path: tuple[str, ...], computed: Any, extra: Any) -> str:
    name = ".".join(path)
    if "secrets" in path or isinstance(computed, SecretStr) or isinstance(extra, SecretStr):
        return f"{name} (a secret: values not shown)"
    return f"{name} (computed {_short(computed)}, extraValues {_short(extra)})"


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else (str(value) if not isinstance(value, dict | list) else "a map")
    if isinstance(value, list):
        text = "a list"
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"
