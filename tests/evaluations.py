"""Whole-stack evaluations of the project's own stacks kept for the test run, for tests that read a plan as data.

Many modules read the plan of `dev` or `prod` (the shape of plan.json, the golden files, the IAM lint, ...);
each evaluated them again, in every worker. A plan is a pure function of the project's files, the stack, the
mode, the interpreter and the environment (review/plan_cache.py keys the plans `review` runs the same way), so
while WIRE_EVALUATION_CACHE names a folder (tests/conftest.py sets one per run, shared by the workers) the
first evaluation is kept there, pickled, and every later one is a fresh copy of it: a test may change its copy.
Without the variable, or for another root, this is `plan.runner.evaluate`. Tests about the evaluation itself
(determinism, a fresh process, failures) call that directly.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from components.stackfile import PROJECT_ROOT
from plan import runner
from review.plan_cache import plan_key

EVALUATION_CACHE_ENV = "WIRE_EVALUATION_CACHE"


def evaluate(stack: str, *, preview: bool = False) -> runner.Plan:
    """`plan.runner.evaluate(stack, PROJECT_ROOT, preview=preview)`, evaluated once per test run."""
    folder = os.environ.get(EVALUATION_CACHE_ENV)
    if not folder:
        return runner.evaluate(stack, PROJECT_ROOT, preview=preview)
    mode = "preview" if preview else "up"
    kept = Path(folder) / f"{plan_key(PROJECT_ROOT, f'{stack} ({mode})', sys.executable, os.environ)}.pickle"
    try:
        return pickle.loads(kept.read_bytes())
    except FileNotFoundError:
        pass
    plan = runner.evaluate(stack, PROJECT_ROOT, preview=preview)
    data = pickle.dumps(plan)
    partial = kept.with_name(f"{kept.name}.partial-{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(kept)  # whole or not at all: another worker may read it meanwhile (the same plan)
    return pickle.loads(data)  # a copy, as every later caller gets: the caller may change it
