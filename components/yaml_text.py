"""YAML text read with libyaml's parser when PyYAML was built with it (its wheels are): the same values and
line marks as PyYAML's own reader (tests/components/test_yaml_text.py), about ten times faster. Rendered
manifests, service configurations and operators' values files run to megabytes per stack."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """`yaml.safe_load`."""
    return yaml.load(text, Loader=SAFE_LOADER)


def load_all(text: str) -> Iterator[Any]:
    """`yaml.safe_load_all`."""
    return yaml.load_all(text, Loader=SAFE_LOADER)


def compose(text: str) -> yaml.Node | None:
    """`yaml.compose` with the safe loader: the node tree, for line numbers."""
    return yaml.compose(text, Loader=SAFE_LOADER)
