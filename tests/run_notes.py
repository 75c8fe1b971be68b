"""Lines for the end of a test run, noted by whichever process ran the test (tests/conftest.py prints them,
after collecting them from the xdist workers).

NOTES maps a line's template to the items noted under it: the summary prints `template.format(items)`, the
items sorted and joined by "; ". Kept free of imports, so the controller loads it without the project.
"""

from __future__ import annotations

NOTES: dict[str, set[str]] = {}


def note(template: str, item: str) -> None:
    NOTES.setdefault(template, set()).add(item)


def merge(notes: dict[str, list[str]]) -> None:
    for template, items in notes.items():
        NOTES.setdefault(template, set()).update(items)


def exported() -> dict[str, list[str]]:
    """NOTES as plain lists (what an xdist worker can send to the controller)."""
    return {template: sorted(items) for template, items in NOTES.items()}


def lines() -> list[str]:
    return [template.format("; ".join(sorted(items))) for template, items in sorted(NOTES.items()) if items]
