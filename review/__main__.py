"""Offline review of a change: `python -m review --base <rev> [--head <rev>] [--stacks dev,prod] [--out DIR]`.

For each stack the offline plan (`python -m plan`, Pulumi mocks, no credentials) runs at the base
revision and at the head (default: the working tree), with this same interpreter. The differences
(resources added / removed / changed with their changed input paths, stack outputs, every release's
values YAML as a unified diff) and the policy pack's violations at the head are written as one
Markdown PR comment per stack, `<out>/<stack>.md`, and summarised on the console.

Exit status: 0; 1 with --fail-on-violations when the head violates a policy; 2 when a head plan fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from review.render import render_markdown, summary_line
from review.run import repo_root, review_stacks


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m review", description="Offline plan diff between two revisions, per stack."
    )
    parser.add_argument("--base", required=True, help="git revision to compare against (e.g. origin/main)")
    parser.add_argument("--head", default=None, help="git revision of the change (default: the working tree)")
    parser.add_argument("--stacks", default="dev,prod", help="comma-separated stacks (default: dev,prod)")
    parser.add_argument("--out", type=Path, default=Path("build/review"), help="where <stack>.md go")
    parser.add_argument("--markdown", action="store_true", help="also print the Markdown comments")
    parser.add_argument("--fail-on-violations", action="store_true", help="exit 1 when the head violates a policy")
    parser.add_argument("--jobs", type=int, default=4, help="plans run in parallel (default: 4)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repo = repo_root(Path.cwd())
    stacks = [stack.strip() for stack in args.stacks.split(",") if stack.strip()]
    out: Path = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wire-review-") as work:
        reviews = review_stacks(repo, args.base, args.head, stacks, Path(work), jobs=args.jobs)
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
