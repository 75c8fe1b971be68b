"""Progress of a copy: a redrawn bar on a terminal, plain lines (and a periodic summary) otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from migrate.report import Outcome, Status, size_text

_BAR_WIDTH = 24


class Progress:
    def __init__(
        self,
        *,
        lines: TextIO | None = None,
        bar: TextIO | None = None,
        tty: bool | None = None,
        redraw_seconds: float = 0.2,
        summary_seconds: float = 30.0,
    ) -> None:
        # Per-object lines go to `lines` (stdout, or stderr when stdout carries JSON); the bar to `bar`.
        self._lines = lines or sys.stdout
        self._bar = bar or sys.stderr
        self._tty = self._bar.isatty() if tty is None else tty
        self._redraw_seconds = redraw_seconds if self._tty else summary_seconds
        self._lock = threading.Lock()
        self._started = time.monotonic()
        # A terminal gets its bar at once; a log its first summary line after one interval.
        self._last_draw = 0.0 if self._tty else self._started
        self._drawn = False
        self.listed = self.listed_bytes = 0
        self.finished = self.finished_bytes = self.transferred = self.failed = 0

    def on_listed(self, size: int) -> None:
        with self._lock:
            self.listed += 1
            self.listed_bytes += size
            self._maybe_draw()

    def on_bytes(self, count: int) -> None:
        with self._lock:
            self.transferred += count
            self._maybe_draw()

    def on_outcome(self, outcome: Outcome) -> None:
        with self._lock:
            self.finished += 1
            self.finished_bytes += outcome.size
            self.failed += outcome.status == Status.FAILED
            # On a terminal the bar shows the copies; failures and the dry run's list are always printed.
            quiet = outcome.status in (Status.SKIPPED, Status.VERIFIED)
            if not quiet and not (self._tty and outcome.status == Status.COPIED):
                self._print(outcome.line())
            self._maybe_draw()

    def close(self) -> None:
        with self._lock:
            if self._tty:
                self._draw()
                self._bar.write("\n")
                self._bar.flush()
                self._drawn = False

    def status_text(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        percent = 100 * self.finished_bytes / self.listed_bytes if self.listed_bytes else 100.0
        return (
            f"{percent:5.1f}% {self.finished}/{self.listed} objects, {self.failed} failed, "
            f"{size_text(self.transferred)} transferred at {size_text(int(self.transferred / elapsed))}/s"
        )

    def _print(self, line: str) -> None:
        if self._drawn:
            self._bar.write("\r\033[K")
            self._drawn = False
        self._lines.write(line + "\n")
        self._lines.flush()

    def _maybe_draw(self) -> None:
        now = time.monotonic()
        if now - self._last_draw >= self._redraw_seconds:
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        if not self._tty:
            self._bar.write(f"progress: {self.status_text()}\n")
            self._bar.flush()
            return
        filled = int(_BAR_WIDTH * self.finished_bytes / self.listed_bytes) if self.listed_bytes else _BAR_WIDTH
        bar = "█" * filled + "·" * (_BAR_WIDTH - filled)
        self._bar.write(f"\r\033[K{bar} {self.status_text()}")
        self._bar.flush()
        self._drawn = True
