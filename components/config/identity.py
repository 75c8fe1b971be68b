"""How brig, galley, gundeck and cargohold authenticate to AWS (IRSA or static keys), and the KMS key."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import model_validator

from components.config.base import Model, at, fail

AWS_SERVICES = ("brig", "galley", "gundeck", "cargohold")


_OIDC_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/(?P<issuer>[^\s]+)$")
_KMS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]+$")


class CredentialsMode(StrEnum):
    IRSA = "irsa"
    STATIC_KEYS = "staticKeys"


class ServiceCredentials(Model):
    """How brig, galley, gundeck and cargohold authenticate to AWS."""

    mode: CredentialsMode = CredentialsMode.IRSA
    """`irsa`: an IAM role per service account (needs oidcProviderArn); `staticKeys`: an IAM user and
    access key per service."""
    oidc_provider_arn: str | None = None
    """EKS cluster's IAM OIDC provider, e.g.
    arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC"""
    kms_key_arn: str | None = None
    """Customer-managed KMS key for queues, topics, table and bucket; AWS-managed keys when unset."""

    @model_validator(mode="after")
    def _check(self) -> ServiceCredentials:
        problems = []
        if self.oidc_provider_arn is not None and not _OIDC_ARN_RE.match(self.oidc_provider_arn):
            problems.append(
                at(
                    "oidcProviderArn",
                    "must look like arn:aws:iam::<account>:oidc-provider/<issuer host/path> "
                    "(aws eks describe-cluster --query cluster.identity.oidc.issuer)",
                )
            )
        if self.mode == CredentialsMode.IRSA and not self.oidc_provider_arn:
            problems.append(
                "mode 'irsa' needs oidcProviderArn (the EKS cluster's IAM OIDC provider); "
                "set it, or choose mode 'staticKeys'"
            )
        if self.mode == CredentialsMode.STATIC_KEYS and self.oidc_provider_arn is not None:
            problems.append(
                at(
                    "oidcProviderArn",
                    "is only used with mode 'irsa' (mode is 'staticKeys', so the services get access keys "
                    "and this provider is ignored); remove it, or set mode: irsa",
                )
            )
        if self.kms_key_arn is not None and not _KMS_ARN_RE.match(self.kms_key_arn):
            problems.append(at("kmsKeyArn", "must be a KMS key ARN: arn:aws:kms:<region>:<account>:key/<id>"))
        if problems:
            fail(*problems)
        return self

    @property
    def oidc_issuer(self) -> str | None:
        """Issuer host/path of the OIDC provider (the `<issuer>:sub` condition key prefix)."""
        if not self.oidc_provider_arn:
            return None
        match = _OIDC_ARN_RE.match(self.oidc_provider_arn)
        return match.group("issuer") if match else None
