"""Run-wide test machinery, the same with one process or with pytest-xdist workers (`make test` uses them):

- helm renders are kept for the run in one folder shared by every worker (plan/render.RENDER_CACHE_ENV), so
  each distinct render (same helm, chart, options and values) runs once however many tests read it; so are
  the plans `review` runs (review/plan_cache.py: same tree, stack, interpreter and environment) and the
  evaluations of the project's own stacks that tests read as data (tests/evaluations.py);
- what tests note for the summary (tests/run_notes.py) reaches the controller and is printed once;
- the cyclic garbage collector's full walks come ten times less often (FULL_COLLECTION_EVERY), and what
  collection loaded is left out of them (`gc.freeze`);
- with `--dist loadscope` (`make test`), a worker takes whole units of work: a module, except that the render
  tests of one stack variant (`[<stack>@<layout>]`, tests/render) go together across modules, so each worker
  builds and reads only its own stacks' renders; module-scoped fixtures run once. The units go out in
  collection order with the render units last: the long modules (reviews of git history, moto) start early,
  and the many short render units even out the end of the run.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from typing import Any

import pytest

from tests import run_notes

# plan/render.RENDER_CACHE_ENV and review/plan_cache.PLAN_CACHE_ENV, spelled out so the controller does not
# import the project to start workers.
RENDER_CACHE_ENV = "WIRE_RENDER_CACHE"
PLAN_CACHE_ENV = "WIRE_REVIEW_PLAN_CACHE"
# tests/evaluations.EVALUATION_CACHE_ENV.
EVALUATION_CACHE_ENV = "WIRE_EVALUATION_CACHE"
# Run-wide folders: environment variable -> (the key workers receive it under, the folder's name prefix).
_RUN_FOLDERS = {
    RENDER_CACHE_ENV: ("wire_render_cache", "wire-render-cache-"),
    PLAN_CACHE_ENV: ("wire_review_plan_cache", "wire-review-plans-"),
    EVALUATION_CACHE_ENV: ("wire_evaluation_cache", "wire-evaluations-"),
}
_NOTES_KEY = "wire_run_notes"
_owned: dict[str, str] = {}
# Young collections between two full ones (Python's default: 10). A test process holds what the whole session
# imported and cached (the SDKs' modules, renders, plans): every full collection walks all of it, and with the
# default those walks were about a third of a worker's CPU time. Cycles now wait longer; a worker's peak
# memory grows by about a tenth.
FULL_COLLECTION_EVERY = 100


def pytest_configure(config: pytest.Config) -> None:
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    workerinput = getattr(config, "workerinput", None)
    for env, (worker_key, prefix) in _RUN_FOLDERS.items():
        if workerinput is not None:
            os.environ[env] = workerinput[worker_key]
        elif not os.environ.get(env):
            # One folder per run: nothing survives into the next run, so nothing kept is ever stale.
            _owned[env] = os.environ[env] = tempfile.mkdtemp(prefix=prefix)


def pytest_unconfigure(config: pytest.Config) -> None:
    for env, folder in list(_owned.items()):
        del _owned[env]
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get(env) == folder:
            del os.environ[env]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist (controller): every worker renders (and keeps review plans) in the controller's folders."""
    for env, (worker_key, _) in _RUN_FOLDERS.items():
        node.workerinput[worker_key] = os.environ[env]


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_NOTES_KEY] = run_notes.exported()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist (controller): a worker's notes join the summary."""
    run_notes.merge(getattr(node, "workeroutput", {}).get(_NOTES_KEY, {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in run_notes.lines():
        terminalreporter.write_line(line)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # xdist would send the units with the most tests first: a module of three slow tests would start last.
    config.option.loadscopereorder = False

    class ByModuleAndStack(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ByModuleAndStack(config, log)


def work_unit(nodeid: str) -> str:
    """The module of a test, or for a render test of one stack variant that variant (`render:<stack>@<layout>`)."""
    module, _, rest = nodeid.partition("::")
    params = rest[rest.find("[") + 1 : -1] if rest.endswith("]") else ""
    if module.startswith("tests/render/") and "@" in params:
        return f"render:{params}"
    return module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On xdist workers: the render tests of stack variants after everything else (see the module docstring)."""
    if getattr(config, "workerinput", None) is not None:
        items.sort(key=lambda item: work_unit(item.nodeid).startswith("render:"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection loaded (the project, the SDK's modules, every test) stays for the session: the cyclic
    collector leaves it out of its walks from now on (`gc.freeze`), which otherwise cross all of it again at every
    full collection (measured: about 7% of the CPU of tests/plan/test_engine* and tests/components/{aws,k8s})."""
    gc.collect()  # nothing unreachable is frozen
    gc.freeze()
