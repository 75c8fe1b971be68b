"""A stack file's bytes to YAML values as the Pulumi CLI (Go's yaml.v3) reads them."""

from typing import Any

import pytest

from components.stackfile_yaml import NodeReader, StackFileError, compose, decode_text


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
