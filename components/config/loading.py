"""Reading the `wire:` namespace of a stack into a `StackConfig`, and describing everything wrong with it.

All problems in one report, so an operator fixes one round, not one problem per round:

1. every top-level section is validated on its own (a bad `email` never hides a bad `dns`);
2. the cross-section rules (rules.py) run over the sections that validated, each needing only its own;
3. the secret checks run over the same sections: secrets in plain text, encrypted values that are not
   secrets, required secrets not set yet.

Each problem names the full `wire:` (or `aws:`) key and the fix; a misspelt key gets a did-you-mean at
every nesting level, a key path from Wire's guide a pointer to where it went (guide_keys.py).
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from components.config.all_rules import CROSS_SECTION_RULES
from components.config.base import INT32_MAX, PLACEHOLDER, WORD32_MAX, WORD64_MAX
from components.config.errors import ConfigError
from components.config.guide_keys import guide_pointers
from components.config.layered_checks import check_layered_values
from components.config.layered_secrets import keep_layered_secrets, set_secret
from components.config.pull_secret import PULL_SECRET_PATH, pull_secret_still_required
from components.config.secrets import required_secrets, secrets_in
from components.config.stack import StackConfig, with_defaults

NAMESPACE = "wire"


@dataclass(frozen=True)
class LoadedConfig:
    config: StackConfig
    missing_secrets: tuple[str, ...] = ()
    """Required secrets not set yet (only tolerated by the offline plan, which fills placeholders)."""


FIELDS = {info.alias or name: name for name, info in StackConfig.model_fields.items()}
"""Top-level `wire:` keys (camelCase) -> StackConfig field names."""
_NOT_IN_WIRE = {"region"}
_LIMITS = {
    WORD32_MAX: "the service reads it as a 32-bit unsigned number",
    INT32_MAX: "Kubernetes and AWS read it as a 32-bit number",
    WORD64_MAX: "the service reads it as a 64-bit unsigned number",
}


def load_config(
    values: Mapping[str, Any],
    *,
    region: str | None,
    secret_keys: Iterable[str] = (),
    secure_paths: Iterable[str] | None = None,
    allow_missing_secrets: bool = False,
    base_dir: Path | None = None,
) -> LoadedConfig:
    """Validate the `wire:` namespace of a stack.

    `values` maps keys without the `wire:` prefix to their values (strings holding JSON are parsed);
    `secret_keys` are the top-level keys whose value is (or contains) a secret, as the runtime marks them;
    `secure_paths` (from a stack file) the exact paths of the encrypted values ("email.smtp.password");
    `base_dir` is where layered values files are read from (the project, by default).
    Raises ConfigError listing every problem at once.
    """
    problems: list[str] = []
    data: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in FIELDS or key in _NOT_IN_WIRE:
            problems += _unknown_top_level(key, parse_value(raw))
            continue
        data[key] = parse_value(raw)
    data = with_defaults(data)
    if region:
        data["region"] = region
    secret_keys = set(secret_keys)
    encrypted = set(secure_paths) if secure_paths is not None else {key for key in secret_keys if key in data}
    not_secret = sorted(path for path in encrypted if not is_secret_field(path))
    problems += [_encrypted_plain_value(path) for path in not_secret]

    valid: dict[str, Any] = {}
    for alias, name in FIELDS.items():
        info = StackConfig.model_fields[name]
        if alias not in data:
            if info.is_required():
                problems.append(_required(alias))
            else:
                valid[name] = info.get_default(call_default_factory=True)
            continue
        try:
            valid[name] = _adapter(name).validate_python(data[alias])
        except ValidationError as error:
            problems += _describe(error, alias, skip=set(not_secret))

    partial = StackConfig.model_construct(**valid)
    for rule in CROSS_SECTION_RULES:
        if all(name in valid for name in rule.needs):
            problems += rule.check(partial)

    layered = valid.get("layered_values")
    if layered is not None:
        layered, layering_problems = check_layered_values(layered, valid, base_dir)
        problems += layering_problems

    present: dict[str, SecretStr] = {}
    for alias, name in FIELDS.items():
        if name in valid:
            present.update(secrets_in(valid[name], alias))
        elif alias in data:
            # A section with other problems: its secrets in plain text are reported in the same round.
            present.update(dict.fromkeys(raw_secret_paths(data[alias], [alias]), SecretStr("")))
    for path in present:
        top = _top(path)
        in_plain_text = path not in encrypted if secure_paths is not None else top not in secret_keys
        if in_plain_text:
            problems.append(
                f"wire:{path} is stored in plain text; encrypt it: "
                f"pulumi config set --secret --path '{NAMESPACE}:{path}' <value>"
            )
    missing = [path for path in required_secrets(partial, sections=valid) if path not in present]
    if "web_apps" not in valid and pull_secret_still_required(data.get("webApps")):
        # Asked for in the same round as the section's other problems.
        missing.append(PULL_SECRET_PATH)
    if layered is not None and missing:
        # The operator's existing secrets (wire-server-deploy's secrets.yaml) win over asking for new ones.
        kept = keep_layered_secrets(layered, missing)
        for path, (value, _) in kept.items():
            set_secret(data, path, value)
        missing = [path for path in missing if path not in kept]
        layered = layered.with_kept_secrets({path: source for path, (_, source) in kept.items()})
    if missing and not allow_missing_secrets:
        problems += [missing_secret_problem(path) for path in missing]
    if problems:
        raise ConfigError(_unique(problems), sections=valid)
    try:
        cfg = StackConfig.model_validate(data)
    except ValidationError as error:  # every part passed above; kept so nothing can slip through unreported
        raise ConfigError(_describe(error, "", skip=set())) from None
    if layered is not None:
        cfg = cfg.model_copy(update={"layered_values": layered})
    return LoadedConfig(cfg, tuple(missing))


def missing_secret_problem(path: str) -> str:
    return f"wire:{path} is required; set it: pulumi config set --secret --path '{NAMESPACE}:{path}' <value>"


def _top(path: str) -> str:
    return path.split(".")[0].split("[")[0]


def _unique(problems: list[str]) -> list[str]:
    return list(dict.fromkeys(problems))


_HOW_TO_SET = {
    "region": "aws:region is required; set it: pulumi config set aws:region <region, e.g. eu-central-1>",
    "environment": "wire:environment is required; set it: pulumi config set wire:environment <name, e.g. prod>",
    "domain": "wire:domain is required; set it: pulumi config set wire:domain <domain, e.g. wire.example.com>",
    "email": (
        "wire:email is required; set it: pulumi config set --path 'wire:email.mode' ses (or smtp) and "
        "pulumi config set --path 'wire:email.sender' <no-reply@your domain>"
    ),
}


def _required(alias: str) -> str:
    return _HOW_TO_SET.get(alias, f"wire:{alias} is required; set it: pulumi config set {NAMESPACE}:{alias} <value>")


def _encrypted_plain_value(path: str) -> str:
    return (
        f"wire:{path} is encrypted (secure:), but it is not a secret: the program uses it in names, values and "
        f"outputs in plain text; store it in plain text: pulumi config set --path '{NAMESPACE}:{path}' <value>"
    )


def _unknown_top_level(key: str, value: Any) -> list[str]:
    pointers = guide_pointers(key, value)
    if pointers:
        return pointers
    if key == "region":
        return ["wire:region is not a known key: the region is aws:region; pulumi config set aws:region <region>"]
    return [f"wire:{key} is not a known key{_did_you_mean(key, FIELDS, prefix='wire:')}; remove it or fix the spelling"]


def _did_you_mean(key: str, known: Iterable[str], prefix: str = "") -> str:
    candidates = [k for k in known if k not in _NOT_IN_WIRE]
    lowered = {k.lower(): k for k in candidates}
    match = [lowered[key.lower()]] if key.lower() in lowered else difflib.get_close_matches(key, candidates, n=1)
    return f" (did you mean {prefix}{match[0]}?)" if match else ""


def parse_value(raw: Any) -> Any:
    """A config value as the runtime hands it over: objects, lists, numbers and booleans arrive as JSON text."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    info = StackConfig.model_fields[name]
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(annotation)


