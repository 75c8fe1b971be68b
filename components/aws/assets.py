"""cargohold's asset bucket: private, encrypted, TLS-only, lifecycle by retention prefix, optional CloudFront."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.asset_rules import CORS_MAX_AGE, CORS_METHODS, LifecycleRule, lifecycle_rule_specs, web_origins
from components.aws.common import adopted, child, stateful, tags
from components.config import StackConfig

COMPONENT = "cargohold"
ORIGIN_ID = "assets"
# AWS managed cache policy "CachingOptimized": no query strings or headers in the cache key; the
# signed-URL parameters are checked at the edge before the cache is consulted.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
# AWS managed origin request policy "CORS-S3Origin": forwards Origin, Access-Control-Request-Method and
# Access-Control-Request-Headers to S3, so the bucket's CORS rules answer (the cache policy forwards none).
CORS_S3_ORIGIN = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"


def lifecycle_rules(cfg: StackConfig) -> list[aws.s3.BucketLifecycleConfigurationRuleArgs]:
    """`lifecycle_rule_specs(cfg)` as the resource's arguments."""

    def rule(spec: LifecycleRule) -> aws.s3.BucketLifecycleConfigurationRuleArgs:
        kwargs: dict[str, Any] = {}
        if spec.expiration_days is not None:
            kwargs["expiration"] = aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=spec.expiration_days)
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

    return [rule(spec) for spec in lifecycle_rule_specs(cfg)]


def cors_response_headers(cfg: StackConfig, *, parent: pulumi.Resource) -> aws.cloudfront.ResponseHeadersPolicy:
    """The bucket's CORS rules, answered by CloudFront itself.

    The cache key holds no Origin (CachingOptimized), so a cached object may have been fetched without
    one and carry no CORS headers; with `origin_override` the edge sets them on every response from the
    viewer's Origin, whatever the cache holds.
    """
    name = f"{cfg.environment}-cargohold-cors"
    return aws.cloudfront.ResponseHeadersPolicy(
        name,
        name=name,
        comment="CORS for the Wire web apps downloading assets",
        cors_config=aws.cloudfront.ResponseHeadersPolicyCorsConfigArgs(
            access_control_allow_credentials=False,
            access_control_allow_headers=aws.cloudfront.ResponseHeadersPolicyCorsConfigAccessControlAllowHeadersArgs(
                items=["*"]
            ),
            access_control_allow_methods=aws.cloudfront.ResponseHeadersPolicyCorsConfigAccessControlAllowMethodsArgs(
                items=[*CORS_METHODS, "OPTIONS"]
            ),
            access_control_allow_origins=aws.cloudfront.ResponseHeadersPolicyCorsConfigAccessControlAllowOriginsArgs(
                items=web_origins(cfg.domain)
            ),
            access_control_max_age_sec=CORS_MAX_AGE,
            origin_override=True,
        ),
        opts=child(parent),
    )


