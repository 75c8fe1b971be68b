"""Reading stack files offline: secure values become placeholders and mark their top-level key secret."""

from pathlib import Path

import pytest

from components.config import PLACEHOLDER
from components.stackfile import StackFile, parse_stack_file, read_stack_file
from components.stackfile_yaml import StackFileError

STACK = """
config:
  aws:region: eu-west-1
  wire:environment: test
  wire:email:
    mode: smtp
    smtp:
      host: smtp.example.com
      password:
        secure: v1:AAAA
  wire:push:
    mode: create
    apps:
      - name: app
        platform: GCM
        credential:
          secure: v1:BBBB
"""


def test_secure_values_become_placeholders_and_mark_their_key(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.test.yaml").write_text(STACK)
    stack = read_stack_file("test", tmp_path)
    assert stack.region == "eu-west-1"
    assert stack.namespace()["email"]["smtp"] == {"host": "smtp.example.com", "password": PLACEHOLDER}
    assert stack.namespace()["push"]["apps"][0]["credential"] == PLACEHOLDER
    assert stack.wire_secret_keys == {"email", "push"}
    assert stack.as_pulumi_config()["wire:environment"] == "test"
    assert stack.as_pulumi_config()["wire:email"].startswith("{")


def test_unknown_stack_names_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    with pytest.raises(FileNotFoundError, match="known stacks: dev"):
        read_stack_file("prod", tmp_path)


def read(text: str | bytes) -> StackFile:
    data = text.encode() if isinstance(text, str) else text
    return parse_stack_file(data, name="t", source="Pulumi.t.yaml")


def test_keys_are_namespaced_as_the_cli_does() -> None:
    stack = read("config:\n  domain: a.example\n  aws:config:region: eu-west-1\n")
    assert stack.config == {"wire:domain": "a.example", "aws:region": "eu-west-1"}
    assert not stack.problems


def test_duplicates_are_problems_naming_both_lines() -> None:
    stack = read("config:\n  wire:domain: a.example\n  wire:domain: b.example\n")
    assert stack.problems == (
        "Pulumi.t.yaml line 3: wire:domain is set twice (first at line 2); the Pulumi CLI refuses duplicate keys: "
        "keep one",
    )


def test_secure_paths_are_kept_exactly() -> None:
    stack = read(STACK)
    assert stack.secure_paths == {"wire:email.smtp.password", "wire:push.apps[0].credential"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a\n", "the top level is a list"),
        ("config: [a]\n", "`config:` is a list"),
    ],
)
def test_a_file_not_shaped_like_a_stack_file_raises_one_stack_file_error(text: str, problem: str) -> None:
    with pytest.raises(StackFileError) as caught:
        read(text)
    assert len(caught.value.problems) == 1 and problem in caught.value.problems[0]


def test_invalid_yaml_is_one_stack_file_error_naming_the_line() -> None:
    with pytest.raises(StackFileError) as caught:
        read("config:\n\twire:domain: x\n")
    assert caught.value.problems == [
        "Pulumi.t.yaml line 2, column 1: the file is not valid YAML (found character '\\t' that cannot start "
        "any token): a tab character: YAML indents with spaces only; replace the tab with spaces"
    ]