# --- describing pydantic's errors ---------------------------------------------------------------------


def _key(parts: Iterable[Any]) -> str:
    key = ""
    for part in parts:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def _describe(error: ValidationError, alias: str, *, skip: set[str]) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        parts = [alias, *item["loc"]] if alias else list(item["loc"])
        parts = [part for part in parts if not _is_schema_tag(part)]
        key = _key(parts)
        if key in skip or any(key.startswith(f"{path}.") or key.startswith(f"{path}[") for path in skip):
            continue
        problems += _explain(item, key, parts)
    return problems


def _is_schema_tag(part: Any) -> bool:
    # Unions and validators add steps like 'function-after[_hostname(), str]' to a location.
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "bool", "float", "dict", "list"))


def _explain(item: Any, key: str, parts: list[Any]) -> list[str]:
    kind, message = item["type"], item["msg"].removeprefix("Value error, ")
    if key == "region" or key.startswith("region."):
        return [f"aws:region: {line}" for line in message.splitlines()]
    if kind == "extra_forbidden":
        pointers = guide_pointers(key, item.get("input"))
        if pointers:
            return pointers
        known = _known_keys(parts[:-1])
        hint = _did_you_mean(str(parts[-1]), known) if known else ""
        return [f"wire:{key}: is not a known key{hint}; remove it or fix the spelling"]
    if kind == "missing":
        return [f"wire:{key} is required; set it"]
    if kind in ("less_than_equal", "less_than") and item.get("ctx", {}).get("le") in _LIMITS:
        reason = _LIMITS[item["ctx"]["le"]]
        return [f"wire:{key}: {item['input']} is too large: {message.lower()} ({reason})"]
    if kind == "value_error":
        lines = []
        for line in message.splitlines():
            nested = re.match(r"^@(?P<rel>[^:]+): (?P<text>.*)$", line)
            if nested:
                rel = nested["rel"]
                full = f"{key}{rel}" if rel.startswith("[") else (f"{key}.{rel}" if key else rel)
                lines.append(f"wire:{full}: {nested['text']}")
            else:
                lines.append(f"wire:{key}: {line}")
        return lines
    got = item.get("input")
    suffix = f" (got {got!r})" if isinstance(got, (str, int, float, bool)) or got is None else ""
    if kind == "string_type" and isinstance(got, (int, float)) and not isinstance(got, bool):
        suffix += "; quote it in the stack file (YAML reads it as a number)"
    if isinstance(got, str) and kind in ("literal_error", "enum"):
        expected = re.findall(r"'([^']*)'", item.get("ctx", {}).get("expected", ""))
        suffix += _did_you_mean(got, expected).replace("did you mean ", "did you mean '").replace("?)", "'?)")
    return [f"wire:{key}: {message}{suffix}"]


