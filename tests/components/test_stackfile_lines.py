"""Problems read from a stack file name the line of their key."""

from __future__ import annotations

from components.stackfile import parse_stack_file
from components.stackfile_lines import line_of_key, with_lines

STACK = b"""\
config:
  aws:region: eu-central-1
  domain: example.com
  wire:adopt:
    aws:
      emailQueue: https://sqs.eu-central-1.amazonaws.com/123456789012/q
    dnsRecords:
      - Z1_a.example.com_A
      - Z1_b.example.com_A
  wire:extraValues:
    wireServer:
      background-worker:
        config: {a: 1}
"""


def test_every_key_and_list_item_has_its_line() -> None:
    lines = parse_stack_file(STACK, name="s", source="Pulumi.s.yaml").lines
    assert lines["aws:region"] == 2
    assert lines["wire:domain"] == 3  # a key of the project, written without its namespace
    assert lines["wire:adopt.aws.emailQueue"] == 6
    assert lines["wire:adopt.dnsRecords[1]"] == 9
    assert lines["wire:extraValues.wireServer.background-worker.config.a"] == 13


def test_a_key_the_file_does_not_write_is_named_at_its_closest_parent() -> None:
    lines = parse_stack_file(STACK, name="s", source="Pulumi.s.yaml").lines
    assert line_of_key("wire:adopt.aws.gundeckQueue", lines) == 5
    assert line_of_key("wire:adopt.dnsRecords[7]", lines) == 7
    assert line_of_key("wire:production", lines) is None


def test_problems_get_the_line_of_the_key_they_start_with() -> None:
    lines = parse_stack_file(STACK, name="s", source="Pulumi.s.yaml").lines
    problems = [
        "wire:adopt.aws.emailQueue: this stack creates no emailQueue",
        "wire:extraValues.wireServer.background-worker.config: x",
        "wire:production: is required",
        "a load balancer of this stack needs the controller",
        "Pulumi.s.yaml line 4: a problem of the file itself",
    ]
    assert with_lines(problems, lines, "Pulumi.s.yaml") == [
        "Pulumi.s.yaml line 6: wire:adopt.aws.emailQueue: this stack creates no emailQueue",
        "Pulumi.s.yaml line 13: wire:extraValues.wireServer.background-worker.config: x",
        "wire:production: is required",
        "a load balancer of this stack needs the controller",
        "Pulumi.s.yaml line 4: a problem of the file itself",
    ]
