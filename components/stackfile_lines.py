"""Where each config key of a stack file is written: problems naming a `wire:` (or `aws:`) key get its line.

A problem of the configuration starts with the full key it is about (`wire:adopt.aws.emailQueue: ...`);
read from a stack file, it is reported as `Pulumi.prod.yaml line 42: wire:adopt.aws.emailQueue: ...`, the
form of the file's own problems. A key the file does not write (a required key left out) is named at the
line of its closest written parent, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import yaml

# `ns:key`, then `.child` and `[index]` steps, as the problems spell keys.
_KEY = re.compile(r"^(?P<key>[A-Za-z][\w-]*:[A-Za-z][\w-]*(?:\.[^\s.:\[\]()]+|\[\d+\])*)")
_STEP = re.compile(r"\.[^.\[\]]+|\[\d+\]")


def config_lines(config_node: yaml.Node | None, full_key: Callable[[str], str | None]) -> dict[str, int]:
    """`wire:adopt.aws.emailQueue` -> line, for every key and list item under `config:`."""
    found: dict[str, int] = {}
    if not isinstance(config_node, yaml.MappingNode):
        return found
    for key_node, value_node in config_node.value:
        key = full_key(str(key_node.value)) if isinstance(key_node, yaml.ScalarNode) else None
        if key is None:
            continue
        found.setdefault(key, key_node.start_mark.line + 1)
        _walk(value_node, key, found)
    return found


def _walk(node: yaml.Node, path: str, found: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{path}.{key_node.value}"
            found.setdefault(key, key_node.start_mark.line + 1)
            _walk(value_node, key, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = f"{path}[{index}]"
            found.setdefault(key, item.start_mark.line + 1)
            _walk(item, key, found)


def line_of_key(key: str, lines: Mapping[str, int]) -> int | None:
    """The line of `key`, else of its closest parent the file writes; None when not even its top key is there."""
    match = re.match(r"^([^.\[]+)", key)
    if match is None:
        return None
    steps = [match.group(1), *_STEP.findall(key[match.end() :])]
    while steps:
        line = lines.get("".join(steps))
        if line is not None:
            return line
        steps.pop()
    return None


def with_lines(problems: Iterable[str], lines: Mapping[str, int], source: str) -> list[str]:
    """Each problem about a written key prefixed with `<source> line <n>: `; others as they are."""
    annotated = []
    for problem in problems:
        match = _KEY.match(problem)
        line = line_of_key(match.group("key"), lines) if match else None
        annotated.append(f"{source} line {line}: {problem}" if line is not None else problem)
    return annotated
