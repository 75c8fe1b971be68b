"""Subprocess timings: the offline plan, its floors, stacks with extra DNS records, the tests.

Each figure is the best of N wall times (the minimum is the least noisy estimate of the cost on a
shared machine), and plan and floor runs alternate so that both see the same background load.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from components.stackfile import PROJECT_ROOT, stack_path

SDK_PACKAGES = ("pulumi", "pulumi_aws", "pulumi_kubernetes")

# Run in a child so the parent's imports do not count. pulumi_aws and pulumi_kubernetes register
# their service modules lazily (pulumi._utils._LazyModule in sys.modules); only the ones actually
# executed are part of what the program uses. An executed one may be of a ModuleType subclass of its
# own (pulumi_aws.config becomes an _ExportableConfig); left out, the floor imported pulumi_aws.config.outputs
# before the package had run and failed on the SDK's circular import.
_DISCOVER = """
import sys, types
from pathlib import Path
from plan.runner import evaluate
evaluate(sys.argv[1], Path(sys.argv[2]))
packages = {packages!r}
for name, module in sorted(sys.modules.items()):
    executed = isinstance(module, types.ModuleType) and type(module).__name__ != "_LazyModule"
    if name.split(".")[0] in packages and executed:
        print(name)
"""


# Where the P1 registration floor script lives in the development setup (../shared next to the checkout, or
# further up for a worktree); a user's clone has none.
P1_FLOOR_ENV = "P1_FLOOR"
P1_FLOOR_CANDIDATES = tuple(parent / "shared" / "tools" / "p1_floor.py" for parent in PROJECT_ROOT.parents)


@dataclass(frozen=True)
class Timing:
    runs: list[float]
    cpu: tuple[float, ...] = ()  # CPU seconds (user + sys) of the same runs: less disturbed by other load

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def best_cpu(self) -> float | None:
        return min(self.cpu) if self.cpu else None


def run(argv: Sequence[str], cwd: Path = PROJECT_ROOT, *, check: bool = True) -> float:
    """Wall seconds of one subprocess; a failure stops the benchmark with the child's error unless not `check`."""
    return run_timed(argv, cwd, check=check)[0]


