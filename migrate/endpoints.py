"""Where to copy from and to: the source's endpoint and keys, the destination from the stack.

The source is any S3-compatible server (fake-aws-s3, minio) reached path-style, usually over a
`kubectl port-forward`, with its own keys. The destination is the stack's assets bucket: its name from
the stack outputs (what `pulumi up` created) or the stack file, its region and (for the dev emulator)
endpoint and keys from the stack's `aws:` settings; AWS credentials otherwise come from the default
chain. Real S3 is always reached over HTTPS, as the bucket's TLS-only policy requires.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError

from migrate.clients import SOURCE_KEY_ENV, SOURCE_SECRET_ENV, SOURCE_TOKEN_ENV, Endpoint, session
from migrate.sigv4 import Keys
from verify.aws import describe, error_code, stack_endpoints


class ArgumentProblem(Exception):
    """Bad arguments or an unusable endpoint: one message, exit code 2."""


def source_endpoint(value: str, *, region: str, access_key: str | None, secret_key: str | None) -> Endpoint:
    """`--from http://localhost:9000/assets`: endpoint URL and bucket, keys from options or environment."""
    parts = urlsplit(value)
    bucket = parts.path.strip("/")
    if parts.scheme not in ("http", "https") or not parts.netloc or not bucket or "/" in bucket:
        raise ArgumentProblem(
            f"--from {value!r} is not <endpoint>/<bucket>, e.g. http://localhost:9000/dummy-bucket "
            "(fake-aws-s3 through `kubectl port-forward`)"
        )
    access_key = access_key or os.environ.get(SOURCE_KEY_ENV)
    secret_key = secret_key or os.environ.get(SOURCE_SECRET_ENV)
    if not access_key or not secret_key:
        raise ArgumentProblem(
            f"the source's keys are missing: set {SOURCE_KEY_ENV} and {SOURCE_SECRET_ENV} "
            "(or --from-access-key / --from-secret-key); see docs/migration.md for fake-aws-s3's"
        )
    keys = Keys(access_key, secret_key, os.environ.get(SOURCE_TOKEN_ENV) or None)
    return Endpoint("source", bucket, region, f"{parts.scheme}://{parts.netloc}", keys)


def destination_endpoint(
    *,
    stack: str | None,
    stack_dir: Path,
    outputs: str | None,
    bucket: str | None,
    url: str | None,
    region: str | None,
) -> Endpoint:
    """The stack's assets bucket; `--to-bucket/--to-endpoint/--to-region` override what the stack says."""
    if stack is None:
        if bucket is None:
            raise ArgumentProblem("name the destination: --stack <stack> (its assets bucket) or --to-bucket <bucket>")
        if outputs is not None:
            raise ArgumentProblem("--outputs needs --stack")
        return Endpoint("destination", bucket, region, url)
    # Only a run naming a stack reads one: the configuration models and verify's CLI are large imports.
    from components.config import ConfigError
    from components.stackfile import read_stack_file
    from verify.cli import read_outputs
    from verify.outputs import mismatches, not_this_stack

    try:
        stack_file = read_stack_file(stack, stack_dir)
        cfg = stack_file.load().config
        stack_outputs = read_outputs(outputs)
    except (FileNotFoundError, ValueError, ConfigError) as error:
        raise ArgumentProblem(f"stack {stack!r}: {error}") from None
    wrong = mismatches(cfg, stack_outputs)
    if wrong:
        # Another stack's outputs would send the copy to that stack's bucket (as verify and values refuse them).
        command = f"pulumi stack output -s {stack} --json --show-secrets > {outputs}"
        raise ArgumentProblem(not_this_stack(f"--outputs {outputs} are", stack, wrong, command))
    aws = {key.removeprefix("aws:"): value for key, value in stack_file.config.items() if key.startswith("aws:")}
    return Endpoint(
        "destination",
        bucket or str(stack_outputs.get("assetsBucketName") or cfg.bucket_name),
        region or str(stack_outputs.get("awsRegion") or cfg.region),
        url or stack_endpoints(aws.get("endpoints")).get("s3"),
        *_stack_credentials(aws),
    )


def destination_from_args(args: Any) -> Endpoint:
    """The destination `migrate assets` names: --stack/--outputs and the --to-* overrides."""
    return destination_endpoint(
        stack=args.stack,
        stack_dir=args.stack_dir,
        outputs=args.outputs,
        bucket=args.to_bucket,
        url=args.to_endpoint,
        region=args.to_region,
    )


def stack_session(aws: Mapping[str, Any]) -> Any:
    """A boto3 session with the stack's credentials (_stack_credentials), for the restore's clients."""
    return session(*_stack_credentials(aws))


def _stack_credentials(aws: Mapping[str, Any]) -> tuple[Keys | None, str | None]:
    """(keys, profile): the stack's own `aws:accessKey/secretKey` (the dev emulator's dummy keys) or
    `aws:profile`, else neither (the chain)."""
    from components.config import PLACEHOLDER

    key, secret = aws.get("accessKey"), aws.get("secretKey")
    if isinstance(key, str) and isinstance(secret, str) and PLACEHOLDER not in (key, secret):
        return Keys(key, secret), None
    profile = aws.get("profile")
    return None, profile if isinstance(profile, str) else None


def check_bucket(endpoint: Endpoint) -> None:
    """Fail early, with one message, when the bucket cannot be reached, does not exist or is not ours."""
    where = f"the {endpoint.role} bucket {endpoint.label}"
    try:
        endpoint.fast_client(max_attempts=1).head_bucket(Bucket=endpoint.bucket)
    except EndpointConnectionError:
        hint = " (is `kubectl port-forward` running?)" if endpoint.role == "source" else ""
        raise ArgumentProblem(f"cannot reach {where}{hint}") from None
    except NoCredentialsError:
        raise ArgumentProblem(f"no AWS credentials for {where}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/...") from None
    except ClientError as error:
        code = error_code(error)
        if code in ("404", "NoSuchBucket", "NotFound"):
            fix = "check --from" if endpoint.role == "source" else "run `pulumi up` first, or check --stack/--to-bucket"
            raise ArgumentProblem(f"{where} does not exist: {fix}") from None
        if code in ("403", "AccessDenied", "Forbidden"):
            raise ArgumentProblem(f"access to {where} denied: check its credentials and policy") from None
        if code in ("301", "PermanentRedirect", "400"):
            raise ArgumentProblem(f"{where} is not in region {endpoint.region}: set the right region") from None
        raise ArgumentProblem(f"{where}: {describe(error)}") from None
    except (BotoCoreError, ValueError) as error:
        raise ArgumentProblem(f"{where}: {describe(error)}") from None
