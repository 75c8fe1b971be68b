"""Stack files for tests: `good/` (every one plans) and `bad/` (every one is refused with one report).

The good stacks are the variant matrix of the program (push create/external/disabled, SES/SMTP with and
without auth, IRSA/static keys, every DNS target, every ingress, a cluster stack, optional sections left
out, CLI spellings and encodings); tests of any area can iterate over them:

    from tests.corpus import good_stacks, project_root
    root = project_root(tmp_path, good_stacks())          # a project with the real program
    evaluate("push-create", root)                          # stack name = case name

Values files the cases layer are in `values/` (and wire-server-deploy's examples in
tests/migrate/data/wire-server-deploy), reached from the project as `values/...` and `wire-server-deploy/...`.

Each bad case `bad/<case>.yaml` has `bad/<case>.expected`: one line per problem the report must name (a
substring of that problem line), in any order; the report has exactly that many problems. A good case may
have `good/<case>.warnings`: one line per warning its plan must give (a substring of that warning).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
PROGRAM = CORPUS.parent.parent
_PROGRAM_FILES = ("__main__.py", "components", "Pulumi.yaml")
# Values files the cases layer (wire:layeredValues), relative to the project as an operator's are:
# `values/` (the corpus' own) and `wire-server-deploy/` (wire-server-deploy's examples as they are, with
# their provenance in each file's header: tests/migrate/data/wire-server-deploy).
VALUES_FILES = {
    "values": CORPUS / "values",
    "wire-server-deploy": PROGRAM / "tests" / "migrate" / "data" / "wire-server-deploy",
}


def good_stacks() -> dict[str, Path]:
    """Every good stack file by case name (also its stack name in `project_root`)."""
    return _cases("good")


def bad_stacks() -> dict[str, Path]:
    return _cases("bad")


def expected_problems(case: Path) -> list[str]:
    """The problems a bad case's report must name (one per line of `<case>.expected`)."""
    lines = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def expected_warnings(case: Path) -> list[str]:
    """The warnings a good case's plan must give (one per line of `<case>.warnings`; none without the file)."""
    path = case.with_suffix(".warnings")
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def project_root(base: Path, stacks: Mapping[str, Path]) -> Path:
    """A project directory in `base` running the real program (symlinks) with each case as `Pulumi.<case>.yaml`."""
    base.mkdir(parents=True, exist_ok=True)
    for name in _PROGRAM_FILES:
        link = base / name
        if not link.exists():
            link.symlink_to(PROGRAM / name)
    for name, folder in VALUES_FILES.items():
        if not (base / name).exists():
            (base / name).symlink_to(folder)
    for name, path in stacks.items():
        shutil.copyfile(path, base / f"Pulumi.{name}.yaml")
    return base


@cache
def values_root() -> Path:
    """A folder where the corpus' layered values paths resolve (`values/...`, `wire-server-deploy/...`): the
    root of a good stack read outside `project_root` (the render tests). Removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="wire-corpus-"))
    atexit.register(shutil.rmtree, folder, True)
    for name, source in VALUES_FILES.items():
        (folder / name).symlink_to(source)
    return folder


def _cases(kind: str) -> dict[str, Path]:
    return {path.stem: path for path in sorted((CORPUS / kind).glob("*.yaml"))}
