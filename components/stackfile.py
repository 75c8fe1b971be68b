"""Read a `Pulumi.<stack>.yaml` the way the Pulumi CLI does, without the CLI (offline plan, verify, review, tests).

The CLI reads stack files with Go's yaml.v3 after stripping a UTF-8 byte order mark; how this reader agrees
with it on encodings, scalars and duplicate keys is in components/stackfile_yaml.py. On top of YAML:

- a key without a namespace belongs to the project (`name:` in Pulumi.yaml, here `wire`), `ns:config:key`
  is the old spelling of `ns:key`, any other key with more colons is refused;
- `config:` must be a mapping; namespaced keys beside it (where the CLI silently ignores them) are reported.

Pulumi stores a secret as `{secure: <ciphertext>}`, also nested inside objects. Without the stack's secrets
provider the ciphertext cannot be decrypted, so each secure value becomes the placeholder `[secret]`, its
top-level key is reported as secret (as the Pulumi runtime marks it) and its full path is kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from components.config import NAMESPACE, PLACEHOLDER, ConfigError, LoadedConfig
from components.stack_loading import load_stack
from components.stackfile_lines import config_lines, with_lines
from components.stackfile_yaml import NodeReader, StackFileError, child, compose, decode_text, kind, line_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Top-level keys of a stack file the CLI knows (workspace.ProjectStack); others it ignores silently.
STACK_FILE_KEYS = ("config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment")


@dataclass(frozen=True)
class StackFile:
    name: str
    # Every config key with its namespace ("wire:domain", "aws:region"), values decoded.
    config: dict[str, Any]
    # Keys ("wire:email") whose value is or contains a secure value.
    secret_keys: frozenset[str] = frozenset()
    # Full paths of the secure values ("wire:email.smtp.password", "wire:push.apps[0].credential").
    secure_paths: frozenset[str] = frozenset()
    # Problems of the file itself (duplicate or misplaced keys) reported together with the config's.
    problems: tuple[str, ...] = ()
    # The project folder: layered values files are read relative to it.
    root: Path = PROJECT_ROOT
    # The file's name and the line of every config key ("wire:adopt.aws.emailQueue"): problems name it.
    source: str = ""
    lines: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def namespace(self, namespace: str = NAMESPACE) -> dict[str, Any]:
        prefix = f"{namespace}:"
        return {key.removeprefix(prefix): value for key, value in self.config.items() if key.startswith(prefix)}

    @property
    def wire_secret_keys(self) -> set[str]:
        prefix = f"{NAMESPACE}:"
        return {key.removeprefix(prefix) for key in self.secret_keys if key.startswith(prefix)}

    @property
    def region(self) -> str | None:
        region = self.config.get("aws:region")
        return region if isinstance(region, str) else None

    def load(self, *, allow_missing_secrets: bool = True, region: str | None = None) -> LoadedConfig:
        """Validate the stack (required secrets not set yet are listed, not errors, by default).

        Raises ConfigError with the file's own problems and every configuration problem at once, each
        naming the line of the key it is about.
        """
        try:
            return load_stack(
                self.config,
                secret_keys=self.secret_keys,
                secure_paths=self.secure_paths,
                problems=self.problems,
                region=region,
                allow_missing_secrets=allow_missing_secrets,
                base_dir=self.root,
            )
        except ConfigError as error:
            raise ConfigError(with_lines(error.problems, self.lines, self.source)) from None

    def as_pulumi_config(self) -> dict[str, str]:
        """Config in the runtime's form: strings, objects as JSON (what `pulumi up` hands the program)."""
        return as_runtime_config(self.config)


def problems_with_lines(problems: list[str], stack: str, root: Path = PROJECT_ROOT) -> list[str]:
    """Problems of the runtime's config with the line of their key in `Pulumi.<stack>.yaml`, when the file is
    there and readable (`pulumi up` hands the program the config, not where it was written)."""
    path = stack_path(stack, root)
    try:
        parsed = parse_stack_file(path.read_bytes(), name=stack, source=path.name, project=project_name(root))
    except (OSError, StackFileError):
        return problems
    return with_lines(problems, parsed.lines, parsed.source)


def as_runtime_config(config: Mapping[str, Any]) -> dict[str, str]:
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}


def stack_path(stack: str, root: Path = PROJECT_ROOT) -> Path:
    return root / f"Pulumi.{stack}.yaml"