def run_timed(argv: Sequence[str], cwd: Path = PROJECT_ROOT, *, check: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds of one subprocess (see `run`)."""
    before = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True, check=False, env=user_env())
    elapsed = time.perf_counter() - start
    if done.returncode != 0 and check:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {done.returncode}:\n{tail}")
    return elapsed, children_cpu() - before


def user_env() -> dict[str, str]:
    """The environment a user's run has: Python's bytecode cache on. An inherited PYTHONDONTWRITEBYTECODE would
    make the project's modules compile from source on every run, while the SDK's were compiled once by pip."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plan_argv(stack: str, out: Path, root: Path = PROJECT_ROOT, python: str = sys.executable) -> list[str]:
    argv = [python, "-m", "plan", "--stack", stack, "--out", str(out), "--quiet"]
    return argv if root == PROJECT_ROOT else [*argv, "--root", str(root)]


def floor_argv(modules: Sequence[str], python: str = sys.executable) -> list[str]:
    # `import a.b` leaves a lazily registered module unexecuted; touching an attribute runs it, as the plan did.
    script = (
        f"import importlib\nfor name in {list(modules)!r}:\n    getattr(importlib.import_module(name), '_x', None)\n"
    )
    return [python, "-c", script]


def p1_floor_script(option: Path | None = None, environ: Mapping[str, str] = os.environ) -> Path | str:
    """The P1 floor script to run, or why there is none: the option, else $P1_FLOOR, else the nearest
    shared/tools/p1_floor.py above the project."""
    if option is not None:
        chosen, source = option, "--p1-floor"
    elif environ.get(P1_FLOOR_ENV):
        chosen, source = Path(environ[P1_FLOOR_ENV]), f"${P1_FLOOR_ENV}"
    else:
        found = next((path for path in P1_FLOOR_CANDIDATES if path.is_file()), None)
        return found or f"no floor script (set {P1_FLOOR_ENV} or --p1-floor to p1_floor.py)"
    return chosen if chosen.is_file() else f"{source} {chosen} is not a file"


def floor_importable(type_token: str) -> bool:
    """Whether p1_floor.py can import an SDK class for this type, by its own rule (module from the token).

    A Kubernetes custom resource (e.g. cert-manager's ClusterIssuer) has a type token but no SDK module."""
    package, module, _cls = type_token.split(":")
    if package == "aws":
        name = f"pulumi_aws.{module.split('/')[0]}"
    elif module.startswith("helm.sh/"):
        name = f"pulumi_kubernetes.helm.{module.split('/')[1]}"
    else:
        name = "pulumi_kubernetes." + module.replace("/", ".")
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def floor_plan(source: Path, dest: Path) -> int:
    """Copy a plan.json for p1_floor.py without the resources it cannot import a class for; how many were left
    out (leaving them out only lowers the floor, so the ratio stays on the safe side)."""
    document = json.loads(source.read_text())
    resources = document.get("resources", [])
    kept = [
        r for r in resources if not r.get("custom") or r["type"].startswith("pulumi:") or floor_importable(r["type"])
    ]
    dest.write_text(json.dumps({**document, "resources": kept}))
    return len(resources) - len(kept)


def p1_floor_argv(script: Path, plan_json: Path, python: str = sys.executable) -> list[str]:
    return [python, str(script), str(plan_json)]


def sdk_modules(stack: str, root: Path = PROJECT_ROOT, python: str = sys.executable) -> list[str]:
    """The SDK modules a plan of `stack` really executes (not the lazily registered ones)."""
    script = _DISCOVER.format(packages=SDK_PACKAGES)
    done = subprocess.run(
        [python, "-c", script, stack, str(root)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"could not evaluate stack {stack}:\n{done.stderr[-2000:]}")
    return [line for line in done.stdout.split() if line]


def alternate(commands: Sequence[Sequence[str]], runs: int, cwd: Path = PROJECT_ROOT) -> list[Timing]:
    """Best-of-`runs` for several commands, interleaved run by run; one warm-up each fills the OS cache."""
    for argv in commands:
        run(argv, cwd)
    times: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for index, argv in enumerate(commands):
            times[index].append(run_timed(argv, cwd))
    return [Timing([wall for wall, _ in t], tuple(cpu for _, cpu in t)) for t in times]


def extra_records(count: int) -> list[dict[str, Any]]:
    """`count` distinct A records (TEST-NET-1 addresses, RFC 5737) for dns.extraRecords."""
    return [
        {"name": f"bench-{i:04d}", "type": "A", "values": [f"192.0.2.{i % 254 + 1}"], "ttl": 300} for i in range(count)
    ]


def with_extra_records(stack_document: dict[str, Any], count: int) -> dict[str, Any]:
    """A copy of a stack file's document with `count` more dns.extraRecords (secure values untouched)."""
    config = dict(stack_document.get("config") or {})
    dns = dict(config.get("wire:dns") or {})
    if not dns:
        raise ValueError("the stack has no wire:dns section to add records to")
    dns["extraRecords"] = list(dns.get("extraRecords") or []) + extra_records(count)
    config["wire:dns"] = dns
    return {**stack_document, "config": config}


def scaled_root(base: Path, stack: str, count: int, root: Path = PROJECT_ROOT) -> Path:
    """A project root in `base` with the real program (symlinks) and a stack file with `count` extra records."""
    target = base / f"records-{count}"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("__main__.py", "components", "Pulumi.yaml"):
        link = target / name
        if not link.exists():
            link.symlink_to(root / name)
    document = yaml.safe_load(stack_path(stack, root).read_text()) or {}
    stack_path(stack, target).write_text(yaml.safe_dump(with_extra_records(document, count), sort_keys=False))
    return target


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
    }
