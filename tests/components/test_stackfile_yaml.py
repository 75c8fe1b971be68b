"""A stack file's bytes to YAML values as the Pulumi CLI (Go's yaml.v3) reads them."""

from typing import Any

import pytest

from components.stackfile import PROJECT_ROOT
from components.stackfile_yaml import NodeReader, StackFileError, compose, compose_python, decode_text


def values(text: str) -> tuple[Any, list[str]]:
    reader = NodeReader("s.yaml")
    root = compose(text, "s.yaml")
    return (reader.value(root, "") if root is not None else None), reader.problems


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("True", True),
        ("false", False),
        ("2024-01-01", "2024-01-01"),
        ("0x1f", 31),
        ("0o17", 15),
        ("017", 15),
        ("1_000", 1000),
        ("1e3", 1000.0),
        ("~", None),
        ("012345678901", 12345678901.0),
    ],
)
def test_scalars_resolve_as_go_yaml_v3_resolves_them(scalar: str, value: object) -> None:
    assert values(f"v: {scalar}\n") == ({"v": value}, [])


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-8-sig"), lambda t: t.encode("utf-16"), str.encode])
def test_encodings_the_cli_reads(encode: Any) -> None:
    assert decode_text(encode("domain: grüße.example\n"), "s.yaml") == "domain: grüße.example\n"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("a: 1\n".encode("utf-32"), "s.yaml: the file is UTF-32, which Pulumi cannot read; save it as UTF-8"),
        (b"a\x00: 1\n", "s.yaml: the file contains NUL bytes (UTF-16 without a byte order mark?); save it as UTF-8"),
        (
            "a: 1\nb: grüße\n".encode("latin-1"),
            "s.yaml line 2: the file is not UTF-8: byte 0xfc is not UTF-8 (a Latin-1 or Windows-1252 file?); "
            "save it as UTF-8",
        ),
    ],
)
def test_encodings_the_cli_refuses_are_one_problem_with_the_fix(data: bytes, problem: str) -> None:
    with pytest.raises(StackFileError) as caught:
        decode_text(data, "s.yaml")
    assert caught.value.problems == [problem]


def test_nested_duplicate_keys_are_problems_naming_both_lines() -> None:
    document, problems = values("config:\n  wire:email:\n    mode: smtp\n    mode: ses\n")
    assert document == {"config": {"wire:email": {"mode": "ses"}}}
    assert problems == [
        "s.yaml line 4: wire:email.mode is set twice (first at line 3); the Pulumi CLI refuses duplicate keys: keep one"
    ]


def test_an_empty_document_has_no_node() -> None:
    assert compose("# only a comment\n", "s.yaml") is None


def _read_with(compose_fn: Any, text: str) -> tuple[Any, list[str], list[int]]:
    """Values, problems and the line of every node, or the problem a refused text gets."""
    try:
        root = compose_fn(text, "s.yaml")
    except StackFileError as error:
        return None, error.problems, []
    reader = NodeReader("s.yaml")
    lines: list[int] = []

    def walk(node: Any) -> None:
        lines.append(node.start_mark.line)
        if isinstance(node.value, list):
            for item in node.value:
                for part in item if isinstance(item, tuple) else (item,):
                    walk(part)

    if root is not None:
        walk(root)
    return (reader.value(root, "") if root is not None else None), reader.problems, lines


_STACK_TEXTS = sorted(
    str(path.relative_to(PROJECT_ROOT))
    for pattern in ("Pulumi.*.yaml", "tests/corpus/**/*.yaml", "docs/**/*.yaml")
    for path in PROJECT_ROOT.glob(pattern)
)


@pytest.mark.parametrize("path", _STACK_TEXTS)
def test_libyaml_reads_every_stack_file_as_pyyamls_own_parser_does(path: str) -> None:
    """The fast path (libyaml, which yaml.v3 ports) and PyYAML's parser agree on values, problems and lines;
    a text libyaml refuses gets PyYAML's wording."""
    try:
        text = decode_text((PROJECT_ROOT / path).read_bytes(), path)
    except StackFileError:
        pytest.skip("not text the reader gets to")
    assert _read_with(compose, text) == _read_with(compose_python, text)


@pytest.mark.parametrize(
    "text",
    ["a: b: c\n", "a:\n\tb: 1\n", "a: 'open\n", "a: *nowhere\n", "a: [1, 2\n", "a: \x07\n", "a: 1\na: 2\n"],
)
def test_refused_texts_get_pyyamls_problem(text: str) -> None:
    assert _read_with(compose, text) == _read_with(compose_python, text)


def test_the_fast_path_is_taken_where_pyyaml_has_libyaml() -> None:
    import yaml

    from components import stackfile_yaml

    assert (stackfile_yaml._CParser is not None) == yaml.__with_libyaml__
