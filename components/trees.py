"""Merging values trees the way helm merges values files (no Pulumi, no configuration here)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` merged into a copy of `base`: maps merge recursively, anything else (lists too) replaces."""
    merged = copy.copy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def fill_missing(tree: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """`tree` with every key of `defaults` it lacks added (maps recursively); what `tree` has always stays."""
    filled = copy.copy(tree)
    for key, value in defaults.items():
        if key not in filled:
            filled[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(filled[key], dict):
            filled[key] = fill_missing(filled[key], value)
    return filled


def leaves(tree: Any, key_text: Callable[[Any], str] = str, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every leaf: `a.b[0].c`, each key spelt by `key_text`."""
    if isinstance(tree, Mapping):
        for key, value in tree.items():
            yield from leaves(value, key_text, f"{path}.{key_text(key)}" if path else key_text(key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from leaves(value, key_text, f"{path}[{index}]")
    else:
        yield path, tree
