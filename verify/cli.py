"""Command line: `python -m verify --stack <stack> [--outputs FILE|-] [--json] ...`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from botocore.exceptions import ProfileNotFound

from components.config import ConfigError, StackConfig
from components.stackfile import PROJECT_ROOT, StackFile, read_stack_file
from verify import checks
from verify.arguments import verify_argument_problems
from verify.aws import Aws, session, stack_credentials, stack_endpoints
from verify.checks.exposure import cluster_listings
from verify.expected import expected
from verify.incluster import IMAGE, manifests, stores_from_outputs
from verify.kube import Kubectl, KubectlError, run_jobs
from verify.outputs import OutputsError, check_outputs, read_outputs
from verify.results import exit_code, render_json, render_text
from verify.run import run
from verify.service import SERVICES

EPILOG = """\
Credentials: the stack's own aws:profile or aws:accessKey/aws:secretKey when set (as `pulumi up` uses them),
else the standard AWS chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, web identity, ...). --as-service always uses
the standard chain: run it with the service's role or keys.
Exit code: 0 when every required check passes (warnings don't count), 1 when one fails, 2 on bad input.
Examples:
  pulumi stack output -s prod --json --show-secrets | python -m verify --stack prod --outputs -
  AWS_PROFILE=prod-cargohold python -m verify --stack prod --as-service cargohold
  python -m verify --stack prod --outputs outputs.json --in-cluster     # a Job per service, in the cluster
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m verify",
        description="Check the live AWS resources of a wire-infra stack (read-only, plus one S3 probe object "
        "under verify/ that is deleted again).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    p.add_argument(
        "--outputs", metavar="FILE|-", help="`pulumi stack output --json --show-secrets` (file, or - for stdin)"
    )
    p.add_argument(
        "--json", action="store_true", help="print the results as JSON (list of check/resource/status/message)"
    )
    p.add_argument("--as-service", choices=SERVICES, help="run the service's own calls with the ambient credentials")
    p.add_argument("--region", help="AWS region (default: the stack's aws:region)")
    p.add_argument("--endpoint-url", help="one endpoint for every AWS service (overrides the stack's aws:endpoints)")
    p.add_argument("--push-profile", help="AWS profile with Wire's push keys (push mode external)")
    p.add_argument(
        "--in-cluster",
        action="store_true",
        help="run the --as-service probes as a Job per service (its service account, namespace, proxy and "
        "endpoints) with kubectl against wire:kubernetes' kubeconfig/context; needs --outputs",
    )
    p.add_argument(
        "--image", help=f"image of the in-cluster Jobs (python3 + boto3; default wire:verify.image, {IMAGE})"
    )
    p.add_argument(
        "--print-manifests", action="store_true", help="with --in-cluster: print the Job manifests, apply nothing"
    )
    p.add_argument("--stack-dir", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    return p


def load(stack: StackFile, region: str | None) -> StackConfig:
    # Secrets cannot be decrypted here and verify needs none of them.
    return stack.load(region=region).config


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    wrong = verify_argument_problems(args)
    if wrong:
        for problem in wrong:
            print(f"verify: {problem}", file=sys.stderr)
        return 2
    try:
        stack = read_stack_file(args.stack, args.stack_dir)
        cfg = load(stack, args.region)
        outputs = read_outputs(args.outputs)
        check_outputs(cfg, outputs, args.outputs, args.stack)
    except (FileNotFoundError, OutputsError, ValueError, ConfigError) as error:
        print(f"verify: {error}", file=sys.stderr)
        return 2
    if args.in_cluster:
        if not cfg.kubernetes.releases and not args.print_manifests:
            print(
                f"verify: --in-cluster: stack {args.stack} names no cluster (wire:kubernetes.releases is false), so "
                "the Jobs would go to whatever kubeconfig context is current: add --print-manifests and apply them "
                "with your own tooling (`... --print-manifests | kubectl --context <yours> apply -f -`)",
                file=sys.stderr,
            )
            return 2
        return in_cluster(cfg, outputs, args)
    endpoints = stack_endpoints(stack.config.get("aws:endpoints"))
    profile, keys = stack_credentials(stack.config)
    try:
        own = session() if args.as_service else session(profile, keys)
        aws = Aws(own, cfg.region, endpoints, args.endpoint_url)
        push = Aws(session(args.push_profile), cfg.region, endpoints, args.endpoint_url) if args.push_profile else None
        # botocore reads the profile when it makes the first client: an unknown one is bad input, not a check.
        for client in (aws, push):
            if client:
                client.client("sts")
    except ProfileNotFound as error:
        print(f"verify: {error}: check aws:profile, AWS_PROFILE or --push-profile", file=sys.stderr)
        return 2
    results = run(cfg, outputs, aws, push_aws=push, as_service=args.as_service)
    print(render_json(results) if args.json else render_text(results))
    return exit_code(results)


def in_cluster(cfg: StackConfig, outputs: dict, args: argparse.Namespace) -> int:
    account = outputs.get("awsAccountId")
    if not account and cfg.push.apps:
        print(
            "verify: --in-cluster needs the stack outputs (--outputs) to name the push applications' account",
            file=sys.stderr,
        )
        return 2
    documents = manifests(
        cfg, expected(cfg, outputs, account), image=args.image or cfg.verify.image, stores=stores_from_outputs(outputs)
    )
    if args.print_manifests:
        print(json.dumps({"apiVersion": "v1", "kind": "List", "items": documents}, indent=2))
        return 0
    kubectl = Kubectl(cfg.kubernetes.kubeconfig, cfg.kubernetes.context)
    try:
        results = run_jobs(kubectl, documents)
        # The guide's minimum inside the cluster: nothing public but the entry point, default-deny in place.
        results += checks.exposure(cluster_listings(kubectl, cfg), cfg)
    except KubectlError as error:
        print(f"verify: {error}", file=sys.stderr)
        return 2
    print(render_json(results) if args.json else render_text(results))
    return exit_code(results)
