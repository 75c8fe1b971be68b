"""Offline plans kept in a folder named by WIRE_REVIEW_PLAN_CACHE (the test run sets it; nobody else needs to).

The tests of `review` plan the same program several times: one commit is the head of one review and the base
of the next, and the project as it stands is the base or head of reviews in three modules. A plan is a pure
function of the files of the tree, the stack, the interpreter and the environment (the project is
deterministic), so a plan is kept under the digest of all of them and copied instead of run again. Only
plans that succeeded are kept; without the variable nothing is read or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

PLAN_CACHE_ENV = "WIRE_REVIEW_PLAN_CACHE"
# A stack file's name: the stack's configuration, not the program's code.
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.yaml$")

# Set per test or per worker by pytest, or naming a cache: they cannot change a plan.
_VOLATILE_ENV = {
    PLAN_CACHE_ENV,
    "WIRE_EVALUATION_CACHE",
    "WIRE_RENDER_CACHE",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
}


def cache_dir() -> Path | None:
    folder = os.environ.get(PLAN_CACHE_ENV)
    return Path(folder) if folder else None


def plan_key(root: Path, stack: str, python: str, env: Mapping[str, str]) -> str:
    """The digest of everything a plan of `stack` in `root` reads: the tree's files, the interpreter, the env."""
    digest = hashlib.sha256()
    kept_env = sorted((key, value) for key, value in env.items() if key not in _VOLATILE_ENV)
    digest.update(json.dumps([stack, python, kept_env]).encode())
    _add_files(digest, root, _files(root))
    return digest.hexdigest()


def program_digest(root: Path) -> str:
    """The digest of the program files of `root`: those of `plan_key` but the stack files (the code, its data)."""
    digest = hashlib.sha256()
    _add_files(
        digest, root, (path for path in _files(root) if not (path.parent == root and STACK_FILE.match(path.name)))
    )
    return digest.hexdigest()


def _add_files(digest: Any, root: Path, paths: Iterable[Path]) -> None:
    for path in paths:
        name = path.relative_to(root).as_posix().encode()
        data = path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)


def _files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        at_top = Path(folder) == root
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not (at_top and outside_program(d)))
        for name in sorted(files):
            if not name.endswith(".pyc") and not (at_top and outside_program(name)):
                yield Path(folder) / name


def outside_program(top_level_name: str) -> bool:
    """Top-level entries a plan never reads: version control, the venv, tool caches (.hypothesis,
    .pytest_cache, ...), build output (the plan's default --out) and the tests. Left out of the digest here
    and of the copy review.run.release_tree plans."""
    return top_level_name.startswith(".") or top_level_name in ("build", "tests")


def restore(key: str, out: Path) -> bool:
    """The kept plan for `key` copied to `out`; False when none is kept."""
    folder = cache_dir()
    if folder is None or not (folder / key).is_dir():
        return False
    shutil.copytree(folder / key, out, dirs_exist_ok=True)
    return True


def keep(key: str, out: Path) -> None:
    """The plan in `out` kept for `key` (copied, then renamed into place: a reader never sees half of it)."""
    folder = cache_dir()
    if folder is None or (folder / key).exists():
        return
    partial = folder / f"{key}.partial-{os.getpid()}-{threading.get_ident()}"
    shutil.copytree(out, partial)
    try:
        partial.rename(folder / key)
    except OSError:  # kept meanwhile by another worker or thread: theirs is the same plan
        pass
    finally:
        shutil.rmtree(partial, ignore_errors=True)
