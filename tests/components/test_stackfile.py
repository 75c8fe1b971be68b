"""Reading stack files offline: secure values become placeholders and mark their top-level key secret."""

from pathlib import Path

import pytest

from components.config import PLACEHOLDER
from components.stackfile import read_stack_file

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
