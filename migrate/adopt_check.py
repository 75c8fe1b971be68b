"""`python -m migrate adopt-check --stack <stack>`: before `pulumi up`, what adopting each resource of
`wire:adopt` would change, read from the live resources (boto3, `helm list`).

The program's side is the offline plan of the same stack (the same code `pulumi up` runs). Every
difference is listed with its consequence at `step: apply`; a difference that replaces the resource
(a DynamoDB key, a FIFO flag, a release's namespace), or a resource that cannot be read, refuses the
adoption: exit code 1. Exit 0: every adoption is safe; what differs becomes an ordinary update diff.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from components.config import ConfigError
from migrate.arguments import HELM_LIST_HINT, helm_releases
from verify.arguments import url_problem

EPILOG = """\
Exit code: 0 when every adoption is safe (differences are updates in place at step apply), 1 when one is
refused (a replacement, a resource that does not exist or cannot be read), 2 on bad arguments.
Example:
  helm list --all-namespaces --output json > /tmp/releases.json
  python -m migrate adopt-check --stack prod --helm-list /tmp/releases.json
See docs/migration.md ("Adopting what exists")."""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "adopt-check",
        help="report how each resource of wire:adopt differs from what the program sets, before pulumi up",
        description="Read every live resource wire:adopt names and list each property where it differs from what "
        "the program sets, with its consequence (update in place, or a replacement that refuses the adoption).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    p.add_argument(
        "--helm-list", metavar="FILE|-", help="`helm list --all-namespaces --output json` (default: run helm)"
    )
    p.add_argument("--endpoint-url", help="one endpoint for every AWS service (an emulator)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    return p


def run(args: argparse.Namespace, stack_dir: Path) -> int:
    from components.stackfile import read_stack_file
    from migrate.adoption import BUCKET, BUCKET_PARTS, check_resource
    from plan.runner import evaluate
    from verify.aws import Aws, session, stack_credentials, stack_endpoints

    endpoint = url_problem("--endpoint-url", args.endpoint_url)
    if endpoint:
        print(f"migrate adopt-check: {endpoint}", file=sys.stderr)
        return 2
    try:
        stack = read_stack_file(args.stack, stack_dir)
        cfg = stack.load().config
        # A file given is read (and checked) even when no release is adopted; helm itself runs only when needed.
        needed = cfg.adopt.releases or args.helm_list
        helm_releases = _helm_releases(args.helm_list, cfg.kubernetes.context) if needed else []
    except (FileNotFoundError, ValueError, ConfigError, OSError) as error:
        print(f"migrate adopt-check: {error}", file=sys.stderr)
        return 2
    if not cfg.adopt.adopting:
        print(f"wire:adopt of stack {args.stack} names nothing to adopt")
        return 0
    plan = evaluate(args.stack, stack_dir)
    profile, keys = stack_credentials(stack.config)
    aws = Aws(session(profile, keys), cfg.region, stack_endpoints(stack.config.get("aws:endpoints")), args.endpoint_url)
    path_style = stack.config.get("aws:s3UsePathStyle") in (True, "true")

    def clients(service: str) -> Any:
        return aws.client(service, addressing_style="path" if service == "s3" and path_style else None)

    resources = plan.evaluation.resources
    adopted = sorted((r for r in resources if r.import_id), key=lambda r: (r.type, r.name))
    findings = []
    for registration in adopted:
        parts = {}
        if registration.type == BUCKET:
            parts = {
                BUCKET_PARTS[r.type]: r.inputs
                for r in resources
                if r.parent == registration.parent and r.type in BUCKET_PARTS
            }
        findings.append(check_resource(registration, clients, parts, helm_releases))
    if args.json:
        print(json.dumps([finding.as_dict() for finding in findings], indent=2, sort_keys=True, default=str))
    else:
        print(render(args.stack, str(cfg.adopt.step), findings))
    return 1 if any(finding.refused for finding in findings) else 0


def _helm_releases(path: str | None, context: str | None) -> list[dict[str, Any]] | None:
    """`helm list -A -o json` from a file, `-` (stdin), or helm itself; None when neither is at hand."""
    if path == "-":
        return helm_releases(sys.stdin.read(), "--helm-list - (stdin)")
    if path:
        file = Path(path)
        if not file.is_file():
            state = "is a directory" if file.is_dir() else "does not exist"
            raise ValueError(f"--helm-list {path} {state}: write the file with `{HELM_LIST_HINT}`")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"--helm-list {path} cannot be read ({error}): write it with `{HELM_LIST_HINT}`") from None
        return helm_releases(text, f"--helm-list {path}")
    helm = shutil.which("helm")
    if helm is None:
        return None
    command = [helm, "list", "--all-namespaces", "--output", "json", *(["--kube-context", context] if context else [])]
    answer = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if answer.returncode != 0:
        raise OSError(f"`{' '.join(command)}` failed: {answer.stderr.strip()}; pass --helm-list <file> instead")
    return helm_releases(answer.stdout, f"the output of `{' '.join(command)}`")


def render(stack: str, step: str, findings: list[Any]) -> str:
    refused = [f for f in findings if f.refused]
    lines = [f"adopt-check of stack {stack} (wire:adopt.step {step}): {len(findings)} resource(s) to adopt"]
    for finding in findings:
        head = f"{finding.kind} {finding.name} <- {finding.import_id}"
        if finding.problem:
            lines.append(f"  ✘ {head}: {finding.problem}")
        elif finding.refused:
            lines.append(f"  ✘ {head}: adopting it would REPLACE it (its data would be lost): refused")
        elif finding.differences:
            lines.append(f"  ~ {head}: {len(finding.differences)} difference(s), each an update in place at step apply")
        else:
            lines.append(f"  ✔ {head}: matches the program")
        lines += [f"      {difference.text()}" for difference in finding.differences]
    if refused:
        lines.append(
            f"{len(refused)} adoption(s) refused: remove those entries from wire:adopt (the stack then creates its own "
            "resource; move what the old one holds yourself), or fix the live resource, and run adopt-check again"
        )
    else:
        lines.append(
            "Every adoption is safe: `pulumi up` with step import takes them over unchanged; step apply then shows "
            "the differences above as an update diff."
        )
    return "\n".join(lines)