# --- walking the model by key path --------------------------------------------------------------------


def _annotation_at(parts: list[Any]) -> Any:
    """The type annotation of the value at `parts` (aliases and list indexes) below StackConfig; None if unknown."""
    node: Any = StackConfig
    for part in parts:
        node = _unwrap(node)
        if isinstance(part, int):
            node = _item_type(node)
        elif isinstance(node, type) and issubclass(node, BaseModel):
            fields = {info.alias or name: info.annotation for name, info in node.model_fields.items()}
            node = fields.get(str(part))
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
        else:
            return None
        if node is None:
            return None
    return node


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrap(options[0]) if len(options) == 1 else annotation
    return annotation


def _item_type(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None


def _known_keys(parts: list[Any]) -> list[str]:
    node = _unwrap(_annotation_at(parts))
    if isinstance(node, type) and issubclass(node, BaseModel):
        return [info.alias or name for name, info in node.model_fields.items()]
    return []


_PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def raw_secret_paths(value: Any, parts: list[Any]) -> list[str]:
    """Paths of the values given for secret keys in raw (not validated) config below `parts`."""
    if isinstance(value, dict):
        return [path for key, item in value.items() for path in raw_secret_paths(item, [*parts, key])]
    if isinstance(value, list):
        return [path for index, item in enumerate(value) for path in raw_secret_paths(item, [*parts, index])]
    if value is None or value == PLACEHOLDER:
        return []
    return [_key(parts)] if _unwrap(_annotation_at(parts)) is SecretStr else []


def is_secret_field(path: str) -> bool:
    """Whether the key at `path` ("email.smtp.password", "email") is, or holds, a secret."""
    parts: list[Any] = [int(index) if index else name for name, index in _PATH_STEP.findall(path)]
    annotation = _annotation_at(parts)
    if annotation is None:
        return True  # an unknown key is reported as such
    return _contains_secret(annotation)


def _contains_secret(annotation: Any, seen: frozenset[Any] = frozenset()) -> bool:
    node = _unwrap(annotation)
    if node is SecretStr:
        return True
    if node in seen:
        return False
    if isinstance(node, type) and issubclass(node, BaseModel):
        return any(_contains_secret(info.annotation, seen | {node}) for info in node.model_fields.values())
    return any(_contains_secret(arg, seen) for arg in typing.get_args(node))
