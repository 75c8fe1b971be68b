"""Read a `Pulumi.<stack>.yaml` the way the Pulumi CLI does, without the CLI (offline plan, verify, review, tests).

The CLI reads stack files with Go's yaml.v3 after stripping a UTF-8 byte order mark. This reader
agrees with it where a difference would change what the program sees:

- encodings: UTF-8 with or without BOM, UTF-16 with a BOM (yaml.v3 detects it); anything else is refused;
- YAML 1.2 scalars as yaml.v3 resolves them: only true/false are booleans (`yes`, `no`, `on`, `off` stay
  strings), dates stay strings, `0x1f`/`0o17`/`017`/`1_000` are integers;
- duplicate keys are refused (yaml.v3 does), with both lines named;
- a key without a namespace belongs to the project (`name:` in Pulumi.yaml, here `wire`), `ns:config:key`
  is the old spelling of `ns:key`, any other key with more colons is refused;
- `config:` must be a mapping; namespaced keys beside it (where the CLI silently ignores them) are reported.

Pulumi stores a secret as `{secure: <ciphertext>}`, also nested inside objects. Without the stack's secrets
provider the ciphertext cannot be decrypted, so each secure value becomes the placeholder `[secret]`, its
top-level key is reported as secret (as the Pulumi runtime marks it) and its full path is kept.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import inspect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from components.adoption import adoption_problems
from components.config import NAMESPACE, PLACEHOLDER, ConfigError, LoadedConfig, load_config
from components.config.loading import FIELDS, missing_secret_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Top-level keys of a stack file the CLI knows (workspace.ProjectStack); others it ignores silently.
STACK_FILE_KEYS = ("config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment")
# Namespaces the program (or its providers) read.
KNOWN_NAMESPACES = (NAMESPACE, "aws", "kubernetes", "pulumi")


class StackFileError(ConfigError):
    """A stack file that cannot be read at all (encoding, YAML syntax, shape): nothing else can be checked."""


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

        Raises ConfigError with the file's own problems and every configuration problem at once.
        """
        return load_stack(
            self.config,
            secret_keys=self.secret_keys,
            secure_paths=self.secure_paths,
            problems=self.problems,
            region=region,
            allow_missing_secrets=allow_missing_secrets,
            base_dir=self.root,
        )

    def as_pulumi_config(self) -> dict[str, str]:
        """Config in the runtime's form: strings, objects as JSON (what `pulumi up` hands the program)."""
        return as_runtime_config(self.config)


def as_runtime_config(config: Mapping[str, Any]) -> dict[str, str]:
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}


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
            raise ConfigError(found + error.problems) from None
        raise
    if not allow_missing_secrets:
        found += [missing_secret_problem(path) for path in loaded.missing_secrets]
        loaded = LoadedConfig(loaded.config)
    # Only over a configuration that validated: the entries are matched with what the program creates.
    found += adoption_problems(loaded.config)
    if found:
        raise ConfigError(found)
    return loaded


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
    text = _decode_text(data, source)
    try:
        loader = _Loader(text)
    except yaml.YAMLError as error:  # the reader refuses control characters up front
        raise StackFileError([_yaml_problem(error, source, text)]) from None
    try:
        root: yaml.Node | None = loader.get_single_node()
    except yaml.YAMLError as error:
        raise StackFileError([_yaml_problem(error, source, text)]) from None
    finally:
        loader.dispose()
    reader = _Reader(source)
    document = reader.value(root, "") if root is not None else None
    if root is None or document is None:
        return StackFile(name=name, config={}, problems=tuple(reader.problems))
    if not isinstance(document, dict):
        raise StackFileError(
            [
                f"{source}: the top level is {_kind(document)}, but a stack file is a mapping with a `config:` "
                "section (`config:`, then indented `wire:environment: prod` ...); fix the file"
            ]
        )
    problems = reader.problems + _top_level_problems(document, root, source)
    raw = document.get("config")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        shape = (
            f"{source} line {_line_of(root, 'config')}: `config:` is {_kind(raw)}, but it must be a mapping of "
            "`<namespace>:<key>: value` (e.g. `wire:environment: prod`); fix the file"
        )
        raise StackFileError([*problems, shape])
    config_node = _child(root, "config")
    config: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    secret_keys: set[str] = set()
    secure_paths: set[str] = set()
    for key, value in raw.items():
        line = _line_of(config_node, key)
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
    )


# --- encoding -----------------------------------------------------------------------------------------


