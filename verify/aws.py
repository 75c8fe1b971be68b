"""boto3 clients for the stack's region and endpoints, and the error codes `verify` tells apart."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    CredentialRetrievalError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
    SSOError,
    TokenRetrievalError,
)
from botocore.exceptions import ConnectionError as EndpointUnreachable

if TYPE_CHECKING:
    import boto3

# boto3, botocore's session, loaders and config are imported where a client is made: the error helpers here
# are all the asset copy needs, and it starts without them (migrate/s3http.py).


@functools.cache
def _base_config() -> Any:
    from botocore.config import Config

    # Fail fast instead of botocore's default of many retries: verify is run by a person waiting for it.
    return Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 2, "mode": "standard"})


ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "UnauthorizedOperation",
        "AuthorizationErrorException",
        "Forbidden",
        "403",
    }
)
NOT_FOUND = frozenset(
    {
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "NotFound",
        "NotFoundException",
        "ResourceNotFoundException",
        "NoSuchBucket",
        "NoSuchKey",
        "NoSuchHostedZone",
        "404",
    }
)
BAD_CREDENTIALS = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidAccessKeyId",
        "InvalidToken",
    }
)
# Raised before any request is sent: no credentials found, or their source (profile, SSO, role) failed.
_NO_CREDENTIALS = (
    NoCredentialsError,
    PartialCredentialsError,
    CredentialRetrievalError,
    TokenRetrievalError,
    SSOError,
    ProfileNotFound,
)
# No answer from the endpoint (refused, unresolvable, timed out, cut off): the credentials were never judged.
# EndpointUnreachable is botocore's ConnectionError: EndpointConnectionError, ConnectTimeoutError, proxy errors.
_NO_ANSWER = (EndpointUnreachable, ReadTimeoutError, ConnectionClosedError)


class Failure(StrEnum):
    """Why a call failed, as far as the caller can act on it."""

    UNREACHABLE = "the endpoint does not answer"
    TLS = "the TLS handshake failed"
    CREDENTIALS = "the credentials are wrong"
    OTHER = "the call failed"


def failure(error: Exception) -> Failure:
    """Tells a network problem from a credentials problem: only an answer from AWS judges the credentials."""
    if isinstance(error, SSLError):
        return Failure.TLS
    if isinstance(error, _NO_ANSWER):
        return Failure.UNREACHABLE
    if isinstance(error, _NO_CREDENTIALS):
        return Failure.CREDENTIALS
    if isinstance(error, ClientError) and error_code(error) in BAD_CREDENTIALS:
        return Failure.CREDENTIALS
    return Failure.OTHER


def failed_endpoint(error: Exception, client: Any = None) -> str | None:
    """The URL a failed call went to: botocore names it in connection errors, else the client's endpoint."""
    url = getattr(error, "kwargs", {}).get("endpoint_url") if isinstance(error, BotoCoreError) else None
    return url or getattr(getattr(client, "meta", None), "endpoint_url", None)


def error_code(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "Unknown"))
    return type(error).__name__


def describe(error: Exception) -> str:
    """A short error text; never includes credentials (botocore messages don't)."""
    if isinstance(error, ClientError):
        err = error.response.get("Error", {})
        message = err.get("Message") or ""
        return f"{err.get('Code', 'Unknown')}: {message}".rstrip(": ")
    return f"{type(error).__name__}: {error}"


AwsError = (ClientError, BotoCoreError)


def stack_endpoints(value: Any) -> dict[str, str]:
    """`aws:endpoints` (a list of one-key-per-service dicts in Pulumi's schema) as service -> URL."""
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    merged: dict[str, str] = {}
    for item in items:
        if isinstance(item, Mapping):
            merged.update({str(key): str(url) for key, url in item.items() if url})
    return merged


