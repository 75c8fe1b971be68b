"""cargohold's asset bucket: private, encrypted, TLS-only, versioned, lifecycle per retention, optional CloudFront."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.asset_rules import CORS_MAX_AGE, CORS_METHODS, lifecycle_rule_specs, web_origins
from components.aws.bucket_parts import secure_bucket
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
    versioning: aws.s3.BucketVersioning
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
        parts = secure_bucket(bucket_name, bucket_id, kms_key_arn=cmk, lifecycle=lifecycle_rule_specs(cfg), parent=self)
        public_access = parts.public_access
        self.versioning = parts.versioning
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