def _decode_text(data: bytes, source: str) -> str:
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise StackFileError([f"{source}: the file is UTF-32, which Pulumi cannot read; save it as UTF-8"])
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise StackFileError(
            [f"{source}: the file contains NUL bytes (UTF-16 without a byte order mark?); save it as UTF-8"]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise StackFileError([f"{source}: the file starts like UTF-16 but is not; save it as UTF-8"]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        hint = f"byte 0x{data[error.start]:02x} is not UTF-8 (a Latin-1 or Windows-1252 file?)"
        raise StackFileError([f"{source} line {line}: the file is not UTF-8: {hint}; save it as UTF-8"]) from None


# --- YAML as yaml.v3 reads it -------------------------------------------------------------------------


class _Resolver(BaseResolver):
    """Plain scalars resolved like yaml.v3 (YAML 1.2 core schema plus Go integer literals)."""


_INT = r"[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+)"
_FLOAT = r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
_Resolver.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(true|True|TRUE|false|False|FALSE)$"), None)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(rf"^{_INT}$"), None)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(rf"^({_FLOAT})$"), None)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(~|null|Null|NULL|)$"), [*"~nN", ""])
_Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])


class _Loader(Reader, Scanner, Parser, Composer, _Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


def _scalar(node: yaml.ScalarNode) -> Any:
    text, tag = node.value, node.tag
    if tag.endswith(":bool"):
        return text.lower() == "true"
    if tag.endswith(":null"):
        return None
    if tag.endswith(":int"):
        digits = text.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        # Go reads a leading 0 as octal, Python refuses it.
        number = int(digits, 8) if re.match(r"^0[0-7]+$", digits) else int(digits, 0)
        # Beyond 64 bits yaml.v3 falls back to a float.
        return sign * number if -(2**63) <= sign * number < 2**64 else float(sign * number)
    if tag.endswith(":float"):
        return float(text.replace("Inf", "inf").replace("INF", "inf").replace("NaN", "nan").replace("NAN", "nan"))
    return text


class _Reader:
    """Nodes to Python values; duplicate keys become problems naming both lines."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def value(self, node: yaml.Node, path: str) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, f"{path}[{index}]") for index, item in enumerate(node.value)]
        mapping: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag.endswith(":merge"):
                merged = self.value(value_node, path)
                for part in merged if isinstance(merged, list) else [merged]:
                    if isinstance(part, dict):
                        mapping = {**part, **mapping}
                continue
            key = self.value(key_node, path)
            if isinstance(key, (dict, list)):
                self.problems.append(f"{self.source} line {_line(key_node)}: a key must be a plain value; fix it")
                continue
            line = _line(key_node)
            where = f"{path}.{key}" if path else str(key)
            if key in lines:
                self.problems.append(
                    f"{self.source} line {line}: {_display(where)} is set twice (first at line {lines[key]}); "
                    "the Pulumi CLI refuses duplicate keys: keep one"
                )
            lines[key] = line
            mapping[key] = self.value(value_node, where)
        return mapping


def _display(path: str) -> str:
    return path.removeprefix("config.")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def _line_of(node: yaml.Node | None, key: Any) -> int:
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return _line(key_node)
    return _line(node) if node is not None else 1


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the {type(value).__name__} {value!r}"


_YAML_ADVICE = (
    ("'\\t'", "a tab character: YAML indents with spaces only; replace the tab with spaces"),
    ("mapping values are not allowed", "a value contains ': ' or the indentation is off; quote the value"),
    ("expected <block end>", "the indentation is inconsistent; align the keys of one section"),
    ("could not find expected ':'", "a key without ':' (or an unclosed quote above it); add the ':'"),
    ("undefined alias", "an alias (*name) without its anchor (&name); define the anchor or remove the alias"),
    ("unacceptable character", "a control character; delete it"),
    ("end of stream", "an unclosed quote or bracket; close it"),
)


def _yaml_problem(error: yaml.YAMLError, source: str, text: str) -> str:
    mark = getattr(error, "problem_mark", None)
    where = f"{source} line {mark.line + 1}, column {mark.column + 1}" if mark else source
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, yaml.reader.ReaderError):
        line = text[: error.position].count("\n") + 1
        where, problem = f"{source} line {line}", f"unacceptable character #x{error.character:04x}"
    advice = next((text for needle, text in _YAML_ADVICE if needle in problem), "fix the YAML syntax at that line")
    return f"{where}: the file is not valid YAML ({problem}): {advice}"


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
        line = _line_of(root, key)
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
