"""The outcome of each object and the final report of a run (text for people, JSON for machines)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    COPIED = "copied"
    SKIPPED = "skipped"
    WOULD_COPY = "would copy"
    VERIFIED = "verified"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    key: str
    status: Status
    size: int
    reason: str

    def line(self) -> str:
        return f"{self.status.value}: {self.key} ({size_text(self.size)}) - {self.reason}"


def size_text(count: int) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


@dataclass
class Report:
    source: str
    destination: str
    dry_run: bool = False
    # --verify: both sides re-read and compared, nothing written.
    verify: bool = False
    listed: int = 0
    listed_bytes: int = 0
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    sizes: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    failures: list[Outcome] = field(default_factory=list)
    # Set when the listing of the source broke off or the run was interrupted: not everything was seen.
    incomplete: str | None = None
    # Keys the journal has a verified copy of that the source no longer lists: their copies are kept.
    gone_from_source: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        self.sizes[outcome.status] += outcome.size
        if outcome.status == Status.FAILED:
            self.failures.append(outcome)

    @property
    def ok(self) -> bool:
        return not self.failures and self.incomplete is None

    def text(self) -> str:
        c, s = self.counts, self.sizes
        head = f"{self.source} -> {self.destination}: listed {self.listed} objects ({size_text(self.listed_bytes)})"
        if self.verify:
            body = (
                f"verified {c[Status.VERIFIED]} ({size_text(s[Status.VERIFIED])}), "
                f"differ or missing {c[Status.FAILED]} (verify: both sides re-read, nothing written)"
            )
        elif self.dry_run:
            body = (
                f"would copy {c[Status.WOULD_COPY]} ({size_text(s[Status.WOULD_COPY])}), "
                f"skipped {c[Status.SKIPPED]}, failed {c[Status.FAILED]} (dry run: nothing written)"
            )
        else:
            body = (
                f"copied {c[Status.COPIED]} ({size_text(s[Status.COPIED])}, {s[Status.COPIED]} bytes), "
                f"skipped {c[Status.SKIPPED]} ({size_text(s[Status.SKIPPED])}), failed {c[Status.FAILED]}"
            )
        lines = [head, body]
        lines += [f"  FAILED {outcome.key}: {outcome.reason}" for outcome in self.failures]
        if self.incomplete:
            lines.append(f"  INCOMPLETE: {self.incomplete}")
        if self.gone_from_source:
            lines.append(
                f"  GONE FROM THE SOURCE: {len(self.gone_from_source)} object(s) copied earlier are no longer at the "
                "source; their copies are kept at the destination (never deleted), so it lists that many more objects "
                "than the source:"
            )
            lines += [f"    {key}" for key in self.gone_from_source]
        lines.append("OK: every object is at the destination, verified" if self.ok and not self.dry_run else "")
        if not self.ok:
            lines.append("NOT DONE: fix the failures above and run the same command again (it resumes)")
        return "\n".join(line for line in lines if line)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "destination": self.destination,
            "dryRun": self.dry_run,
            "listed": self.listed,
            "listedBytes": self.listed_bytes,
            "copied": self.counts[Status.COPIED],
            "copiedBytes": self.sizes[Status.COPIED],
            "skipped": self.counts[Status.SKIPPED],
            "skippedBytes": self.sizes[Status.SKIPPED],
            "wouldCopy": self.counts[Status.WOULD_COPY],
            "wouldCopyBytes": self.sizes[Status.WOULD_COPY],
            "verified": self.counts[Status.VERIFIED],
            "verifiedBytes": self.sizes[Status.VERIFIED],
            "failed": self.counts[Status.FAILED],
            "goneFromSource": list(self.gone_from_source),
            "failures": [{"key": o.key, "reason": o.reason} for o in self.failures],
            "incomplete": self.incomplete,
            "ok": self.ok,
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), indent=2)
