"""Wire's and AWS's published reference files (`../shared/reference/`), found through the settings CI passes.

`$WIRE_REFERENCE_DIR`, else `reference/` beside `$WIRE_CHARTS_DIR`. Without it, a test comparing with them
skips saying how to run it (CI=true makes it fail instead, as the render tests do).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REFERENCE_ENV = "WIRE_REFERENCE_DIR"


def reference_dir() -> Path | None:
    configured = os.environ.get(REFERENCE_ENV)
    if configured:
        return Path(configured)
    charts = os.environ.get("WIRE_CHARTS_DIR")
    return Path(charts).parent / "reference" if charts else None


def reference_or_skip(relative: str) -> Path:
    """The reference file or folder `relative`, or skip (fail under CI=true) with how to provide it."""
    folder = reference_dir()
    path = folder / relative if folder is not None else None
    if path is None or not path.exists():
        reason = (
            f"reference {relative} not found: set {REFERENCE_ENV}=<folder of reference files> "
            "(or WIRE_CHARTS_DIR with reference/ beside it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert path is not None
    return path
