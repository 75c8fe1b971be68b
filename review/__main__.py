"""Offline review of a change: `python -m review --base <rev> [--head <rev>] [--stacks dev prod] [--out DIR]`,
or of an upgrade between two Wire releases: `python -m review --base-release 2026-q1` (the head with each
stack's `wire:release` set to 2026-q1 as the base: every chart version and every values change it brings).

For each stack the offline plan (`python -m plan`, Pulumi mocks, no credentials) runs at the base
revision and at the head (default: the working tree), with this same interpreter. The differences
(resources added / removed / changed with their changed input paths, stack outputs, every release's
values YAML as a unified diff) and the policy pack's violations at the head are written as one
Markdown PR comment per stack, `<out>/<stack>.md`, and summarised on the console.

Exit status: 0; 1 with --fail-on-violations when the head violates a policy; 2 when a head plan fails or an
argument is wrong (unknown revision or stack, not a git repository: one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from plan.__main__ import unwritable
from review.render import render_markdown, summary_line
from review.run import ReviewError, repo_root, resolve, review_stacks, stacks_at


def positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return number


def split_stacks(values: list[str] | None) -> list[str]:
    """`--stacks dev prod`, `--stacks dev,prod` and `--stacks "dev prod"` alike; order kept, no repeats."""
    names = [name for value in values or [] for name in value.replace(",", " ").split()]
    return list(dict.fromkeys(names))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m review", description="Offline plan diff between two revisions, per stack."
    )
    bases = parser.add_mutually_exclusive_group(required=True)
    bases.add_argument("--base", help="git revision to compare against (e.g. origin/main)")
    bases.add_argument(
        "--base-release",
        metavar="RELEASE",
        help="compare against the head with every stack's wire:release set to RELEASE (e.g. 2026-q1)",
    )
    parser.add_argument("--head", default=None, help="git revision of the change (default: the working tree)")
    parser.add_argument(
        "--stacks",
        nargs="+",
        metavar="STACK",
        help="stacks to review, separated by spaces or commas (default: every Pulumi.<stack>.yaml at base or head)",
    )
    parser.add_argument("--out", type=Path, default=Path("build/review"), help="where <stack>.md go")
    parser.add_argument("--markdown", action="store_true", help="also print the Markdown comments")
    parser.add_argument("--fail-on-violations", action="store_true", help="exit 1 when the head violates a policy")
    parser.add_argument("--jobs", type=positive_int, default=4, help="plans run in parallel (default: 4)")
    return parser.parse_args(argv)


def choose_stacks(repo: Path, base: str | None, head: str | None, requested: list[str]) -> list[str]:
    """The requested stacks (each must have a stack file at base or head), or all of them."""
    known = stacks_at(repo, base) | stacks_at(repo, head)
    if not requested:
        if not known:
            raise ReviewError("no stack file (Pulumi.<stack>.yaml) at the base or the head: nothing to review")
        return sorted(known)
    unknown = [stack for stack in requested if stack not in known]
    if unknown:
        names = ", ".join(f"'{stack}'" for stack in unknown)
        raise ReviewError(
            f"unknown stack(s) {names}: no Pulumi.<stack>.yaml at the base or the head; "
            f"known stacks: {', '.join(sorted(known)) or 'none'}"
        )
    return requested


def prepare(args: argparse.Namespace) -> tuple[Path, list[str], Path]:
    """Repository, stacks and output directory, every argument checked before a plan runs."""
    repo = repo_root(Path.cwd())
    if args.base_release is not None:
        from components.config.wire_builds import known_releases

        if args.base_release not in known_releases():
            raise ReviewError(
                f"--base-release {args.base_release}: not a Wire release this program knows; "
                f"known releases: {', '.join(known_releases())}"
            )
    else:
        resolve(repo, args.base, "--base")
    if args.head is not None:
        resolve(repo, args.head, "--head")
    base = args.base if args.base is not None else args.head
    stacks = choose_stacks(repo, base, args.head, split_stacks(args.stacks))
    out: Path = args.out if args.out.is_absolute() else Path.cwd() / args.out
    problem = unwritable(out)
    if problem:
        raise ReviewError(f"--out {args.out}: {problem}")
    return repo, stacks, out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        repo, stacks, out = prepare(args)
    except ReviewError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="wire-review-") as work:
        reviews = review_stacks(
            repo, args.base, args.head, stacks, Path(work), jobs=args.jobs, base_release=args.base_release
        )
    status = 0
    for review in reviews:
        text = render_markdown(review)
        (out / f"{review.stack}.md").write_text(text)
        print(summary_line(review))
        for violation in review.violations:
            print(f"  {violation}")
        if args.markdown:
            print(text)
        if review.head_error:
            print(review.head_error, file=sys.stderr)
            status = 2
        elif review.violations and args.fail_on_violations:
            status = max(status, 1)
    print(f"comments: {', '.join(str(out / f'{r.stack}.md') for r in reviews)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
