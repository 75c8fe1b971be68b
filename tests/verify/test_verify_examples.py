"""The prod and dev examples, provisioned correctly in moto: verify passes with no false alarm, and every check the
coverage registry (verify/coverage.py) names for an AWS type of the example's plan really runs.

moto keeps no origin access control nor response headers policy: the prod example's CloudFront distribution is
answered from recorded responses (test_verify_cloudfront.RecordedCloudFront), everything else by moto. moto makes its
own VPC, subnet and security group ids, so the prod example's `wire:network` is replaced by one made in moto.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from components import naming
from components.stackfile import PROJECT_ROOT, read_stack_file
from tests.verify import stores_stack as stores
from tests.verify import verify_stack as vs
from tests.verify.recovery_support import AsSent, WithSelections
from tests.verify.test_verify_cloudfront import RecordedCloudFront
from tests.verify.test_verify_coverage import aws_types
from verify import checks, coverage
from verify.aws import Aws
from verify.cli import main
from verify.expected_recovery import recovery_target

pytestmark = pytest.mark.moto
SERVICES = ["sqs", "sns", "ses", "sesv2", "dynamodb", "s3", "route53", "iam", "sts", "kms", "cloudwatch"]
# The managed data stores (the prod example has all four) and their security groups.
SERVICES += ["ec2", "rds", "elasticache", "mq", "opensearch"]
# AWS Backup (the prod example's wire:backup).
SERVICES += ["backup"]
# The prod example's EKS cluster (wire:clusterEndpoint: private, its API endpoint checked by verify).
SERVICES += ["eks"]
# Warnings the correct state of each example gives in moto, and why.
EXPECTED_WARNINGS = {
    # The program's TLS-only bucket policy cannot be met over the emulator's http (docs/verify.md, "The dev stack").
    "dev": {"dev-wire-test-wire-assets": "object round trip not run", "dev": "no push.apps"},
    "prod": {
        "prod-example-com-wire-assets": "object round trip not run",
        # moto's SES quota is the sandbox's, and it does not report an identity's notification topics.
        "sending quota": "sandbox",
        "example.com": "notifications do not go to",
    },
}


def _stack_file(stack: str, moto: str, root: Path) -> None:
    """The example's stack file with the emulator as every endpoint and, for prod, moto's zone id."""
    text = (PROJECT_ROOT / f"Pulumi.{stack}.yaml").read_text()
    if stack == "prod":
        text = text.replace("Z0123456789EXAMPLE", vs.hosted_zone(moto, "example.com"))
    document = yaml.safe_load(text)
    if "wire:network" in document["config"]:
        # moto makes its own VPC, subnet and group ids: the example's network is the same shape, made there.
        document["config"]["wire:network"] = stores.network(moto, document["config"]["aws:region"])
    document["config"]["aws:endpoints"] = [dict.fromkeys(SERVICES, moto)]
    document["config"].update({"aws:accessKey": "testing", "aws:secretKey": "testing"})
    (root / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(document))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_example_passes_and_every_registered_check_runs(
    stack: str, moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stack_file(stack, moto, tmp_path)
    cfg = read_stack_file(stack, tmp_path).load().config
    vs.provision(moto, cfg)  # with the prod example's EKS cluster, API endpoint private as the stack wants it
    stores.create_stores(moto, cfg)
    called: set[str] = set()

    def spy(name: str, check: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(*args: Any, **kwargs: Any) -> Any:
            called.add(name)
            return check(*args, **kwargs)

        return recorded

    for name in checks.__all__:
        monkeypatch.setattr(checks, name, spy(name, getattr(checks, name)))
    real_client = Aws.client
    recorded = RecordedCloudFront()
    target = recovery_target(cfg, cfg.bucket_name, naming.prekey_table(cfg.environment), "123456789012")
    selected = list(target.backup.resources) if target.backup else []

    def answered(self: Aws, service: str, **kw: Any) -> Any:
        """What moto lacks, answered as AWS would (test_verify_cloudfront, recovery_support)."""
        if service == "cloudfront":
            return recorded
        real = real_client(self, service, **kw)
        return AsSent(real) if service == "s3" else WithSelections(selected, real) if service == "backup" else real

    monkeypatch.setattr(Aws, "client", answered)

    code = main(["--stack", stack, "--stack-dir", str(tmp_path), "--json"])
    results = json.loads(capsys.readouterr().out)
    assert [r for r in results if r["status"] == "fail"] == [], json.dumps(results, indent=1)
    assert code == 0
    warnings = {r["resource"]: r["message"] for r in results if r["status"] == "warn"}
    assert set(warnings) == set(EXPECTED_WARNINGS[stack])
    for resource, text in EXPECTED_WARNINGS[stack].items():
        assert text in warnings[resource]

    registered = {
        name
        for aws_type, stacks in aws_types().items()
        if stack in stacks
        for name in coverage.CHECKED.get(aws_type, ())
    }
    assert registered - called == set(), "registered for a type of this plan, but never ran"
