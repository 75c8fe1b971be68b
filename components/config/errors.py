"""The one error a bad stack configuration raises: every problem at once."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ConfigError(Exception):
    """All problems of a stack configuration, each naming its `wire:` key and the fix."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"The stack configuration has {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)
