"""The operator's existing helm values files, layered under the computed values (moving off fake-aws).

An installation from wire-server-deploy has values files tuned for years (branding, TURN, SFT, MLS,
feature flags): they are read as they are, merged in the order given, and the computed values win
over them (`extraValues` wins over both). Values from files listed as secret files stay Pulumi
secrets. Values that would bring fake-aws back (its hosts, its dummy keys, static keys where IRSA is
used) are refused unless `allowFakeAws` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import PrivateAttr, SecretStr

from components import yaml_text
from components.config.base import Model
from components.trees import deep_merge

# Keys of fake-aws' example secrets (wire-server-deploy's prod-secrets.example.yaml) and the hosts of its charts.
FAKE_AWS_HOST = "fake-aws"
DUMMY_VALUES = ("dummykey", "dummysecret")
STATIC_KEY_NAMES = ("awsKeyId", "awsSecretKey")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LayeredFile:
    """One values file as listed in the stack: its `wire:` key, path, contents and the line of every key."""

    key: str
    """`wire:layeredValues.files.wireServer[0]` (or `secretFiles`)."""
    release: str
    path: str
    secret: bool
    tree: dict[str, Any]
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def where(self, path: tuple[str, ...] | str | None = None) -> str:
        """`<key> (<file> line <n>)`: the stack key and the file's line of a values key (or the file alone)."""
        parts = tuple(path.split(".")) if isinstance(path, str) else path
        line = None
        while parts and line is None:
            line = self.lines.get(parts)
            parts = parts[:-1]
        return f"{self.key} ({self.path}{f' line {line}' if line else ''})"


class LayeredValues(Model):
    """Existing values files of each release (keys as in extraValues: wireServer, nginxIngressServices, ...)."""

    files: dict[str, list[str]] = {}
    """Per release: values files (paths relative to the project), layered under the computed values in this order."""
    secret_files: dict[str, list[str]] = {}
    """Per release: values files holding secrets (e.g. wire-server-deploy's secrets.yaml); their values stay secret."""
    allow_fake_aws: bool = False
    """Accept layered or extra values that point at fake-aws (its hosts, dummy keys) or set static keys with IRSA."""

    # The files' contents by release key, read once by `read_layered_values` (never from the stack file).
    _trees: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)
    # Each file's own tree by release key, in layering order: which file a kept secret came from.
    _files: dict[str, list[tuple[str, dict[str, Any]]]] = PrivateAttr(default_factory=dict)
    # Stack secrets taken from these files (config path -> where it came from), set by the loader.
    _kept_secrets: dict[str, str] = PrivateAttr(default_factory=dict)
    # Every file read, in the order listed (files, then secretFiles, per release).
    _sources: list[LayeredFile] = PrivateAttr(default_factory=list)

    def tree(self, release_key: str) -> dict[str, Any] | None:
        return self._trees.get(release_key)

    def value_at(self, release_key: str, dotted: str) -> Any:
        """The merged layered value at a dotted chart path (None when no file sets it)."""
        return value_at(self._trees.get(release_key), dotted)

    def sources(self) -> list[LayeredFile]:
        return list(self._sources)

    def files_of(self, release_key: str) -> list[tuple[str, dict[str, Any]]]:
        return self._files.get(release_key, [])

    @property
    def kept_secrets(self) -> dict[str, str]:
        return dict(self._kept_secrets)

    def with_kept_secrets(self, kept: dict[str, str]) -> LayeredValues:
        copied = self.model_copy()
        copied._kept_secrets = dict(kept)
        return copied

    def warnings(self) -> list[str]:
        if not self._kept_secrets:
            return []
        kept = "; ".join(f"{path} from {source}" for path, source in sorted(self._kept_secrets.items()))
        return [
            "wire:layeredValues: these secrets are kept from your files (as Pulumi secrets), not asked for again: "
            + kept
        ]

    def releases(self) -> list[str]:
        return sorted(set(self.files) | set(self.secret_files))


def read_layered_values(section: LayeredValues, base_dir: Path | None = None) -> tuple[LayeredValues, list[str]]:
    """The section with every file's contents attached, and the problems (each naming the key and the fix)."""
    base = base_dir or PROJECT_ROOT
    problems: list[str] = []
    trees: dict[str, dict[str, Any]] = {}
    files: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    read: list[LayeredFile] = []
    for release in section.releases():
        merged: dict[str, Any] = {}
        sources = [(index, path, False) for index, path in enumerate(section.files.get(release, []))]
        sources += [(index, path, True) for index, path in enumerate(section.secret_files.get(release, []))]
        for index, path, secret in sources:
            key = f"wire:layeredValues.{'secretFiles' if secret else 'files'}.{release}[{index}]"
            tree, lines, problem = _read(base / path, key, path)
            if problem:
                problems.append(problem)
                continue
            read.append(LayeredFile(key, release, path, secret, tree, lines))
            tree = _as_secret(tree) if secret else tree
            files.setdefault(release, []).append((path, tree))
            merged = deep_merge(merged, tree)
        trees[release] = merged
    loaded = section.model_copy()
    loaded._trees = trees
    loaded._files = files
    loaded._sources = read
    return loaded, problems


def conflicts(layered: Any, final: Any) -> list[str]:
    """Paths where the operator's layered value differs from what the release finally gets (computed wins)."""
    return [".".join(path) for path in conflict_paths(layered, final)]


def conflict_paths(layered: Any, final: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The same as key tuples (a key may hold dots: an annotation name)."""
    if isinstance(layered, dict):
        if not isinstance(final, dict):
            return [path] if path else []
        found = []
        for key, value in layered.items():
            found += conflict_paths(value, final.get(key), (*path, str(key))) if key in final else []
        return found
    return [path] if _plain(layered) != _plain(final) else []


def has_path(tree: Any, path: tuple[str, ...]) -> bool:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return False
        tree = tree[key]
    return True


def _plain(value: Any) -> Any:
    # A secret the stack took from a layered file is the same value, whether the file was a secret file or not.
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def value_at(tree: Any, dotted: str) -> Any:
    node = tree
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _read(path: Path, key: str, shown: str) -> tuple[dict[str, Any], dict[tuple[str, ...], int], str | None]:
    """The file's mapping and the line of each key, or the problem naming the stack key, the file and the fix."""
    label = f"{key} ({shown})"
    if not path.is_file():
        return {}, {}, f"{label} does not exist: give the path of the release's values file, relative to the project"
    try:
        text = path.read_text(encoding="utf-8-sig")
        node = yaml_text.compose(text)
        tree = yaml_text.load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{key} ({shown} line {mark.line + 1})" if mark is not None else label
        return {}, {}, f"{where} is not valid YAML: fix the file (helm would refuse it too)"
    except (OSError, UnicodeDecodeError) as error:
        return {}, {}, f"{label} cannot be read ({error}): check the path and that it is UTF-8 text"
    if tree is None:
        return {}, {}, None
    if not isinstance(tree, dict):
        return {}, {}, f"{label} holds a YAML {type(tree).__name__}, not the mapping of a helm values file"
    return tree, key_lines(node), None


def key_lines(node: yaml.Node | None, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """The line of every mapping key of a composed YAML document, by key path."""
    found: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, str(key_node.value))
            found[key] = key_node.start_mark.line + 1
            found.update(key_lines(value_node, key))
    return found


def _as_secret(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {key: _as_secret(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_as_secret(value) for value in tree]
    # Only text is secret: a number or flag in a secrets file keeps its type, or the chart would get a string.
    return SecretStr(tree) if isinstance(tree, str) else tree
