"""Read a `Pulumi.<stack>.yaml` without the Pulumi CLI (offline plan, verify).

Pulumi stores config as `<namespace>:<key>: value`; a secret is `{secure: <ciphertext>}`, also nested
inside objects. Without the stack's secrets provider the ciphertext cannot be decrypted, so each
secure value becomes the placeholder `[secret]` and its top-level key is reported as secret, exactly
as the Pulumi runtime marks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from components.config import NAMESPACE, PLACEHOLDER, LoadedConfig, load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class StackFile:
    name: str
    # Every config key with its namespace ("wire:domain", "aws:region"), values decoded.
    config: dict[str, Any]
    # Keys ("wire:email") whose value is or contains a secure value.
    secret_keys: frozenset[str]

    def namespace(self, namespace: str = NAMESPACE) -> dict[str, Any]:
        prefix = f"{namespace}:"
        return {key.removeprefix(prefix): value for key, value in self.config.items() if key.startswith(prefix)}

    @property
    def wire_secret_keys(self) -> set[str]:
        prefix = f"{NAMESPACE}:"
        return {key.removeprefix(prefix) for key in self.secret_keys if key.startswith(prefix)}

    @property
    def region(self) -> str | None:
        return self.config.get("aws:region")

    def load(self, *, allow_missing_secrets: bool = True, region: str | None = None) -> LoadedConfig:
        """Validate the `wire:` namespace (required secrets not set yet are listed, not errors, by default)."""
        return load_config(
            self.namespace(),
            region=region or self.region,
            secret_keys=self.wire_secret_keys,
            allow_missing_secrets=allow_missing_secrets,
        )

    def as_pulumi_config(self) -> dict[str, str]:
        """Config in the runtime's form: strings, objects as JSON (what `pulumi up` hands the program)."""
        return {key: value if isinstance(value, str) else json.dumps(value) for key, value in self.config.items()}


def stack_path(stack: str, root: Path = PROJECT_ROOT) -> Path:
    return root / f"Pulumi.{stack}.yaml"


def read_stack_file(stack: str, root: Path = PROJECT_ROOT) -> StackFile:
    path = stack_path(stack, root)
    if not path.exists():
        known = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in root.glob("Pulumi.*.yaml"))
        raise FileNotFoundError(f"no stack file {path.name}; known stacks: {', '.join(known) or 'none'}")
    document = yaml.safe_load(path.read_text()) or {}
    raw = document.get("config") or {}
    config: dict[str, Any] = {}
    secret_keys: set[str] = set()
    for key, value in raw.items():
        decoded, secret = _decode(value)
        config[key] = decoded
        if secret:
            secret_keys.add(key)
    return StackFile(name=stack, config=config, secret_keys=frozenset(secret_keys))


def _decode(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return PLACEHOLDER, True
        items = {key: _decode(item) for key, item in value.items()}
        return {key: item for key, (item, _) in items.items()}, any(secret for _, secret in items.values())
    if isinstance(value, list):
        items = [_decode(item) for item in value]
        return [item for item, _ in items], any(secret for _, secret in items)
    return value, False
