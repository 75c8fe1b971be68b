"""A whole stack's config (namespaced keys, as the CLI or the runtime hands it over) into the config model.

`load_stack` is the one entry point of `__main__.py`, the offline plan and verify: the same config gives the
same report. Beyond the `wire:` namespace (components/config) it reports keys the program would never read:
a misspelt namespace, a `wire:` key written in another namespace, an `aws:` key the AWS provider does not know.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from components.adoption import adoption_problems, partial_adoption_problems
from components.config import NAMESPACE, ConfigError, LoadedConfig, load_config
from components.config.loading import FIELDS, missing_secret_problem

# Namespaces the program (or its providers) read.
KNOWN_NAMESPACES = (NAMESPACE, "aws", "kubernetes", "pulumi")


def load_stack(
    config: Mapping[str, Any],
    *,
    secret_keys: Iterable[str] = (),
    secure_paths: Iterable[str] | None = None,
    problems: Iterable[str] = (),
    region: str | None = None,
    allow_missing_secrets: bool = False,
    base_dir: Path | None = None,
) -> LoadedConfig:
    """Validate a whole stack config (namespaced keys, as the CLI or the runtime hands it over).

    The one entry point of the offline plan, verify and `__main__.py`: the same config gives the same report.
    """
    found = list(problems) + namespace_problems(config)
    prefix = f"{NAMESPACE}:"
    wire = {key.removeprefix(prefix): value for key, value in config.items() if key.startswith(prefix)}
    wire_secrets = {key.removeprefix(prefix) for key in secret_keys if key.startswith(prefix)}
    stack_region = config.get("aws:region")
    if secure_paths is not None:
        secure_paths = [path for path in secure_paths if path.startswith(prefix)]
    arguments: dict[str, Any] = dict(
        region=region or (stack_region if isinstance(stack_region, str) else None),
        secret_keys=wire_secrets,
        secure_paths=None
        if secure_paths is None
        else {p.removeprefix(prefix) for p in secure_paths if p.startswith(prefix)},
        base_dir=base_dir,
    )
    try:
        # Missing secrets aside, so a stack whose only other problems are wire:adopt's gets them reported too.
        loaded = load_config(wire, allow_missing_secrets=True, **arguments)
    except ConfigError:
        try:
            load_config(wire, allow_missing_secrets=allow_missing_secrets, **arguments)
        except ConfigError as error:
            # wire:adopt is matched with what the stack creates whenever the sections that decides validated.
            raise ConfigError(found + error.problems + partial_adoption_problems(error.sections)) from None
        raise
    if not allow_missing_secrets:
        found += [missing_secret_problem(path) for path in loaded.missing_secrets]
        loaded = LoadedConfig(loaded.config)
    # Only over a configuration that validated: the entries are matched with what the program creates.
    found += adoption_problems(loaded.config)
    unnamed_cluster = loaded.config.kubernetes.unnamed_cluster_problem()
    if unnamed_cluster:
        found.append(unnamed_cluster + _provider_namespace_hint(config))
    if found:
        raise ConfigError(found)
    return loaded


def _provider_namespace_hint(config: Mapping[str, Any]) -> str:
    """`kubernetes:context` / `kubernetes:kubeconfig` configure only the default provider, which Pulumi.yaml
    disables: the program's provider never reads them."""
    keys = [key for key in ("kubernetes:context", "kubernetes:kubeconfig") if config.get(key)]
    if not keys:
        return ""
    moves = ", ".join(f"{key} to wire:kubernetes.{key.split(':', 1)[1]}" for key in keys)
    return f" ({' and '.join(keys)} configure only the default provider, which this project disables: move {moves})"


def namespace_problems(config: Mapping[str, Any]) -> list[str]:
    """Keys the program would never read: a misspelt namespace, or a wire key in another namespace."""
    found = []
    for key in sorted(config):
        namespace, _, name = key.partition(":")
        if namespace == "aws" and name not in aws_provider_keys():
            close = difflib.get_close_matches(name, sorted(aws_provider_keys()), n=1)
            hint = f" (did you mean aws:{close[0]}?)" if close else ""
            found.append(f"{key} is not a setting of the AWS provider{hint}; fix the spelling or remove it")
            continue
        if namespace in KNOWN_NAMESPACES:
            continue
        if name in FIELDS:
            found.append(
                f"{key}: the program reads {NAMESPACE}:{name} (namespace '{NAMESPACE}', the project name); "
                f"rename the key to {NAMESPACE}:{name}"
            )
            continue
        close = difflib.get_close_matches(namespace, KNOWN_NAMESPACES, n=1, cutoff=0.6)
        if close:
            found.append(f"{key}: unknown namespace '{namespace}' (did you mean {close[0]}:{name}?); fix the namespace")
    return found


@cache
def aws_provider_keys() -> frozenset[str]:
    """The `aws:` settings the pinned AWS provider reads, from its own SDK's config module."""
    from pulumi_aws.config import vars as provider_config

    source = inspect.getsource(provider_config)
    return frozenset(re.findall(r"__config__\.get\w*\('(\w+)'\)", source))
