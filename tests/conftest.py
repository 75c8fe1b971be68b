"""Run-wide test machinery, the same with one process or with pytest-xdist workers (`make test` uses them):

- helm renders are kept for the run in one folder shared by every worker (plan/render.RENDER_CACHE_ENV), so
  each distinct render (same helm, chart, options and values) runs once however many tests read it;
- what tests note for the summary (tests/run_notes.py) reaches the controller and is printed once;
- with `--dist loadscope` (`make test`), a worker takes whole units of work: a module, except that the render
  tests of one stack variant (`[<stack>@<layout>]`, tests/render) go together across modules, so each worker
  builds and reads only its own stacks' renders; module-scoped fixtures run once. The units go out in
  collection order with the render units last: the long modules (reviews of git history, moto) start early,
  and the many short render units even out the end of the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

import pytest

from tests import run_notes

# plan/render.RENDER_CACHE_ENV, spelled out so the controller does not import the project to start workers.
RENDER_CACHE_ENV = "WIRE_RENDER_CACHE"
_WORKER_KEY = "wire_render_cache"
_NOTES_KEY = "wire_run_notes"
_owned: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        os.environ[RENDER_CACHE_ENV] = workerinput[_WORKER_KEY]
    elif not os.environ.get(RENDER_CACHE_ENV):
        # One folder per run: nothing survives into the next run, so a render is never stale.
        folder = tempfile.mkdtemp(prefix="wire-render-cache-")
        _owned.append(folder)
        os.environ[RENDER_CACHE_ENV] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    while _owned:
        folder = _owned.pop()
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get(RENDER_CACHE_ENV) == folder:
            del os.environ[RENDER_CACHE_ENV]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist (controller): every worker renders into the controller's folder."""
    node.workerinput[_WORKER_KEY] = os.environ[RENDER_CACHE_ENV]


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
