"""Values trees as YAML files (plan, snapshots)."""

from __future__ import annotations

from typing import Any

import yaml

from components.outputs import redact

# libyaml's emitter when PyYAML was built with it (the wheels are): the same text, several times faster.
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _ValuesDumper(_SafeDumper):
    """Quotes every string that another YAML parser could read as a number (e.g. an account id)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML leaves 012345678901 plain, but Go's YAML (helm) reads it as a float: quote digit strings.
    style = "'" if value.replace(".", "", 1).replace("_", "").isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ValuesDumper.add_representer(str, _represent_str)


def values_yaml(tree: Any) -> str:
    """A values tree as YAML for files (plan, snapshots): secrets redacted, numeric-looking strings quoted."""
    return yaml.dump(redact(tree), Dumper=_ValuesDumper, sort_keys=False, default_flow_style=False, width=1000)