class AssetStorage(pulumi.ComponentResource):
    bucket: aws.s3.Bucket
    bucket_name: str
    bucket_arn: pulumi.Output[str]
    distribution: aws.cloudfront.Distribution | None
    # CloudFront domain cargohold signs download URLs for (cloudFront.enabled only).
    cloudfront_domain: pulumi.Output[str] | None

    def __init__(self, name: str, cfg: StackConfig, *, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("wire:aws:AssetStorage", name, None, opts)
        self.bucket_name = cfg.bucket_name
        bucket_name = self.bucket_name
        cmk = cfg.service_credentials.kms_key_arn

        bucket_args: dict[str, Any] = dict(bucket=bucket_name, tags=tags(COMPONENT))
        self.bucket = aws.s3.Bucket(
            bucket_name, **bucket_args, opts=stateful(self, cfg, **adopted(cfg, "assetsBucket", bucket_args))
        )
        self.bucket_arn = self.bucket.arn
        bucket_id = self.bucket.id
        aws.s3.BucketOwnershipControls(
            f"{bucket_name}-ownership",
            bucket=bucket_id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child(self),
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{bucket_name}-public-access",
            bucket=bucket_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(self),
        )
        default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms" if cmk else "AES256", kms_master_key_id=cmk
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{bucket_name}-encryption",
            bucket=bucket_id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=default,
                    # The bucket key cuts KMS requests (and their cost) by orders of magnitude.
                    bucket_key_enabled=True if cmk else None,
                )
            ],
            opts=child(self),
        )
        aws.s3.BucketCorsConfiguration(
            f"{bucket_name}-cors",
            bucket=bucket_id,
            cors_rules=[
                aws.s3.BucketCorsConfigurationCorsRuleArgs(
                    allowed_methods=CORS_METHODS,
                    allowed_origins=web_origins(cfg.domain),
                    allowed_headers=["*"],
                    max_age_seconds=CORS_MAX_AGE,
                )
            ],
            opts=child(self),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{bucket_name}-lifecycle", bucket=bucket_id, rules=lifecycle_rules(cfg), opts=child(self)
        )

        self.distribution = None
        self.cloudfront_domain = None
        distribution_arn: pulumi.Output[str | None] = pulumi.Output.from_input(None)
        cloud_front = cfg.assets.cloud_front
        if cloud_front.enabled:
            assert cloud_front.key_pair_id is not None
            access = aws.cloudfront.OriginAccessControl(
                f"{bucket_name}-oac",
                name=bucket_name,
                description="cargohold assets: CloudFront reads the private bucket with SigV4",
                origin_access_control_origin_type="s3",
                signing_behavior="always",
                signing_protocol="sigv4",
                opts=child(self),
            )
            # The public key already exists (cargohold holds its private half); only the group is ours.
            key_group = aws.cloudfront.KeyGroup(
                f"{cfg.environment}-cargohold",
                name=f"{cfg.environment}-cargohold",
                items=[cloud_front.key_pair_id],
                comment="cargohold signs download URLs with this key",
                opts=child(self),
            )
            cors = cors_response_headers(cfg, parent=self)
            self.distribution = aws.cloudfront.Distribution(
                f"{bucket_name}-cdn",
                enabled=True,
                comment=f"{bucket_name} (cargohold downloads)",
                price_class=cloud_front.price_class,
                http_version="http2and3",
                is_ipv6_enabled=True,
                origins=[
                    aws.cloudfront.DistributionOriginArgs(
                        domain_name=self.bucket.bucket_regional_domain_name,
                        origin_id=ORIGIN_ID,
                        origin_access_control_id=access.id,
                    )
                ],
                default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
                    target_origin_id=ORIGIN_ID,
                    # OPTIONS lets a CORS preflight through; it is never cached.
                    allowed_methods=["GET", "HEAD", "OPTIONS"],
                    cached_methods=["GET", "HEAD"],
                    viewer_protocol_policy="https-only",
                    cache_policy_id=CACHING_OPTIMIZED,
                    origin_request_policy_id=CORS_S3_ORIGIN,
                    response_headers_policy_id=cors.id,
                    trusted_key_groups=[key_group.id],
                    compress=True,
                ),
                restrictions=aws.cloudfront.DistributionRestrictionsArgs(
                    geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")
                ),
                viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
                    cloudfront_default_certificate=True
                ),
                # Edge propagation takes ~15 minutes and nothing needs to wait for it.
                wait_for_deployment=False,
                tags=tags(COMPONENT),
                opts=child(self),
            )
            self.cloudfront_domain = self.distribution.domain_name
            distribution_arn = self.distribution.arn

        aws.s3.BucketPolicy(
            f"{bucket_name}-policy",
            bucket=bucket_id,
            policy=pulumi.Output.all(self.bucket.arn, distribution_arn).apply(
                lambda args: json.dumps(policies.asset_bucket_policy(bucket_arn=args[0], distribution_arn=args[1]))
            ),
            # With the public access block in place first, a mistaken public policy is refused.
            opts=child(self, depends_on=[public_access]),
        )
        self.register_outputs(
            {"bucketName": bucket_name, "bucketArn": self.bucket_arn, "cloudFrontDomain": self.cloudfront_domain}
        )
