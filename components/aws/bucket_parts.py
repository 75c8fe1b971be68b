"""What every bucket of the stack carries (the assets bucket and its replica): ACLs off, no public access,
default encryption, versioning, the lifecycle, and a TLS-only policy (policy/bucket_rules.py checks them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.asset_rules import LifecycleRule
from components.aws.common import child


@dataclass(frozen=True)
class BucketParts:
    public_access: aws.s3.BucketPublicAccessBlock
    versioning: aws.s3.BucketVersioning


def lifecycle_rule_args(spec: LifecycleRule) -> aws.s3.BucketLifecycleConfigurationRuleArgs:
    kwargs: dict[str, Any] = {}
    if spec.expiration_days is not None:
        kwargs["expiration"] = aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=spec.expiration_days)
    if spec.expired_object_delete_marker:
        kwargs["expiration"] = aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(expired_object_delete_marker=True)
    if spec.noncurrent_days is not None:
        kwargs["noncurrent_version_expiration"] = (
            aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(noncurrent_days=spec.noncurrent_days)
        )
    if spec.infrequent_access_days is not None:
        kwargs["transitions"] = [
            aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                days=spec.infrequent_access_days, storage_class="STANDARD_IA"
            )
        ]
    if spec.abort_multipart_days is not None:
        kwargs["abort_incomplete_multipart_upload"] = (
            aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=spec.abort_multipart_days
            )
        )
    return aws.s3.BucketLifecycleConfigurationRuleArgs(
        id=spec.id,
        status="Enabled",
        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=spec.prefix),
        **kwargs,
    )


def secure_bucket(
    name: str,
    bucket_id: pulumi.Input[str],
    *,
    kms_key_arn: pulumi.Input[str] | None,
    lifecycle: list[LifecycleRule],
    parent: pulumi.Resource,
    provider: pulumi.ProviderResource | None = None,
) -> BucketParts:
    """The parts of bucket `name`, children of `parent` (through `provider`, else the parent's); SSE-KMS with
    `kms_key_arn`, else SSE-S3."""
    there: dict[str, Any] = {"provider": provider} if provider else {}
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket_id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=child(parent, **there),
    )
    public_access = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access",
        bucket=bucket_id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child(parent, **there),
    )
    default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
        sse_algorithm="aws:kms" if kms_key_arn else "AES256", kms_master_key_id=kms_key_arn
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket_id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=default,
                # The bucket key cuts KMS requests (and their cost) by orders of magnitude.
                bucket_key_enabled=True if kms_key_arn else None,
            )
        ],
        opts=child(parent, **there),
    )
    # Every overwrite and delete keeps the previous version: the way back from a mistake (docs/restore.md).
    versioning = aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket_id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=child(parent, **there),
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-lifecycle",
        bucket=bucket_id,
        rules=[lifecycle_rule_args(spec) for spec in lifecycle],
        # The noncurrent-version rule means what it says only once the bucket is versioned.
        opts=child(parent, depends_on=[versioning], **there),
    )
    return BucketParts(public_access, versioning)


def tls_only_policy(
    name: str,
    bucket: aws.s3.Bucket,
    public_access: pulumi.Resource,
    *,
    parent: pulumi.Resource,
    provider: pulumi.ProviderResource | None = None,
) -> aws.s3.BucketPolicy:
    """A policy denying every request without TLS (the replica's; the assets bucket adds CloudFront's read)."""
    return aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.id,
        policy=bucket.arn.apply(lambda arn: json.dumps(policies.asset_bucket_policy(bucket_arn=arn))),
        opts=child(parent, depends_on=[public_access], provider=provider),
    )
