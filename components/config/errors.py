"""The one error a bad stack configuration raises: every problem at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ConfigError(Exception):
    """All problems of a stack configuration, each naming its `wire:` key and the fix."""

    problems: list[str] = field(default_factory=list)
    # The top-level sections that validated on their own (StackConfig field names -> values): checks that
    # read only some sections (wire:adopt against what the stack creates) still run beside the problems.
    sections: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        lines = [f"The stack configuration has {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)
