"""Entry point of the in-cluster Job: `python3 -m verify.pod <spec.json>`.

Runs in the service's pod environment (its service account, namespace, proxy env, endpoints and
region) with only the standard library and boto3: the ConfigMap mounts this file, `aws.py`,
`results.py` and `probes.py` as a `verify` package, and a stub `__init__.py` (the real one would
import the host-side CLI). Prints one line per probe, then the results as one JSON line after
`RESULT_MARKER`, which `python -m verify --in-cluster` reads from the Job's log. Exit 0 only when
every probe passes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verify import probes
from verify.aws import Aws, session
from verify.probes import ServiceSpec
from verify.results import Result, exit_code, ok, render_text, warn

RESULT_MARKER = "WIRE-INFRA-VERIFY-RESULTS "


def identity(spec: ServiceSpec, aws: Aws) -> list[Result]:
    check = f"{spec.service} credentials"
    first, account = probes.caller_identity(aws.client("sts"), check, None, "")
    if account is None:
        # The probes below still show what the pod may do; the identity line is informational here.
        return [warn(check, first.resource, first.message)]
    if spec.principal and f"/{spec.principal}" in first.resource:
        return [ok(check, first.resource, f"running as {spec.service}'s principal {spec.principal}")]
    return [warn(check, first.resource, f"not {spec.service}'s role or user {spec.principal}")]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python3 -m verify.pod <spec.json>", file=sys.stderr)
        return 2
    spec = ServiceSpec.from_json(Path(args[0]).read_text())
    aws = Aws(session(), spec.region, dict(spec.endpoints))
    results = identity(spec, aws) + probes.run(spec, aws)
    print(render_text(results))
    print(RESULT_MARKER + json.dumps([result.as_dict() for result in results], ensure_ascii=False))
    return exit_code(results)


if __name__ == "__main__":
    raise SystemExit(main())
