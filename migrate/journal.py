"""A local record of verified copies (JSON lines, one per object, appended; fsynced at most once a second).

Optional: the destination's state alone makes a rerun safe. The journal adds the source ETag each
copy was made from, so a source object rewritten since is copied again even when size and time
cannot tell. A torn last line after a crash is ignored, and so may be the last second's lines after a
power loss: those objects are then decided from the destination again (one fsync per object cost the
copy more than the copy of a small object itself).
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

SYNC_SECONDS = 1.0


@dataclass(frozen=True)
class Entry:
    key: str
    source_etag: str
    size: int
    dest_etag: str
    # What the copy was verified with (transfer.Copied): "md5:<hex>" or "sha256:<base64>".
    checksum: str


class Journal:
    def __init__(self, path: Path | None, *, writable: bool) -> None:
        self.path = path
        self._writable = writable and path is not None
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self._file: TextIO | None = None
        self._synced = 0.0
        if path is not None and path.exists():
            self._load(path.read_text(encoding="utf-8"))

    def _load(self, text: str) -> None:
        """Entries from JSON lines; a later line of the same key wins, a torn one is skipped."""
        for line in text.splitlines():
            entry = _parse(line)
            if entry is not None:
                self._entries[entry.key] = entry

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def copied_keys(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def record(self, entry: Entry) -> None:
        with self._lock:
            self._entries[entry.key] = entry
            if not self._writable or self.path is None:
                return
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(json.dumps(asdict(entry), sort_keys=True) + "\n")
            self._file.flush()
            now = time.monotonic()
            if now - self._synced >= SYNC_SECONDS:
                os.fsync(self._file.fileno())
                self._synced = now

    def close(self) -> None:
        """Sync and close the file (the end of a run); a later record opens it again."""
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None


def _parse(line: str) -> Entry | None:
    try:
        data = json.loads(line)
        if "checksum_sha256" in data:  # a journal written before single-part copies were verified by MD5
            data["checksum"] = "sha256:" + str(data.pop("checksum_sha256"))
        return Entry(**data)
    except (ValueError, TypeError):
        return None
