"""`python -m plan --stack <stack> [--out DIR]`: the offline plan (see plan/runner.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

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

    try:
        plan = evaluate(args.stack, args.root, preview=args.preview)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ConfigError as error:
        print(f"error: stack '{args.stack}': {error}", file=sys.stderr)
        return 2
    try:
        plan.write(out)
    except OSError as error:
        print(f"error: --out {out}: cannot write the plan ({error.strerror or error})", file=sys.stderr)
        return 2
    if not args.quiet:
        print(summary(plan.document()))
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


KEY_SETTINGS = {
    "aws:sqs/queue:Queue": ("name", "fifoQueue", "sqsManagedSseEnabled", "kmsMasterKeyId", "receiveWaitTimeSeconds"),
    "aws:sns/topic:Topic": ("name", "kmsMasterKeyId"),
    "aws:sns/topicSubscription:TopicSubscription": ("protocol", "rawMessageDelivery"),
    "aws:sns/platformApplication:PlatformApplication": ("name", "platform"),
    "aws:dynamodb/table:Table": ("name", "billingMode", "hashKey", "deletionProtectionEnabled"),
    "aws:s3/bucket:Bucket": ("bucket",),
    "aws:iam/role:Role": ("name",),
    "aws:iam/user:User": ("name",),
    "aws:route53/record:Record": ("name", "type"),
    "kubernetes:helm.sh/v3:Release": ("name", "chart", "version", "namespace"),
}


def summary(document: dict) -> str:
    """A readable summary: resources per component with key settings, outputs, warnings, secrets to set."""
    resources = document["resources"]
    by_urn = {r["urn"]: r for r in resources}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for resource in sorted(resources, key=lambda r: (r["type"].split(":")[-1], r["name"])):
        children[resource["parent"]].append(resource)
    mode = " (as a first preview)" if document["mode"] == "preview" else ""
    lines = [f"Offline plan of stack '{document['stack']}'{mode}: {sum(r['custom'] for r in resources)} resources"]
    lines.append(f"Legend: {document['legend']}")

    def describe(resource: dict, depth: int) -> None:
        flags = [
            flag for flag, on in (("protected", resource["protect"]), ("retained", resource["retainOnDelete"])) if on
        ]
        settings = [
            f"{key}={resource['inputs'][key]}"
            for key in KEY_SETTINGS.get(resource["type"], ())
            if key in resource["inputs"] and resource["inputs"][key] is not None
        ]
        kind = resource["type"].split(":")[-1]
        detail = ", ".join(settings + flags)
        lines.append(f"{'  ' * depth}- {kind} {resource['name']}" + (f" ({detail})" if detail else ""))
        for child in children.get(resource["urn"], []):
            describe(child, depth + 1)

    for top in children.get(None, []):
        if top["urn"] in by_urn:
            describe(top, 1)
    lines.append("\nOutputs:")
    for key, value in document["outputs"].items():
        lines.append(f"  {key}: {value}")
    lines.append(f"\n{document['drain']}")
    if document["warnings"]:
        lines.append("\nWarnings:")
        lines += [f"  ! {warning}" for warning in document["warnings"]]
    if document["secretsToSet"]:
        lines.append("\nSecrets still to set before `pulumi up` (placeholders used here):")
        lines += [f"  pulumi config set --secret --path 'wire:{path}' <value>" for path in document["secretsToSet"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
