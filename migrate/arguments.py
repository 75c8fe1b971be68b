"""`python -m migrate`'s own checks of its arguments and input files, each naming the command that writes
the right input (docs/migration.md). The callers print every problem on its own line and exit 2."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from verify.arguments import url_problem

HELM_LIST_HINT = "helm list --all-namespaces --output json > releases.json"


def asset_argument_problems(args: argparse.Namespace) -> list[str]:
    """`migrate assets`: options that contradict each other or cannot be used."""
    problems = []
    if args.journal is not None and args.no_journal:
        problems.append("--journal names the journal and --no-journal turns it off: choose one")
    if args.journal is not None and Path(args.journal).is_dir():
        problems.append(f"--journal {args.journal} is a directory: name a file (e.g. build/migrate/assets.jsonl)")
    if args.retries < 0:
        problems.append(f"--retries {args.retries}: give 0 (no further attempt) or more")
    problem = url_problem("--to-endpoint", args.to_endpoint)
    return problems + ([problem] if problem else [])


def values_argument_problems(args: argparse.Namespace) -> list[str]:
    """`migrate values`: where the files go."""
    if args.out.exists() and not args.out.is_dir():
        return [f"--out {args.out} is a file: give the directory for the values files (it is created if missing)"]
    return []


def helm_releases(text: str, label: str) -> list[dict[str, Any]]:
    """`helm list -A -o json`'s releases; ValueError naming the command when `text` is anything else."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("NAME") or not stripped.startswith(("[", "{")):
        raise ValueError(
            f"{label} is `helm list`'s table, not its JSON: write it with `{HELM_LIST_HINT}`"
            if stripped.startswith("NAME")
            else f"{label} is not JSON: write it with `{HELM_LIST_HINT}`"
        )
    try:
        document = json.loads(stripped)
    except ValueError as error:
        raise ValueError(f"{label} is not valid JSON ({error}): write it with `{HELM_LIST_HINT}`") from None
    if not isinstance(document, list) or not all(
        isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("namespace"), str)
        for item in document
    ):
        raise ValueError(
            f"{label} is JSON, but not `helm list`'s (a list of releases with name and namespace): write it with "
            f"`{HELM_LIST_HINT}`"
        )
    return document
