"""Container image references as the kubelet pulls them: `<registry>/<repository>[:tag][@digest]`, no scheme."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def image_url_problem(value: str) -> str | None:
    """`a URL: ...; write '<reference>'` when `value` is a URL rather than an image reference; None otherwise.

    Callers name the value first: `'<value>' is a URL: ...`, `<key> is '<value>', a URL: ...`.
    """
    if not _SCHEME.match(value):
        return None
    bare = _SCHEME.sub("", value).rstrip("/")
    return (
        "a URL: an image is named <registry>/<repository>[:tag] without a scheme (the kubelet cannot pull a "
        f"URL); write '{bare}'"
    )
