"""`python -m plan --stack <stack> [--out DIR]`: the offline plan (see plan/runner.py)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from contextlib import nullcontext
from pathlib import Path

if __name__ == "__main__":
    # A process that plans once and exits: the cyclic collector's walks over a heap of mostly SDK modules and types
    # would only free what the exit frees (its peak memory is the same without them, about 190 MB for prod).
    gc.disable()

from components.config import ConfigError
from components.stackfile import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m plan",
        description="Evaluate the Pulumi program offline (mocks, no CLI, no credentials) and write plan.json "
        "and one helm values file per release.",
    )
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--out", type=Path, help="output directory (default build/plan/<stack>)")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help="print only where the files went")
    parser.add_argument(
        "--preview",
        action="store_true",
        help="answer like a stack's first `pulumi preview`: ids and computed outputs are (known after apply)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out or args.root / "build" / "plan" / args.stack
    # Before the evaluation: a bad --out is reported at once, not after the whole plan ran.
    problem = unwritable(out)
    if problem:
        print(f"error: --out {out}: {problem}", file=sys.stderr)
        return 2

    from plan.runner import evaluate
    from plan.summary import held_back_log, summary

    try:
        with held_back_log() if not args.quiet else nullcontext([]) as logged:
            plan = evaluate(args.stack, args.root, preview=args.preview)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ConfigError as error:
        print(f"error: stack '{args.stack}': {error}", file=sys.stderr)
        return 2
    try:
        document = plan.write(out)
    except OSError as error:
        print(f"error: --out {out}: cannot write the plan ({error.strerror or error})", file=sys.stderr)
        return 2
    if not args.quiet:
        print(summary(document, plan.values, logged))
    print(f"\nwrote {out / 'plan.json'} and {len(plan.values)} values file(s) in {out / 'values'}")
    return 0


def unwritable(out: Path) -> str | None:
    """Why the plan cannot be written to the directory `out` (created if missing), or None."""
    if out.exists() and not out.is_dir():
        return "is a file, not a directory; give a directory (it is created if missing)"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot create the directory ({error.strerror or error})"
    if not os.access(out, os.W_OK | os.X_OK):
        return "the directory is not writable"
    return None


if __name__ == "__main__":
    sys.exit(main())
