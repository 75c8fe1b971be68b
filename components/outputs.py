"""The small typed record of AWS outputs the helm values are computed from.

The AWS components produce Pulumi Outputs; the Pulumi layer resolves them into one `AwsOutputs`
(inside an `apply`), and the pure value functions in `components/k8s/values/` read only this
record and the validated `StackConfig`. Secret leaves are `SecretStr`, so the value builders keep
them marked: the Pulumi layer turns a tree holding any `SecretStr` into a secret Output, and the
offline plan writes them as `[secret]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

REDACTED = "[secret]"


@dataclass(frozen=True)
class AccessKey:
    """A static IAM access key (staticKeys mode, or Wire's external push account)."""

    key_id: str
    secret: SecretStr


@dataclass(frozen=True)
class PushOutputs:
    """gundeck's six `config.aws` values, in any push mode."""

    account: str
    region: str
    arn_env: str
    queue_name: str
    sqs_endpoint: str
    sns_endpoint: str


@dataclass(frozen=True)
class StoreOutputs:
    """Where a managed data store is and how a service logs in (components/aws/datastores/)."""

    host: str
    port: int
    password: SecretStr
    # RabbitMQ's and OpenSearch's user; PostgreSQL's comes from the config, Redis has none (AUTH token only).
    username: str | None = None


@dataclass(frozen=True)
class AwsOutputs:
    region: str
    account_id: str
    push: PushOutputs
    brig_internal_queue: str
    sqs_endpoint: str
    # SES mode only: the feedback queue brig reads bounces and complaints from.
    ses_queue: str | None
    ses_endpoint: str
    # Always a non-empty string: brig's config parser requires it even with randomPrekeys.
    prekey_table: str
    dynamodb_endpoint: str | None
    user_journal_queue: str | None
    team_events_queue: str | None
    bucket: str
    s3_endpoint: str
    s3_download_endpoint: str | None
    cloudfront_domain: str | None
    # IRSA: service -> role ARN (brig, galley, gundeck, cargohold).
    role_arns: dict[str, str] = field(default_factory=dict)
    # staticKeys: service -> access key; external push adds gundeck's key from Wire.
    access_keys: dict[str, AccessKey] = field(default_factory=dict)
    # Managed data stores by name (postgresql, redis, rabbitmq, elasticsearch); none when all are self-run.
    stores: dict[str, StoreOutputs] = field(default_factory=dict)


def has_secret(tree: Any) -> bool:
    """True when any leaf of a values tree is a SecretStr."""
    return any_marked(tree, SecretStr)


def reveal(tree: Any) -> Any:
    """The tree with every SecretStr replaced by its value (only ever inside a secret Output)."""
    return map_marked(tree, SecretStr, lambda secret: secret.get_secret_value())


def redact(tree: Any) -> Any:
    """The tree with every SecretStr replaced by `[secret]` (plan files, logs)."""
    return map_marked(tree, SecretStr, lambda _secret: REDACTED)


def any_marked(tree: Any, marker: type) -> bool:
    """True when any node of a dict/list tree is an instance of `marker` (a secret wrapper)."""
    if isinstance(tree, marker):
        return True
    if isinstance(tree, dict):
        return any(any_marked(value, marker) for value in tree.values())
    if isinstance(tree, list | tuple):
        return any(any_marked(value, marker) for value in tree)
    return False


def map_marked(tree: Any, marker: type, replace: Callable[[Any], Any]) -> Any:
    """The dict/list tree with every instance of `marker` replaced by `replace(node)`."""
    if isinstance(tree, marker):
        return replace(tree)
    if isinstance(tree, dict):
        return {key: map_marked(value, marker, replace) for key, value in tree.items()}
    if isinstance(tree, list | tuple):
        return [map_marked(value, marker, replace) for value in tree]
    return tree
