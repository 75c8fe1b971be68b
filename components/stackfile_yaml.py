"""A stack file's bytes to YAML values as the Pulumi CLI reads them (Go's yaml.v3), for components/stackfile.py.

- encodings: UTF-8 with or without BOM, UTF-16 with a BOM (yaml.v3 detects it); anything else is refused;
- YAML 1.2 scalars as yaml.v3 resolves them: only true/false are booleans (`yes`, `no`, `on`, `off` stay
  strings), dates stay strings, `0x1f`/`0o17`/`017`/`1_000` are integers;
- duplicate keys are problems naming both lines (yaml.v3 refuses them).

A file that cannot be read at all raises StackFileError with one problem naming the line and the fix.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from components.config import ConfigError


class StackFileError(ConfigError):
    """A stack file that cannot be read at all (encoding, YAML syntax, shape): nothing else can be checked."""


# --- encoding -----------------------------------------------------------------------------------------


def decode_text(data: bytes, source: str) -> str:
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


# yaml.v3 is a port of libyaml: libyaml's parser (when PyYAML was built with it) reads what the CLI reads,
# ten times faster than PyYAML's own, which then only words the problem of a file libyaml refuses.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)

if _CParser is not None:

    class _FastLoader(_CParser, _Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)


def compose(text: str, source: str) -> yaml.Node | None:
    """The document's node tree (None for an empty file); StackFileError for invalid YAML."""
    if _CParser is not None:
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()
        except yaml.YAMLError:
            pass  # PyYAML's parser below says where and what, in the words the problems are made of
        finally:
            fast.dispose()
    return compose_python(text, source)


def compose_python(text: str, source: str) -> yaml.Node | None:
    """`compose` with PyYAML's own parser only."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError as error:  # the reader refuses control characters up front
        raise StackFileError([_yaml_problem(error, source, text)]) from None
    try:
        return loader.get_single_node()
    except yaml.YAMLError as error:
        raise StackFileError([_yaml_problem(error, source, text)]) from None
    finally:
        loader.dispose()


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


class NodeReader:
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


def child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def line_of(node: yaml.Node | None, key: Any) -> int:
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return _line(key_node)
    return _line(node) if node is not None else 1


def kind(value: Any) -> str:
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