def project_name(root: Path = PROJECT_ROOT) -> str:
    """`name:` of Pulumi.yaml: the namespace of config keys written without one."""
    try:
        document = yaml.safe_load((root / "Pulumi.yaml").read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return NAMESPACE
    name = document.get("name") if isinstance(document, dict) else None
    return name if isinstance(name, str) and name else NAMESPACE


def read_stack_file(stack: str, root: Path = PROJECT_ROOT) -> StackFile:
    path = stack_path(stack, root)
    if not path.exists():
        known = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in root.glob("Pulumi.*.yaml"))
        raise FileNotFoundError(f"no stack file {path.name}; known stacks: {', '.join(known) or 'none'}")
    parsed = parse_stack_file(path.read_bytes(), name=stack, source=path.name, project=project_name(root))
    return dataclasses.replace(parsed, root=root)


def parse_stack_file(data: bytes, *, name: str, source: str, project: str = NAMESPACE) -> StackFile:
    """A stack file's bytes as the CLI reads them; StackFileError when it cannot be read at all."""
    text = decode_text(data, source)
    root = compose(text, source)
    reader = NodeReader(source)
    document = reader.value(root, "") if root is not None else None
    if root is None or document is None:
        return StackFile(name=name, config={}, problems=tuple(reader.problems))
    if not isinstance(document, dict):
        raise StackFileError(
            [
                f"{source}: the top level is {kind(document)}, but a stack file is a mapping with a `config:` "
                "section (`config:`, then indented `wire:environment: prod` ...); fix the file"
            ]
        )
    problems = reader.problems + _top_level_problems(document, root, source)
    raw = document.get("config")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        shape = (
            f"{source} line {line_of(root, 'config')}: `config:` is {kind(raw)}, but it must be a mapping of "
            "`<namespace>:<key>: value` (e.g. `wire:environment: prod`); fix the file"
        )
        raise StackFileError([*problems, shape])
    config_node = child(root, "config")
    config: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    secret_keys: set[str] = set()
    secure_paths: set[str] = set()
    for key, value in raw.items():
        line = line_of(config_node, key)
        full = _config_key(key, project)
        if full is None:
            problems.append(
                f"{source} line {line}: config key '{key}' is not of the form `<namespace>:<name>` "
                f"(e.g. {NAMESPACE}:domain); the Pulumi CLI refuses it"
            )
            continue
        if full in first_line:
            problems.append(
                f"{source} line {line}: {full} is set twice (also as written at line {first_line[full]}); "
                "the Pulumi CLI refuses this: keep one"
            )
        first_line[full] = line
        decoded, paths = _secure(value, "")
        config[full] = decoded
        if paths:
            secret_keys.add(full)
            secure_paths.update(f"{full}{path}" for path in paths)
    return StackFile(
        name=name,
        config=config,
        secret_keys=frozenset(secret_keys),
        secure_paths=frozenset(secure_paths),
        problems=tuple(problems),
        source=source,
        lines=config_lines(config_node, lambda key: _config_key(key, project)),
    )


# --- keys and secure values --------------------------------------------------------------------------


def _config_key(key: Any, project: str) -> str | None:
    if not isinstance(key, str) or not key:
        return None
    parts = key.split(":")
    if len(parts) == 1:
        return f"{project}:{key}"
    if len(parts) == 2 and parts[0] and parts[1]:
        return key
    if len(parts) == 3 and parts[1] == "config" and parts[0] and parts[2]:
        return f"{parts[0]}:{parts[2]}"
    return None


def _top_level_problems(document: dict[Any, Any], root: yaml.Node, source: str) -> list[str]:
    found = []
    for key in document:
        if key in STACK_FILE_KEYS:
            continue
        line = line_of(root, key)
        if isinstance(key, str) and ":" in key:
            found.append(
                f"{source} line {line}: {key} is beside `config:`, not under it, so Pulumi ignores it; "
                "indent it under `config:`"
            )
            continue
        close = difflib.get_close_matches(str(key), STACK_FILE_KEYS, n=1, cutoff=0.6)
        if close or str(key).lower() in STACK_FILE_KEYS:
            suggestion = close[0] if close else str(key).lower()
            found.append(
                f"{source} line {line}: unknown top-level key '{key}' (did you mean {suggestion}?); "
                "Pulumi ignores it: fix the spelling"
            )
    return found


def _secure(value: Any, path: str) -> tuple[Any, list[str]]:
    """Replace secure values by the placeholder; return the paths (".a.b[0]") where they were."""
    if isinstance(value, dict):
        if set(value) == {"secure"} and isinstance(value["secure"], str):
            return PLACEHOLDER, [path]
        decoded: dict[Any, Any] = {}
        paths: list[str] = []
        for key, item in value.items():
            decoded[key], found = _secure(item, f"{path}.{key}")
            paths += found
        return decoded, paths
    if isinstance(value, list):
        items: list[Any] = []
        paths = []
        for index, item in enumerate(value):
            decoded_item, found = _secure(item, f"{path}[{index}]")
            items.append(decoded_item)
            paths += found
        return items, paths
    return value, []
