"""What must live in `aws:region`: the EKS cluster (its OIDC provider, its context) and the KMS key.

The program creates every AWS resource in `aws:region` and deploys into the cluster named by
`wire:kubernetes`: its IRSA roles trust that cluster's OIDC provider, the Load Balancer Controller and the
managed data stores work in that cluster's VPC, and SQS, SNS, DynamoDB and S3 encrypt only with a KMS key of
their own region. A region in one of these that differs from `aws:region` is a leftover (of a copied example)
or a mistake either way: refused, naming both regions. Wire's push account (push.external.region) is Wire's
and may be anywhere.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from components.config.registry import rule

if TYPE_CHECKING:
    from components.config.stack import StackConfig

_OIDC_ISSUER_REGION_RE = re.compile(r"oidc-provider/oidc\.eks\.(?P<region>[a-z0-9-]+)\.amazonaws\.com")
_ARN_REGION_RE = re.compile(r"^arn:aws[a-z-]*:(?P<service>eks|kms):(?P<region>[a-z0-9-]+):\d{12}:")
# eksctl writes contexts as <user>@<cluster>.<region>.eksctl.io.
_EKSCTL_CONTEXT_RE = re.compile(r"@[^@]+\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.eksctl\.io$")


def _mismatch(key: str, value: str, found: str, region: str, what: str) -> str:
    return (
        f"wire:{key}: '{value}' is in region {found}, but aws:region is {region}: {what} must be in the stack's "
        f"region; use the one of {region} (or set aws:region {found} if that is where this stack belongs)"
    )


@rule("service_credentials", "region")
def _identity_in_region(cfg: StackConfig) -> list[str]:
    credentials = cfg.service_credentials
    problems = []
    arn = credentials.oidc_provider_arn
    match = _OIDC_ISSUER_REGION_RE.search(arn or "")
    if arn and match and match["region"] != cfg.region:
        what = "the OIDC provider of the EKS cluster the releases run in (its IRSA roles trust it)"
        problems.append(_mismatch("serviceCredentials.oidcProviderArn", arn, match["region"], cfg.region, what))
    key = credentials.kms_key_arn
    match = _ARN_REGION_RE.match(key or "")
    if key and match and match["region"] != cfg.region:
        what = "the KMS key of the queues, topics, table and bucket (AWS encrypts only with a key of their region)"
        problems.append(_mismatch("serviceCredentials.kmsKeyArn", key, match["region"], cfg.region, what))
    return problems


@rule("kubernetes", "region")
def _cluster_in_region(cfg: StackConfig) -> list[str]:
    context = cfg.kubernetes.context
    if not context:
        return []
    match = _ARN_REGION_RE.match(context) or _EKSCTL_CONTEXT_RE.search(context)
    if not match or match["region"] == cfg.region:
        return []
    what = "the EKS cluster the releases go to (its VPC holds the load balancers and the managed data stores)"
    return [_mismatch("kubernetes.context", context, match["region"], cfg.region, what)]
