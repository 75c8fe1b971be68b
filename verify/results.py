"""One result per check: what was checked, on which resource, and what to do about it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    FAIL = "fail"
    # Worth knowing, but the services run: never changes the exit code.
    WARN = "warn"


SYMBOLS = {Status.OK: "✔", Status.FAIL: "✘", Status.WARN: "!"}


@dataclass(frozen=True)
class Result:
    check: str
    resource: str
    status: Status
    message: str

    def line(self) -> str:
        return f"{SYMBOLS[self.status]} {self.check}: {self.resource} - {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "status": self.status.value}


def ok(check: str, resource: str, message: str) -> Result:
    return Result(check, resource, Status.OK, message)


def fail(check: str, resource: str, message: str) -> Result:
    return Result(check, resource, Status.FAIL, message)


def warn(check: str, resource: str, message: str) -> Result:
    return Result(check, resource, Status.WARN, message)


def exit_code(results: Iterable[Result]) -> int:
    return 1 if any(result.status == Status.FAIL for result in results) else 0


def render_text(results: list[Result]) -> str:
    failed = sum(result.status == Status.FAIL for result in results)
    warned = sum(result.status == Status.WARN for result in results)
    summary = f"{len(results)} checks: {failed} failed, {warned} warning(s)"
    return "\n".join([*(result.line() for result in results), summary])


def render_json(results: list[Result]) -> str:
    return json.dumps([result.as_dict() for result in results], indent=2, ensure_ascii=False)
