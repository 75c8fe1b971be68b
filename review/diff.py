"""Pure differences between two offline plans (dict vs dict, text vs text).

Secrets are already `[secret]` in both plans, so a changed secret shows as unchanged (`[secret]` ->
`[secret]` is no change) and a secret that appears or disappears shows as `[secret]`: nothing here can
reveal one.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from plan.counting import counted

# Resource options a reviewer must see change: losing `protect` makes a deletion possible.
OPTION_KEYS = ("protect", "retainOnDelete", "parent")
MISSING = "(absent)"


@dataclass(frozen=True)
class PropertyChange:
    path: str
    old: Any
    new: Any

    def describe(self) -> str:
        return f"{self.path}: {_short(self.old)} → {_short(self.new)}"


@dataclass(frozen=True)
class ChangedResource:
    urn: str
    type: str
    name: str
    changes: tuple[PropertyChange, ...]
    # An AWS or Kubernetes resource (plan/counting.py), not a component, provider or object only read.
    counted: bool = True


@dataclass(frozen=True)
class ResourceDiff:
    added: list[Mapping[str, Any]] = field(default_factory=list)
    removed: list[Mapping[str, Any]] = field(default_factory=list)
    changed: list[ChangedResource] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def only_counted(self) -> ResourceDiff:
        """Only the AWS and Kubernetes resources, counted as the plan summary counts them (plan/counting.py)."""
        return ResourceDiff(
            added=[r for r in self.added if counted(r)],
            removed=[r for r in self.removed if counted(r)],
            changed=[c for c in self.changed if c.counted],
        )

    def not_counted(self) -> ResourceDiff:
        """Components, providers and objects only read: shown apart (a provider's change matters), never counted."""
        return ResourceDiff(
            added=[r for r in self.added if not counted(r)],
            removed=[r for r in self.removed if not counted(r)],
            changed=[c for c in self.changed if not c.counted],
        )


def _short(value: Any, limit: int = 200) -> str:
    if value is MISSING:
        return MISSING
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_document(value: Any) -> Any:
    """A JSON object/array held in a string (policy documents, redrive policies), else None."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return None
    return None


def diff_values(old: Any, new: Any, path: str = "") -> list[PropertyChange]:
    """Changed leaf paths between two JSON-like trees (`a.b[0].c`), JSON strings compared parsed."""
    if old == new:
        return []
    parsed_old, parsed_new = _json_document(old), _json_document(new)
    if parsed_old is not None and parsed_new is not None:
        # Compare documents, not their spelling: `policy.Statement[0].Action` instead of one long string.
        return diff_values(parsed_old, parsed_new, path)
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        changes: list[PropertyChange] = []
        for key in sorted(set(old) | set(new), key=str):
            child = f"{path}.{key}" if path else str(key)
            changes += diff_values(old.get(key, MISSING), new.get(key, MISSING), child)
        return changes
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):
            changes = []
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                changes += diff_values(a, b, f"{path}[{index}]")
            return changes
        # Items came or went (a DNS host, a policy statement): name them instead of two long lists.
        removed = [PropertyChange(f"{path}[-]", item, MISSING) for item in old if item not in new]
        added = [PropertyChange(f"{path}[+]", MISSING, item) for item in new if item not in old]
        if removed or added:
            return removed + added
    return [PropertyChange(path or "(value)", old, new)]


def diff_resources(base: Mapping[str, Any], head: Mapping[str, Any]) -> ResourceDiff:
    """Resources added, removed and changed (inputs and options) between two plans, by URN."""
    old = {r["urn"]: r for r in base.get("resources", [])}
    new = {r["urn"]: r for r in head.get("resources", [])}
    result = ResourceDiff(
        added=[new[urn] for urn in sorted(new.keys() - old.keys())],
        removed=[old[urn] for urn in sorted(old.keys() - new.keys())],
    )
    for urn in sorted(old.keys() & new.keys()):
        a, b = old[urn], new[urn]
        changes = diff_values(a.get("inputs") or {}, b.get("inputs") or {})
        for key in OPTION_KEYS:
            if a.get(key) != b.get(key):
                changes.append(PropertyChange(f"[{key}]", a.get(key, MISSING), b.get(key, MISSING)))
        if changes:
            result.changed.append(
                ChangedResource(urn, b.get("type", ""), b.get("name", ""), tuple(changes), counted=counted(b))
            )
    return result


def diff_text(old: str | None, new: str | None, name: str) -> str:
    """Unified diff of two texts ('' when equal); a missing side is an empty file."""
    if old == new:
        return ""
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        (new or "").splitlines(keepends=True),
        fromfile=f"a/{name}" if old is not None else "/dev/null",
        tofile=f"b/{name}" if new is not None else "/dev/null",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def diff_release_values(base: Mapping[str, str], head: Mapping[str, str]) -> dict[str, str]:
    """Release -> unified diff of its values YAML, for every release whose values changed."""
    diffs = {}
    for release in sorted(set(base) | set(head)):
        text = diff_text(base.get(release), head.get(release), f"values/{release}.yaml")
        if text:
            diffs[release] = text
    return diffs


def diff_list(base: list[str], head: list[str]) -> tuple[list[str], list[str]]:
    """(added, removed) entries of a list such as `warnings` or `secretsToSet`."""
    return [item for item in head if item not in base], [item for item in base if item not in head]


HELM_RELEASE = "kubernetes:helm.sh/v3:Release"


def chart_pins(plan: Mapping[str, Any]) -> dict[str, str]:
    """Helm release name -> `<chart> <version> (<repository>)` of every release the plan deploys."""
    pins = {}
    for resource in plan.get("resources") or []:
        if resource.get("type") != HELM_RELEASE:
            continue
        inputs = resource.get("inputs") or {}
        repo = (inputs.get("repositoryOpts") or {}).get("repo")
        where = f" ({repo})" if repo else ""
        pins[inputs.get("name") or resource["name"]] = f"{inputs.get('chart')} {inputs.get('version') or ''}{where}"
    return pins


def diff_charts(base: Mapping[str, Any], head: Mapping[str, Any]) -> list[PropertyChange]:
    """Every release whose chart, version or repository changes (or that appears or goes)."""
    old, new = chart_pins(base), chart_pins(head)
    return [
        PropertyChange(release, old.get(release, MISSING), new.get(release, MISSING))
        for release in sorted(set(old) | set(new))
        if old.get(release) != new.get(release)
    ]


def wire_release(plan: Mapping[str, Any]) -> str:
    release = plan.get("wireRelease") or {}
    return str(release.get("name") or MISSING)
