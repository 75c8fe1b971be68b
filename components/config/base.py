"""What every section of the stack configuration shares: the `Model` base class and the checked string types.

Nothing here imports Pulumi: the rules are testable as plain functions.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails

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

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """A field that fails skips pydantic's model validators: run them anyway over the fields that validated,
        so the cross-field rules of a section report together with its field errors (all problems in one run)."""
        try:
            return handler(data)
        except ValidationError as error:
            more = _rules_over_valid_fields(cls, data, error)
            if not more:
                raise
            details: list[InitErrorDetails] = [
                InitErrorDetails(type=item["type"], loc=item["loc"], input=item["input"], ctx=item.get("ctx", {}))
                for item in error.errors(include_url=False)
            ]
            details += [InitErrorDetails(type="value_error", loc=(), input=data, ctx={"error": m}) for m in more]
            raise ValidationError.from_exception_data(error.title, details) from None


class _Unvalidated:
    """Stands for a field that failed: any use of it (but `is None`) stops the validator reading it."""

    def _refuse(self, *_: Any) -> Any:
        raise TypeError("a field that failed validation")

    __getattr__ = __bool__ = __eq__ = __hash__ = __iter__ = __len__ = __str__ = __format__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __contains__ = __getitem__ = _refuse


_UNVALIDATED = _Unvalidated()


@cache
def _field_adapter(cls: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = cls.model_fields[name]
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _rules_over_valid_fields(cls: type[Model], data: Any, error: ValidationError) -> list[str]:
    """The problems `cls`'s after-validators find over the fields of `data` that validated on their own.

    A validator reading a field that failed (or is missing) is skipped: its finding would be a guess.
    """
    validators = [
        decorator.func
        for decorator in cls.__pydantic_decorators__.model_validators.values()
        if decorator.info.mode == "after"
    ]
    if not validators or not isinstance(data, dict):
        return []
    for name, decorator in cls.__pydantic_decorators__.model_validators.items():
        if decorator.info.mode == "before":  # as pydantic runs them before the fields (e.g. defaults by platform)
            data = getattr(cls, name)(data)
    by_key = {key: name for name, info in cls.model_fields.items() for key in (name, info.alias) if key}
    failed = {by_key.get(str(item["loc"][0])) for item in error.errors(include_url=False) if item["loc"]}
    valid: dict[str, Any] = {}
    for key, value in data.items():
        name = by_key.get(key)
        if name is None or name in failed:
            continue
        try:
            valid[name] = _field_adapter(cls, name).validate_python(value)
        except (ValidationError, TypeError, ValueError):
            failed.add(name)
    unusable: dict[str, Any] = {
        name: _UNVALIDATED
        for name, info in cls.model_fields.items()
        if name not in valid and (name in failed or info.is_required())
    }
    partial = cls.model_construct(**valid, **unusable)
    problems: list[str] = []
    for validator in validators:
        try:
            validator(partial)
        except ValueError as found:
            problems += str(found).splitlines()
        except (AttributeError, TypeError, KeyError):
            continue  # the validator needs a field that failed
    return problems


def set_besides_enabled(section: BaseModel) -> list[str]:
    """The keys (camelCase) set in a section besides `enabled`: with `enabled: false` they have no effect."""
    names = {name: info.alias or name for name, info in type(section).model_fields.items()}
    return sorted(names[name] for name in section.model_fields_set - {"enabled"})


def at(key: str, message: str) -> str:
    """A problem of the nested key `key` (relative to the section raising it), e.g. at("tls.key", "...")."""
    return f"@{key}: {message}"


def fail(*problems: str) -> NoReturn:
    """Raise every problem of a section at once; loading names each with its full `wire:` key."""
    raise ValueError("\n".join(problems))
