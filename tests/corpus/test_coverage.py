"""The corpus covers every `wire:` section, bad and good (tests/corpus/test_command_lines.py: every command line)."""

from __future__ import annotations

from components.config.loading import FIELDS
from components.stackfile import parse_stack_file
from components.stackfile_yaml import StackFileError
from tests.corpus import bad_stacks, good_stacks

# `region` is aws:region; `sms` is always refused (phone sign-up left the charts), so no good stack has it.
NOT_IN_GOOD = {"region", "sms"}


def sections(cases: dict) -> set[str]:
    found: set[str] = set()
    for name, path in cases.items():
        try:
            found |= set(parse_stack_file(path.read_bytes(), name=name, source=path.name).namespace())
        except StackFileError:
            continue
    return found


def test_every_section_has_a_bad_case() -> None:
    assert set(FIELDS) - {"region"} - sections(bad_stacks()) == set()


def test_every_section_has_a_good_case() -> None:
    assert set(FIELDS) - NOT_IN_GOOD - sections(good_stacks()) == set()
