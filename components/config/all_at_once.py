"""Rules between the keys of one section that are reported together with the keys' own problems.

pydantic runs a model's `after` validator only when every field validated, so a rule like "install needs
email" appeared only once a misspelt `issuer` beside it was fixed. A section that must answer everything at
once reads its rules from the raw input in a `wrap` validator (`all_at_once`): the rules' problems are added
to the fields' own, or raised alone when the fields are fine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

_BOOL = TypeAdapter(bool)


def raw(data: Mapping[str, Any], camel: str) -> Any:
    """A key of the raw input, written camelCase (as in stack files) or snake_case (as in Python)."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
    return data.get(camel, data.get(snake))


def raw_flag(data: Mapping[str, Any], camel: str) -> bool:
    """The boolean a raw key means (YAML or CLI spellings); False when it is none (its own error says so)."""
    try:
        return _BOOL.validate_python(raw(data, camel))
    except ValidationError:
        return False


def all_at_once(data: Any, handler: Callable[[Any], Any], rules: Callable[[Mapping[str, Any]], list[str]]) -> Any:
    """Validate with `handler` and run `rules` over the raw input whatever the fields' result; raise all at once."""
    found = rules(data) if isinstance(data, Mapping) else []
    try:
        model = handler(data)
    except ValidationError as error:
        if not found:
            raise
        details: list[Any] = [
            {
                "type": item["type"],
                "loc": item["loc"],
                "input": item["input"],
                **({"ctx": item["ctx"]} if "ctx" in item else {}),
            }
            for item in error.errors(include_url=False)
        ]
        details.append(
            {"type": "value_error", "loc": (), "input": data, "ctx": {"error": ValueError("\n".join(found))}}
        )
        raise ValidationError.from_exception_data(error.title, details) from None
    if found:
        raise ValueError("\n".join(found))
    return model
