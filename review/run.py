"""Run the offline plan of a stack at two revisions and compare them (the impure half of `review`)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from components import yaml_text
from components.config import ConfigError
from components.stackfile import read_stack_file
from policy import model, rules
from review import plan_cache
from review.diff import PropertyChange, diff_charts, diff_list, diff_release_values, diff_resources, wire_release
from review.render import StackReview, compare_outputs

# Last lines of a failed plan's output shown in the comment (the whole output is in the log).
ERROR_LINES = 25


class PlanFailed(Exception):
    pass


@dataclass
class PlanResult:
    plan: dict[str, Any] = field(default_factory=dict)
    # release -> values YAML text (the plan's `values/<release>.yaml`, redacted per leaf)
    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    # The stack file does not exist in this tree (a stack added or removed by the change).
    absent: bool = False

    def values_trees(self) -> dict[str, Any]:
        return {release: yaml_text.load(text) for release, text in self.values.items()}


class ReviewError(Exception):
    """A bad argument (revision, stack, repository): one message for the user, no traceback."""


def git(repo: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()
    except FileNotFoundError as error:
        raise ReviewError("git is not installed (or not on PATH)") from error


def repo_root(start: Path) -> Path:
    try:
        return Path(git(start, "rev-parse", "--show-toplevel"))
    except subprocess.CalledProcessError as error:
        message = f"{start} is not in a git repository: run the review inside a clone of the project"
        raise ReviewError(message) from error


def resolve(repo: Path, rev: str, option: str) -> str:
    """The commit a revision names; an unknown one is a ReviewError naming the option."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except subprocess.CalledProcessError as error:
        raise ReviewError(
            f"{option} {rev!r}: unknown git revision (not fetched? `git fetch origin`; a shallow clone needs "
            "`git fetch --unshallow`)"
        ) from error


def describe(repo: Path, rev: str | None) -> str:
    """Short SHA of a revision, or 'working tree'."""
    if rev is None:
        return "working tree"
    return git(repo, "rev-parse", "--short", f"{rev}^{{commit}}")


STACK_FILE = plan_cache.STACK_FILE


def stack_names(file_names: Iterable[str]) -> set[str]:
    """Stacks of the `Pulumi.<stack>.yaml` files among top-level file names."""
    return {match["stack"] for name in file_names if (match := STACK_FILE.match(name))}


def stacks_at(repo: Path, rev: str | None) -> set[str]:
    """Stacks with a stack file at a revision (None: the working tree)."""
    if rev is None:
        return stack_names(path.name for path in repo.iterdir())
    return stack_names(git(repo, "ls-tree", "--name-only", rev).splitlines())


def export_tree(repo: Path, rev: str, dest: Path) -> Path:
    """The files of a commit in `dest` (`git archive`: no worktree bookkeeping in a shared .git)."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=repo, check=True, capture_output=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def plan_env() -> dict[str, str]:
    """The environment of a plan: ours, without PYTHONPATH (the tree under review must be the one imported,
    not another checkout)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def run_plan(
    root: Path,
    stack: str,
    out: Path,
    python: str = sys.executable,
    *,
    here: bool = False,
    env: dict[str, str] | None = None,
) -> PlanResult:
    """`python -m plan --stack <stack> --out <out>` in `root`, with the same interpreter (and venv) as us.

    `here`: `root`'s program is the code this process runs (`runs_this_code`), so the plan runs in this
    process (`plan_here`): the same program, files and outputs, without a new interpreter importing the SDK
    again. Only from one thread at a time: an evaluation sets process-wide state (the SDK's, the environment).
    """
    if not (root / f"Pulumi.{stack}.yaml").exists():
        return PlanResult(absent=True)
    command = [python, "-m", "plan", "--stack", stack, "--out", str(out)]
    env = plan_env() if env is None else env
    key = plan_cache.plan_key(root, stack, python, env) if plan_cache.cache_dir() else None
    if key is not None and plan_cache.restore(key, out):
        return read_plan(out)
    ran = plan_here(root, stack, out) if here and python == sys.executable else None
    if ran is None:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
        ran = done.returncode, done.stdout + done.stderr
    returncode, output = ran
    if returncode != 0:
        lines = output.strip().splitlines()
        tail = "\n".join(lines[-ERROR_LINES:]) or f"exit status {returncode}"
        return PlanResult(error=f"$ {' '.join(command[1:])}  (in {root.name})\n{tail}")
    if key is not None:
        plan_cache.keep(key, out)
    return read_plan(out)


def plan_here(root: Path, stack: str, out: Path) -> tuple[int, str] | None:
    """`python -m plan` for `root` run in this process: its exit status and output, or None when it raised
    (the caller then runs it as a process, whose report of the failure is the one a user would see)."""
    from plan.__main__ import main

    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            returncode = main(["--stack", stack, "--out", str(out), "--root", str(root)])
    except SystemExit as exit_:  # argparse's
        returncode = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    except Exception:  # any failure: the separate process reports it as a user would see it
        return None
    return returncode, stdout.getvalue() + stderr.getvalue()  # as run_plan joins a process's


def runs_this_code(root: Path) -> bool:
    """Whether the program files of `root` (all but stack files and what a plan never reads) are byte for byte
    those of the code this process runs: then a plan of `root` can run here (`run_plan(here=True)`)."""
    from components.stackfile import PROJECT_ROOT

    return root.resolve() == PROJECT_ROOT or plan_cache.program_digest(root) == plan_cache.program_digest(PROJECT_ROOT)


