"""What every section of the stack configuration shares: the `Model` base class and the checked string types.

Nothing here imports Pulumi: the rules are testable as plain functions.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_HOST_LABEL}(\.{_HOST_LABEL})*$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")


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


Hostname = Annotated[str, AfterValidator(_hostname)]
EmailAddress = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]
PositiveInt = Annotated[int, Field(gt=0)]
Port = Annotated[int, Field(gt=0, lt=65536)]


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
    )
