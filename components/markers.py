"""Generated sections of the docs: the text between a start and an end marker (tests compare it)."""

from __future__ import annotations


def marked(text: str, start: str, end: str) -> str:
    """The text between the markers, without the newlines next to them."""
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def replace_marked(text: str, start: str, end: str, body: str) -> str:
    """`text` with the section between the markers replaced by `body`."""
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{start}\n{body.strip(chr(10))}\n{end}{after}"