@dataclass
class Aws:
    """Clients per (service, region, endpoint, addressing style), created on first use."""

    session: boto3.Session
    region: str
    # boto3 service name -> endpoint URL (the stack's `aws:endpoints`); `override` wins over all.
    endpoints: dict[str, str] = field(default_factory=dict)
    override: str | None = None
    _cache: dict[tuple[str, str, str | None, str | None], Any] = field(default_factory=dict)

    def endpoint(self, service: str, explicit: str | None = None) -> str | None:
        return self.override or explicit or self.endpoints.get(service)

    def client(
        self,
        service: str,
        *,
        region: str | None = None,
        endpoint: str | None = None,
        addressing_style: str | None = None,
    ) -> Any:
        region = region or self.region
        url = self.endpoint(service, endpoint)
        key = (service, region, url, addressing_style)
        if key not in self._cache:
            config = _base_config()
            if addressing_style:
                from botocore.config import Config

                config = config.merge(Config(s3={"addressing_style": addressing_style}))
            self._cache[key] = self.session.client(service, region_name=region, endpoint_url=url, config=config)
        return self._cache[key]


@functools.cache
def _loader() -> Any:
    import botocore.loaders

    return botocore.loaders.create_loader()


def session(profile: str | None = None, keys: tuple[str, str] | None = None) -> boto3.Session:
    """The standard credential chain (env, profile, web identity, container, instance profile), or `keys`.

    Sessions share one model loader: parsing the service models is most of a client's cost, and the
    push session (and repeated runs in one process) would otherwise parse them again.
    """
    import boto3
    import botocore.session

    core = botocore.session.get_session()
    core.register_component("data_loader", _loader())
    if keys:
        return boto3.Session(botocore_session=core, aws_access_key_id=keys[0], aws_secret_access_key=keys[1])
    return boto3.Session(botocore_session=core, profile_name=profile)


def stack_credentials(config: Mapping[str, Any]) -> tuple[str | None, tuple[str, str] | None]:
    """(profile, keys) the stack's AWS provider uses (`aws:profile`, `aws:accessKey`/`aws:secretKey`).

    As the Pulumi provider does, explicit stack settings win over the ambient chain; a key stored as
    a secret cannot be decrypted here and is left to the ambient chain.
    """
    access, secret = config.get("aws:accessKey"), config.get("aws:secretKey")
    plain = all(isinstance(value, str) and value and not value.startswith("[") for value in (access, secret))
    keys = (str(access), str(secret)) if plain else None
    profile = config.get("aws:profile")
    return (str(profile) if profile else None), keys


# Phrases AWS puts in an AccessDenied message since 2023 (IAM "enhanced access denied" messages),
# mapped to the policy that decided. Checked most specific first.
_DENIAL_CAUSES = (
    (
        "explicit deny in a service control policy",
        "an explicit Deny in a service control policy (SCP) of your organization",
    ),
    ("no service control policy allows", "no service control policy (SCP) of your organization allows it"),
    (
        "explicit deny in a resource control policy",
        "an explicit Deny in a resource control policy (RCP) of your organization",
    ),
    ("explicit deny in a permissions boundary", "an explicit Deny in the permissions boundary of the role/user"),
    ("no permissions boundary allows", "the permissions boundary of the role/user does not allow it"),
    ("explicit deny in a session policy", "an explicit Deny in the session policy"),
    ("no session policy allows", "the session policy does not allow it"),
    ("explicit deny in a vpc endpoint policy", "an explicit Deny in the VPC endpoint policy"),
    ("no vpc endpoint policy allows", "the VPC endpoint policy does not allow it"),
    ("explicit deny in a resource-based policy", "an explicit Deny in {resource_policy}"),
    ("no resource-based policy allows", "{resource_policy} does not allow it"),
    ("explicit deny in an identity-based policy", "an explicit Deny in the role/user policy of the caller"),
    ("no identity-based policy allows", "no statement of the caller's role/user policy allows it"),
)
_KMS_DENIED = frozenset({"KMS.AccessDeniedException", "KMSAccessDeniedException", "KMS.KMSAccessDeniedException"})


def denial_cause(error: Exception, resource_policy: str = "the resource's policy") -> str:
    """Which policy denied a call, as far as the error tells; `resource_policy` names e.g. the bucket policy."""
    code = error_code(error)
    text = describe(error).lower()
    if code in _KMS_DENIED or ("kms" in text and "key" in text):
        return "the KMS key policy (or the caller's kms:Decrypt/GenerateDataKey grant) of the encryption key"
    for phrase, cause in _DENIAL_CAUSES:
        if phrase in text:
            return cause.format(resource_policy=resource_policy)
    return f"AWS does not say which policy: check the caller's role/user policy, then {resource_policy}"
