"""The configuration reference in docs/configuration.md is generated from the model; this catches drift."""

from components.config import StackConfig
from components.reference import CONFIGURATION_DOC, config_reference, documented_section, rows


def test_the_documented_reference_matches_the_model() -> None:
    assert documented_section(CONFIGURATION_DOC.read_text()) == config_reference(), (
        "docs/configuration.md configuration reference is stale: run .venv/bin/python -m components.reference --write"
    )


def test_every_key_is_described() -> None:
    undocumented = [key for key, _kind, _default, text in rows(StackConfig) if not text]
    assert undocumented == []


def test_reference_covers_nested_keys_and_secrets() -> None:
    table = config_reference()
    assert "| `wire:cannon.drain.gracePeriodSeconds` | int | `25` |" in table
    assert "| `wire:email.smtp.password` | secret |" in table
    assert "| `wire:push.apps[].platform` |" in table
