"""The command lines' own checks of their arguments, before any file, cluster or AWS API is touched.

Every contradiction or malformed value is named at once, with the option to use instead; the callers print
each problem on its own line and exit 2. Imports stay light (`migrate assets` uses url_problem).
"""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit


def url_problem(option: str, value: str | None) -> str | None:
    """Why `value` is not an http(s) endpoint URL; None when it is one (or absent)."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{option} {value!r} is not an endpoint URL: give http(s)://<host>[:<port>], e.g. http://localhost:4566"
    return None


def image_problem(option: str, value: str | None) -> str | None:
    from components.config.images import image_url_problem

    problem = image_url_problem(value) if value is not None else None
    return f"{option} {value!r} is {problem}" if problem else None


def verify_argument_problems(args: argparse.Namespace) -> list[str]:
    """`python -m verify`: options that contradict each other or would be ignored."""
    from verify.outputs import EXPORT_HINT

    problems = []
    if not args.in_cluster:
        if args.print_manifests:
            problems.append(
                "--print-manifests prints the Jobs of --in-cluster and applies nothing: add --in-cluster (without "
                "it verify would run the live checks from here instead)"
            )
        if args.image:
            problems.append("--image is the image of the --in-cluster Jobs: add --in-cluster, or leave --image out")
    else:
        if args.as_service:
            problems.append(
                "--as-service runs one service's calls from here with your credentials; --in-cluster runs every "
                "service's as its own Job: choose one"
            )
        if args.push_profile:
            problems.append(
                "--push-profile is for the checks run from here; --in-cluster Jobs use the services' own access: "
                "leave it out"
            )
        if args.outputs is None:
            problems.append(
                f"--in-cluster needs the stack outputs (--outputs FILE, or - for stdin): `{EXPORT_HINT}` writes them"
            )
    problems += [
        p for p in (image_problem("--image", args.image), url_problem("--endpoint-url", args.endpoint_url)) if p
    ]
    return problems
