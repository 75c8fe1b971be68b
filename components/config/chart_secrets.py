"""Which helm values keys hold secrets: the keys the charts' own Secret templates read.

A values file listed under `wire:layeredValues.files` is written in plain text into the plan's values
files and the Pulumi state; one holding these keys (wire-server-deploy's secrets.yaml: zAuth and MLS private
keys, RabbitMQ credentials, nginz basic auth, the TURN secret, ...) belongs under `secretFiles`.

The list is derived from the charts, not written by hand: `python -m components.config.chart_secrets
--write [CHARTS_DIR]` reads every `kind: Secret` template of the packaged Wire charts (default
`$WIRE_CHARTS_DIR`) and records the values paths they read in `data/chart_secret_keys.json` (a test
compares the file with the charts when they are at hand).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "chart_secret_keys.json"

# The packaged chart (file name prefix) -> the release key of wire:layeredValues / wire:extraValues.
CHART_RELEASES = {
    "wire-server": "wireServer",
    "nginx-ingress-services": "nginxIngressServices",
    "team-settings": "teamSettings",
    "account-pages": "accountPages",
    "webapp": "webapp",
}
# A values path read by a Secret template is secret when it is under `secrets` or names key material;
# certificates (tlsCa, tlsCrt) are public, and `enabled`-like switches are no values at all.
_SECRET_NAME = re.compile(r"(key|token|password|secret)(contents)?$", re.IGNORECASE)
_REFERENCE = re.compile(r"\$?\.Values((?:\.[A-Za-z0-9_]+)+)")
_INDEX = re.compile(r"(\$[A-Za-z0-9_]+)\s*:=\s*index\s+\.Values\s+\"([^\"]+)\"")


@cache
def secret_prefixes() -> dict[str, tuple[str, ...]]:
    """Release key -> the dotted values paths (and everything below them) the charts keep in Secrets."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {release: tuple(paths) for release, paths in data["releases"].items()}


def secret_keys_in(release: str, tree: Any) -> list[tuple[tuple[str, ...], str]]:
    """(key path of a set value, the chart's secret prefix it is under) for every secret-shaped key in `tree`."""
    prefixes = [(prefix, tuple(prefix.split("."))) for prefix in secret_prefixes().get(release, ())]
    found = []
    for path in _set_paths(tree, ()):
        prefix = next((dotted for dotted, parts in prefixes if path[: len(parts)] == parts), None)
        if prefix is not None:
            found.append((path, prefix))
    return found


def _set_paths(tree: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Paths of the values a file sets (an empty mapping, or null, sets nothing)."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _set_paths(value, (*path, str(key)))
    elif tree is not None and tree != "" and path:
        yield path


# --- deriving the list from the charts ---------------------------------------------------------------


def derive(charts_dir: Path) -> dict[str, list[str]]:
    """Release key -> secret values paths, from every packaged chart of CHART_RELEASES in `charts_dir`."""
    import tarfile

    found: dict[str, set[str]] = {}
    for archive in sorted(charts_dir.glob("*.tgz")):
        release = next((key for chart, key in CHART_RELEASES.items() if _is_chart(archive.name, chart)), None)
        if release is None:
            continue
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                parts = member.name.split("/")
                if not member.isfile() or "templates" not in parts or "tests" in parts:
                    continue
                handle = tar.extractfile(member)
                text = handle.read().decode("utf-8", "replace") if handle else ""
                if not re.search(r"(?m)^kind:\s*Secret\s*$", text):
                    continue
                prefix = _subchart_prefix(parts)
                found.setdefault(release, set()).update(prefix + path for path in _secret_paths(text))
    return {release: _shortest(paths) for release, paths in sorted(found.items())}


def _is_chart(file_name: str, chart: str) -> bool:
    return re.match(rf"^{re.escape(chart)}-v?\d", file_name) is not None


def _subchart_prefix(parts: list[str]) -> str:
    """`wire-server/charts/nginz/templates/secret.yaml` -> `nginz.` (a subchart's values sit under its name)."""
    names = [parts[index + 1] for index, part in enumerate(parts[:-1]) if part == "charts"]
    return "".join(f"{name}." for name in names)


def _secret_paths(template: str) -> set[str]:
    variables = {name: key for name, key in _INDEX.findall(template)}
    paths = {match.group(1).lstrip(".") for match in _REFERENCE.finditer(template)}
    for name, key in variables.items():
        paths |= {f"{key}{rest}" for rest in re.findall(rf"{re.escape(name)}((?:\.[A-Za-z0-9_]+)+)", template)}
    return {path for path in paths if _is_secret_path(path)}


def _is_secret_path(path: str) -> bool:
    parts = path.split(".")
    if "secrets" in parts:
        # `<service>.secrets` itself and anything below it; not a switch beside it.
        return True
    # A switch (`tls.useSharedFederatorSecret`) names a secret but holds none.
    return _SECRET_NAME.search(parts[-1]) is not None and not re.match(r"^(use|enable)[A-Z]", parts[-1])


def _shortest(paths: set[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(paths, key=lambda p: (p.count("."), p)):
        parts = path.split(".")
        # Cut at `secrets`: the whole block is the chart's Secret.
        if "secrets" in parts:
            path = ".".join(parts[: parts.index("secrets") + 1])
        if not any(path == k or path.startswith(f"{k}.") for k in kept):
            kept.append(path)
    return sorted(kept)


def main(argv: list[str] | None = None) -> int:
    import os

    args = list(sys.argv[1:] if argv is None else argv)
    write = "--write" in args
    args = [arg for arg in args if arg != "--write"]
    folder = args[0] if args else os.environ.get("WIRE_CHARTS_DIR")
    if not folder or not Path(folder).is_dir():
        print("error: give the folder of the packaged charts (or set WIRE_CHARTS_DIR)", file=sys.stderr)
        return 2
    derived = derive(Path(folder))
    text = json.dumps({"releases": derived}, indent=2, sort_keys=True) + "\n"
    if write:
        DATA.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
