"""S3: cargohold's bucket (region, public access block, encryption) and its TLS-only policy."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from policy.documents import denies_insecure_transport
from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.probes import addressing_hint
from verify.resource_policy import denying_statement
from verify.results import Result, Status, fail, ok, warn


def bucket_region(location: str | None) -> str:
    """GetBucketLocation's answer as a region: empty means us-east-1, and the legacy `EU` eu-west-1."""
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, str(location))


def bucket(s3: Any, name: str, *, region: str, style: str, check: str = "cargohold bucket") -> list[Result]:
    try:
        s3.head_bucket(Bucket=name)
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return [fail(check, name, "bucket not found: create it (pulumi up) or fix assets.bucketName")]
        hint = addressing_hint(error, style)
        if hint:
            return [fail(check, name, hint)]
        return [
            denied_or(
                error,
                check,
                name,
                f"s3:ListBucket, {style} addressing",
                "bucket not accessible",
                "the bucket policy",
            )
        ]
    results = [ok(check, name, "exists")]
    results.append(_bucket_location(s3, name, region, check))
    try:
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        public = [
            key
            for key in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
            if not block.get(key)
        ]
        results.append(
            fail(check, name, f"public access not fully blocked ({', '.join(public)} false): set all four to true")
            if public
            else ok(check, name, "public access blocked (all four settings)")
        )
    except AwsError as error:
        if error_code(error) == "NoSuchPublicAccessBlockConfiguration":
            results.append(fail(check, name, "no public access block: the bucket may be made public; block all four"))
        else:
            results.append(denied_or(error, check, name, "s3:GetBucketPublicAccessBlock", "cannot read it"))
    try:
        rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        algorithms = sorted({rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for rule in rules})
        results.append(ok(check, name, f"default encryption {', '.join(algorithms)}"))
    except AwsError as error:
        if error_code(error) == "ServerSideEncryptionConfigurationNotFoundError":
            results.append(fail(check, name, "no default encryption: set SSE-S3 or SSE-KMS"))
        else:
            results.append(denied_or(error, check, name, "s3:GetEncryptionConfiguration", "cannot read it"))
    return results


def _bucket_location(s3: Any, name: str, region: str, check: str) -> Result:
    # botocore follows S3's redirect to another region; cargohold (amazonka) signs for its configured
    # region and fails, so the bucket's own region must be the stack's.
    try:
        location = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
    except AwsError as error:
        return denied_or(
            error, check, name, "s3:GetBucketLocation", "cannot read the bucket's region", "the bucket policy"
        )
    found = bucket_region(location)
    if found != region:
        return fail(
            check,
            name,
            f"the bucket is in {found}, the stack (and cargohold's s3Endpoint) in {region}: cargohold's signed "
            "requests fail; move the assets to a bucket in the stack's region, or fix aws:region",
        )
    return ok(check, name, f"in the stack's region {region}")


def name_bucket_denial(s3: Any, name: str, result: Result) -> Result:
    """An object call denied without AWS saying by what: name the bucket policy's Deny statement, if one applies."""
    prefix = "access denied ("
    if result.status != Status.FAIL or not result.message.startswith(prefix):
        return result
    action = result.message[len(prefix) :].split(",", 1)[0].split()[0]
    key = result.resource.removeprefix(f"s3://{name}/")
    try:
        policy = s3.get_bucket_policy(Bucket=name)["Policy"]
    except (*AwsError, KeyError):
        return result
    statement = denying_statement(policy, action, f"arn:aws:s3:::{name}/{key}")
    if statement is None:
        return result
    head, _, cause = result.message.partition("): ")
    return fail(result.check, result.resource, f"{head}): {statement} (AWS: {cause})")


def plain_http_endpoint(endpoint: str | None) -> bool:
    return bool(endpoint) and urlparse(str(endpoint)).scheme == "http"


def tls_only_over_http(s3: Any, name: str, endpoint: str | None, *, check: str = "cargohold bucket") -> Result | None:
    """A TLS-only bucket policy (the program's DenyInsecureTransport) and a plain-http S3 endpoint.

    In AWS that denies every call: a failure. Against an emulator (an http endpoint outside AWS, as
    in the dev stack) it is a known limit, reported as a warning: moto_server evaluates bucket
    policies without a request context, so the Deny's condition counts as met and every object call
    is refused, over http or https. The program stays TLS-only everywhere (docs/verify.md).
    """
    if not plain_http_endpoint(endpoint):
        return None
    try:
        document = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except (*AwsError, ValueError, KeyError):
        return None
    if not denies_insecure_transport(document):
        return None
    host = urlparse(str(endpoint)).hostname or ""
    if host.endswith((".amazonaws.com", ".amazonaws.com.cn")):
        return fail(
            check,
            name,
            f"the bucket policy denies requests without TLS (aws:SecureTransport false) and the S3 endpoint is "
            f"{endpoint}: every call is denied; use https://",
        )
    return warn(
        check,
        name,
        f"object round trip not run: the bucket policy's TLS-only Deny cannot be met over {endpoint} (an "
        "emulator); moto_server refuses every object call under it, so cargohold cannot store assets in this "
        "dev stack (docs/verify.md, 'The dev stack')",
    )