def read_plan(out: Path) -> PlanResult:
    plan = rules.load_plan(out)[0]
    values = {
        release: (out / path).read_text()
        for release, path in (plan.get("values") or {}).items()
        if (out / path).exists()
    }
    return PlanResult(plan=plan, values=values)


def stack_context(root: Path, stack: str) -> model.Context:
    """The policy context from the stack file (same interpretation as the pack's; read as the CLI reads it)."""
    try:
        wire = read_stack_file(stack, root).namespace()
    except (FileNotFoundError, ConfigError):  # the head's plan reports an unreadable stack file
        wire = {}
    return rules.context_from_stack_config(wire)


def violations(result: PlanResult, ctx: model.Context) -> list[model.Violation]:
    if result.error or result.absent:
        return []
    return rules.check_plan(
        result.plan,
        irsa=ctx.irsa,
        production=ctx.production,
        values=result.values_trees(),
        static_key_exempt=ctx.static_key_exempt,
    )


def compare(stack: str, base: PlanResult, head: PlanResult, labels: tuple[str, str], ctx: model.Context) -> StackReview:
    review = StackReview(stack=stack, base=labels[0], head=labels[1], base_error=base.error, head_error=head.error)
    if head.error:
        return review
    review.resources = diff_resources(base.plan, head.plan)
    review.values = diff_release_values(base.values, head.values)
    review.outputs = compare_outputs(base.plan.get("outputs") or {}, head.plan.get("outputs") or {})
    review.warnings_added, review.warnings_removed = diff_list(
        base.plan.get("warnings") or [], head.plan.get("warnings") or []
    )
    review.secrets_added, review.secrets_removed = diff_list(
        base.plan.get("secretsToSet") or [], head.plan.get("secretsToSet") or []
    )
    review.charts = diff_charts(base.plan, head.plan)
    releases = (wire_release(base.plan), wire_release(head.plan))
    if releases[0] != releases[1]:
        review.wire_release = PropertyChange("wire:release", *releases)
    review.violations = violations(head, ctx)
    review.base_violations = violations(base, ctx)
    return review


_RELEASE_LINE = re.compile(r"^  wire:release:.*$", re.MULTILINE)


def with_release(stack_yaml: str, release: str) -> str:
    """A stack file's text with `wire:release` set to `release` (replaced, or added first under `config:`)."""
    line = f"  wire:release: {release}"
    if _RELEASE_LINE.search(stack_yaml):
        return _RELEASE_LINE.sub(line, stack_yaml, count=1)
    if not re.search(r"^config:[ \t]*$", stack_yaml, re.MULTILINE):
        raise ReviewError("a stack file has no top-level `config:` map to set wire:release in")
    return re.sub(r"^config:[ \t]*$", f"config:\n{line}", stack_yaml, count=1, flags=re.MULTILINE)


def release_tree(root: Path, release: str, dest: Path) -> Path:
    """A copy of the program at `root` with every stack file's `wire:release` set to `release` (a copy, not
    links: the plan finds its stack files next to its own resolved source)."""
    dest.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for entry in root.iterdir():
        if plan_cache.outside_program(entry.name):
            continue
        if stack_names([entry.name]):
            (dest / entry.name).write_text(with_release(entry.read_text(encoding="utf-8"), release), encoding="utf-8")
        elif entry.is_dir():
            shutil.copytree(entry, dest / entry.name, ignore=skip)
        else:
            shutil.copy2(entry, dest / entry.name)
    return dest


def review_stacks(
    repo: Path,
    base_rev: str | None,
    head_rev: str | None,
    stacks: list[str],
    work: Path,
    jobs: int = 4,
    base_release: str | None = None,
) -> list[StackReview]:
    """Plan every stack at base and head and compare: the plans of a tree whose program is the code running here
    in this process, the others in parallel, each its own process.

    With `base_release` the base is the head itself with every stack's `wire:release` set to it: what an
    upgrade (or a step back) between two Wire releases changes, before `pulumi up`."""
    head_root = repo if head_rev is None else export_tree(repo, head_rev, work / "head-tree")
    if base_release is not None:
        base_root = release_tree(head_root, base_release, work / "base-tree")
        labels = (f"wire:release {base_release}", describe(repo, head_rev))
    else:
        assert base_rev is not None
        base_root = export_tree(repo, base_rev, work / "base-tree")
        labels = (describe(repo, base_rev), describe(repo, head_rev))
    # A tree whose program is the code running here is planned in this process, one plan after the other, while
    # the plans of other trees run as processes in parallel; the environment is read before any plan runs here.
    env = plan_env()
    here = {root: runs_this_code(root) for root in (base_root, head_root)}
    plans = [
        (root, stack, work / side / stack)
        for side, root in (("base", base_root), ("head", head_root))
        for stack in stacks
    ]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        elsewhere = {
            (root, stack): pool.submit(run_plan, root, stack, out, env=env)
            for root, stack, out in plans
            if not here[root]
        }
        done = {
            (root, stack): run_plan(root, stack, out, here=True, env=env) for root, stack, out in plans if here[root]
        }
        done |= {job: future.result() for job, future in elsewhere.items()}
    results = {s: (done[base_root, s], done[head_root, s]) for s in stacks}
    reviews = []
    for stack in stacks:
        base, head = results[stack]
        if head.absent and base.absent:
            continue
        if head.absent:
            head = PlanResult(error=f"the stack file Pulumi.{stack}.yaml does not exist at the head")
        reviews.append(compare(stack, base, head, labels, stack_context(head_root, stack)))
    return reviews
