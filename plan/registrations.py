"""What the offline evaluation records of each registration: its inputs and outputs as the engine sees them.

Secret inputs are recorded as `Secret(value)` (`redact_secrets()` turns them into `[secret]`), values only the
real apply will know as "(known after apply)".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import rpc

from components.outputs import REDACTED, any_marked, map_marked

# How a value only the real apply will know is shown (as `pulumi preview` does).
KNOWN_AFTER_APPLY = "(known after apply)"
# An input the engine takes from the live resource at an import (an ignored one), unknown offline.
LIVE_VALUE = "(the live resource's value)"


@dataclass(frozen=True)
class Secret:
    """An input value the program marked secret."""

    value: Any


def redact_secrets(value: Any) -> Any:
    return map_marked(value, Secret, lambda _secret: REDACTED)


def reveal_secrets(value: Any) -> Any:
    return map_marked(value, Secret, lambda secret: reveal_secrets(secret.value))


def show_unknowns(value: Any) -> Any:
    """Every unknown value (a first preview's computed outputs) as "(known after apply)"."""
    return map_marked(value, Unknown, lambda _unknown: KNOWN_AFTER_APPLY)


def contains_secret(value: Any) -> bool:
    return any_marked(value, Secret)


def from_rpc(value: Any) -> Any:
    if isinstance(value, Unknown):
        return KNOWN_AFTER_APPLY
    if rpc.is_rpc_secret(value):
        return Secret(from_rpc(rpc.unwrap_rpc_secret(value)))
    if isinstance(value, dict):
        return {key: from_rpc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_rpc(item) for item in value]
    if isinstance(value, pulumi.Resource):
        return f"<resource {type(value).__name__}>"
    return value


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str | None
    dependencies: list[str]
    custom: bool
    protect: bool
    retain_on_delete: bool
    provider: str | None
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    additional_secret_outputs: list[str] = field(default_factory=list)
    read: bool = False
    # Registered from inside an Output.apply callback: such a resource may be absent from a preview.
    in_apply: bool = False
    delete_before_replace: bool = False
    # Names of the `aliases=` specs (old names this resource adopts).
    alias_names: list[str] = field(default_factory=list)
    # `import_=`: the id of the live resource this registration adopts, and what it ignores while doing so.
    import_id: str | None = None
    ignore_changes: list[str] = field(default_factory=list)

    def stored_inputs(self) -> dict[str, Any]:
        """The inputs the engine stores for this registration.

        At an import the engine sets every ignored input to the live resource's, before Check and Diff
        (pulumi/pulumi pkg/resource/deploy/step.go, `ImportStep.Apply`: processIgnoreChanges), so the import
        checkpoint holds those live values, as the provider read them (`LIVE_VALUE` here).
        """
        if not self.import_id:
            return self.inputs
        ignored = set(self.ignore_changes)
        return {key: LIVE_VALUE if key in ignored else value for key, value in self.inputs.items()} | {
            key: LIVE_VALUE for key in ignored if key not in self.inputs
        }
