"""What every section of the stack configuration shares: the `Model` base class and the checked string types.

Nothing here imports Pulumi: the rules are testable as plain functions.
"""

from __future__ import annotations

import re
from typing import Annotated, NoReturn

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_HOST_LABEL}(\.{_HOST_LABEL})*$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# Shown for a secret value wherever it is redacted, and filled in for a missing one by the offline plan.
PLACEHOLDER = "[secret]"


def _hostname(value: str) -> str:
    if not _HOSTNAME_RE.match(value) or len(value) > 253:
        raise ValueError(f"'{value}' is not a valid DNS hostname (lower-case labels of a-z, 0-9 and '-')")
    return value


def _email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise ValueError(f"'{value}' is not an email address")
    return value


def _url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError(f"'{value}' is not an http(s) URL")
    return value


def _domain(value: str) -> str:
    _hostname(value)
    if value.rsplit(".", 1)[-1].isdigit():
        raise ValueError(
            f"'{value}' is an IP address (or ends in a numeric label), but the Wire hostnames are "
            f"<host>.<domain> names in DNS; set the DNS domain, e.g. wire.example.com"
        )
    return value


Hostname = Annotated[str, AfterValidator(_hostname)]
DomainName = Annotated[str, AfterValidator(_domain)]
EmailAddress = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]
Port = Annotated[int, Field(gt=0, lt=65536)]
# What the consuming side parses: Haskell's Word32 (brig, galley), Kubernetes' and AWS's int32, Word64 (cannon).
WORD32_MAX = 2**32 - 1
INT32_MAX = 2**31 - 1
WORD64_MAX = 2**64 - 1
PositiveInt32 = Annotated[int, Field(gt=0, le=INT32_MAX)]
PositiveWord32 = Annotated[int, Field(gt=0, le=WORD32_MAX)]
PositiveWord64 = Annotated[int, Field(gt=0, le=WORD64_MAX)]


class Model(BaseModel):
    """Base for every config section: camelCase keys, unknown keys rejected, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        use_enum_values=True,
        # Defaults go through validation too, so enum defaults become their values like configured ones.
        validate_default=True,
        # Build validators on first use, not at import: only StackConfig's is ever needed, and it covers the
        # sections. So a section's default is a `Field(default_factory=...)`, never an instance built at import.
        defer_build=True,
    )


def refuse_settings_while_disabled(section: BaseModel, why: str) -> None:
    """A section switched off by `enabled: false` refuses its other settings instead of silently ignoring them."""
    names = {name: info.alias or name for name, info in type(section).model_fields.items()}
    leftovers = sorted(names[name] for name in section.model_fields_set - {"enabled"})
    if leftovers:
        fail(
            *(
                at(key, f"is only used with enabled: true ({why}); remove it, or enable the section")
                for key in leftovers
            )
        )


def at(key: str, message: str) -> str:
    """A problem of the nested key `key` (relative to the section raising it), e.g. at("tls.key", "...")."""
    return f"@{key}: {message}"


def fail(*problems: str) -> NoReturn:
    """Raise every problem of a section at once; loading names each with its full `wire:` key."""
    raise ValueError("\n".join(problems))
