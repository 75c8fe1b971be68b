"""cargohold's bucket: private, encrypted, TLS-only, CORS for the web apps, lifecycle per retention."""

from __future__ import annotations

from tests.components.aws.aws_support import ACCOUNT, CMK, config, dev_config, doc, evaluate

BUCKET = "prod-example-com-wire-assets"
S3 = "aws:s3/"


def one(evaluation, kind: str):
    return evaluation.one(f"{S3}{kind[0].lower()}{kind[1:]}:{kind}")


def test_bucket_is_private_and_encrypted_with_sse_s3_by_default() -> None:
    evaluation = evaluate(config())
    bucket = one(evaluation, "Bucket")
    assert bucket.inputs["bucket"] == BUCKET
    assert bucket.protect and bucket.retain_on_delete
    assert one(evaluation, "BucketOwnershipControls").inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    block = one(evaluation, "BucketPublicAccessBlock").inputs
    assert all(
        block[key] is True
        for key in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    (rule,) = one(evaluation, "BucketServerSideEncryptionConfiguration").inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert evaluation.result.bucket == BUCKET
    assert evaluation.stack_outputs["assetsBucketArn"] == f"arn:aws:s3:::{BUCKET}"


def test_cmk_encryption_uses_a_bucket_key() -> None:
    evaluation = evaluate(config(serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK}))
    (rule,) = one(evaluation, "BucketServerSideEncryptionConfiguration").inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": CMK}
    assert rule["bucketKeyEnabled"] is True


def test_bucket_policy_is_tls_only_without_cloudfront() -> None:
    evaluation = evaluate(dev_config())
    policy_resource = one(evaluation, "BucketPolicy")
    policy = doc(policy_resource)
    assert [s["Sid"] for s in policy["Statement"]] == ["DenyInsecureTransport"]
    assert one(evaluation, "BucketPublicAccessBlock").urn in policy_resource.dependencies
    assert not one(evaluation, "Bucket").protect


def test_cors_is_limited_to_the_wire_web_origins() -> None:
    (rule,) = one(evaluate(config()), "BucketCorsConfiguration").inputs["corsRules"]
    assert rule["allowedOrigins"] == [
        "https://webapp.example.com",
        "https://teams.example.com",
        "https://account.example.com",
    ]
    assert rule["allowedMethods"] == ["GET", "HEAD"]


def test_lifecycle_follows_cargohold_retention_prefixes() -> None:
    cfg = config(
        assets={
            "lifecycle": {"volatileDays": 30, "expiringDays": 400, "infrequentAccessDays": 60, "abortMultipartDays": 2}
        }
    )
    rules = {r["id"]: r for r in one(evaluate(cfg), "BucketLifecycleConfiguration").inputs["rules"]}
    assert rules["expire-volatile"]["filter"] == {"prefix": "v3/volatile/"}
    assert rules["expire-volatile"]["expiration"] == {"days": 30}
    assert rules["expire-expiring"]["filter"] == {"prefix": "v3/expiring/"}
    assert rules["expire-expiring"]["expiration"] == {"days": 400}
    ia = rules["eternal-infrequent-access"]
    assert ia["filter"] == {"prefix": "v3/eternal-infrequent_access/"}
    assert ia["transitions"] == [{"days": 60, "storageClass": "STANDARD_IA"}]
    assert "expiration" not in ia
    assert rules["abort-incomplete-multipart"]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 2}
    assert rules["abort-incomplete-multipart"]["filter"] == {}
    assert all(r["status"] == "Enabled" for r in rules.values())
    # Nothing else ever expires (eternal, persistent, legacy keys); the whole-bucket rule removes only what is no
    # longer current (deleted or overwritten versions) and empty delete markers.
    assert [r["id"] for r in rules.values() if "days" in r.get("expiration", {})] == [
        "expire-volatile",
        "expire-expiring",
    ]
    assert rules["noncurrent-versions"]["expiration"] == {"expiredObjectDeleteMarker": True}


def test_cloudfront_reads_the_bucket_through_origin_access_control() -> None:
    evaluation = evaluate(config(assets={"cloudFront": {"enabled": True, "keyPairId": "K2JCJMDEHXQW5F"}}))
    distribution = evaluation.one("aws:cloudfront/distribution:Distribution")
    access = evaluation.one("aws:cloudfront/originAccessControl:OriginAccessControl")
    group = evaluation.one("aws:cloudfront/keyGroup:KeyGroup")
    assert group.inputs["items"] == ["K2JCJMDEHXQW5F"]
    (origin,) = distribution.inputs["origins"]
    # The mocks give an unknown type its name as id.
    assert origin["originAccessControlId"] == access.inputs["name"] == BUCKET
    assert origin["domainName"] == f"{BUCKET}.s3.eu-central-1.amazonaws.com"
    behavior = distribution.inputs["defaultCacheBehavior"]
    assert behavior["viewerProtocolPolicy"] == "https-only"
    assert behavior["allowedMethods"] == ["GET", "HEAD", "OPTIONS"]
    assert behavior["cachedMethods"] == ["GET", "HEAD"]
    assert len(behavior["trustedKeyGroups"]) == 1
    assert distribution.inputs["waitForDeployment"] is False
    policy = doc(one(evaluation, "BucketPolicy"))
    cdn = next(s for s in policy["Statement"] if s["Sid"] == "CloudFrontRead")
    assert cdn["Condition"] == {"StringEquals": {"AWS:SourceArn": distribution.outputs["arn"]}}
    assert distribution.outputs["arn"].startswith(f"arn:aws:cloudfront::{ACCOUNT}:distribution/")
    assert evaluation.result.cloudfront_domain == distribution.outputs["domainName"]
    assert evaluation.stack_outputs["cloudFrontDomain"] == distribution.outputs["domainName"]


def test_cloudfront_answers_cors_for_the_web_apps() -> None:
    evaluation = evaluate(config(assets={"cloudFront": {"enabled": True, "keyPairId": "K2JCJMDEHXQW5F"}}))
    behavior = evaluation.one("aws:cloudfront/distribution:Distribution").inputs["defaultCacheBehavior"]
    # Origin and the preflight headers reach S3 (AWS managed "CORS-S3Origin"), outside the cache key.
    assert behavior["originRequestPolicyId"] == "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
    assert behavior["cachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    headers = evaluation.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "prod-cargohold-cors")
    # The mocks give an unknown type its name as id.
    assert behavior["responseHeadersPolicyId"] == headers.inputs["name"]
    cors = headers.inputs["corsConfig"]
    web = ["https://webapp.example.com", "https://teams.example.com", "https://account.example.com"]
    assert cors["accessControlAllowOrigins"] == {"items": web}
    assert cors["accessControlAllowMethods"] == {"items": ["GET", "HEAD", "OPTIONS"]}
    assert cors["accessControlAllowCredentials"] is False
    # A cached object fetched without Origin still gets the headers at the edge.
    assert cors["originOverride"] is True
    # The same origins as the bucket's own CORS rules.
    (rule,) = one(evaluation, "BucketCorsConfiguration").inputs["corsRules"]
    assert rule["allowedOrigins"] == web


def test_no_cloudfront_by_default() -> None:
    evaluation = evaluate(config())
    assert not [r for r in evaluation.resources if r.type.startswith("aws:cloudfront")]
    assert evaluation.result.cloudfront_domain is None
    assert "cloudFrontDomain" not in evaluation.stack_outputs
