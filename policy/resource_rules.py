"""The resource rules: one resource's properties at a time (encryption, dead-letter queue, protection, IAM, keys)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from policy.documents import as_list, parse_document, public_principals, wildcard_actions
from policy.model import (
    ACCESS_KEY,
    HELM_RELEASE,
    POLICY_DOCUMENTS,
    QUEUE,
    REDACTED,
    ROLE,
    STATEFUL,
    STATIC_KEY_FIELDS,
    TABLE,
    TOPIC,
    UNKNOWN,
    ResourceRule,
    RuleOptions,
    truthy,
)


def encrypted_at_rest(resource_type: str, props: Mapping[str, Any], _opts: RuleOptions) -> list[str]:
    """Queues, topics and tables say how they are encrypted (buckets: see `bucket_encrypted`)."""
    if resource_type == QUEUE:
        if truthy(props.get("sqsManagedSseEnabled")) or props.get("kmsMasterKeyId"):
            return []
        return ["SQS queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId"]
    if resource_type == TOPIC:
        if props.get("kmsMasterKeyId"):
            return []
        return ["SNS topic is not encrypted: set kmsMasterKeyId (alias/aws/sns or a customer key)"]
    if resource_type == TABLE:
        sse = props.get("serverSideEncryption")
        if isinstance(sse, Mapping) and truthy(sse.get("enabled")):
            return []
        # DynamoDB always encrypts with an AWS-owned key; we require a KMS key the account can audit.
        return ["DynamoDB table has no KMS encryption: set serverSideEncryption.enabled (optionally kmsKeyArn)"]
    return []


def queue_has_dlq(resource_type: str, props: Mapping[str, Any], opts: RuleOptions) -> list[str]:
    """Every queue hands poison messages to a dead-letter queue; the DLQs themselves are exempt."""
    if resource_type != QUEUE:
        return []
    name = props.get("name") or opts.name
    if isinstance(name, str) and (name.endswith("-dlq") or name.endswith("-dlq.fifo")):
        return []
    redrive = props.get("redrivePolicy")
    if redrive == UNKNOWN:
        return []
    try:
        policy = parse_document(redrive)
    except ValueError:
        return [f"queue {name}: redrivePolicy is not JSON"]
    if policy and policy.get("deadLetterTargetArn"):
        return []
    return [f"queue {name} has no dead-letter queue: set redrivePolicy with deadLetterTargetArn"]


def stateful_protected(resource_type: str, _props: Mapping[str, Any], opts: RuleOptions) -> list[str]:
    """In production a `pulumi up` must never delete the bucket, the table or a queue (with its messages)."""
    if resource_type not in STATEFUL or not opts.ctx.production or opts.protect:
        return []
    return [f"{resource_type.rsplit(':', 1)[-1]} {opts.name} holds data but is not protected in a production stack"]


def iam_no_wildcards(resource_type: str, props: Mapping[str, Any], _opts: RuleOptions) -> list[str]:
    """No policy document allows `*`, `service:*` or NotAction; no trust policy is open to everyone."""
    documents: list[tuple[str, Any]] = []
    if resource_type in POLICY_DOCUMENTS:
        documents.append(("policy", props.get("policy")))
    if resource_type == ROLE:
        documents.append(("assumeRolePolicy", props.get("assumeRolePolicy")))
        for index, inline in enumerate(as_list(props.get("inlinePolicies"))):
            if isinstance(inline, Mapping):
                documents.append((f"inlinePolicies[{index}]", inline.get("policy")))
    problems = []
    for where, raw in documents:
        try:
            document = parse_document(raw)
        except ValueError:
            problems.append(f"{where} is not a JSON policy document")
            continue
        if document is None:
            continue
        problems += [f"{where}: {problem}" for problem in wildcard_actions(document)]
        if where == "assumeRolePolicy":
            problems += [f"{where}: {problem}" for problem in public_principals(document)]
    return problems


def no_static_keys_with_irsa(resource_type: str, props: Mapping[str, Any], opts: RuleOptions) -> list[str]:
    """With IRSA, helm values carry no awsKeyId/awsSecretKey and no IAM access key is created."""
    if not opts.ctx.irsa:
        return []
    if resource_type == ACCESS_KEY:
        return [f"IAM access key {opts.name} created although the stack uses IRSA"]
    if resource_type != HELM_RELEASE:
        return []
    values = props.get("values")
    if values == REDACTED:
        # Only in a plan: check_plan substitutes the per-leaf redacted values file before calling us.
        return ["values are redacted as a whole; cannot check for static keys"]
    return static_keys_in_values(values, opts.ctx.static_key_exempt)


def static_keys_in_values(values: Any, exempt: Collection[str] = ()) -> list[str]:
    problems = []
    for path, _value in walk_keys(values):
        key = path.rsplit(".", 1)[-1]
        if key in STATIC_KEY_FIELDS and path.split(".", 1)[0].split("[", 1)[0] not in exempt:
            problems.append(f"static AWS key in helm values at {path} although the stack uses IRSA")
    return problems


RESOURCE_RULES: tuple[ResourceRule, ...] = (
    ResourceRule(
        "encrypted-at-rest", "SQS queues, SNS topics and DynamoDB tables are encrypted at rest.", encrypted_at_rest
    ),
    ResourceRule("queue-has-dlq", "Every SQS queue (except a DLQ) has a dead-letter queue.", queue_has_dlq),
    ResourceRule("stateful-protected", "In production the bucket, table and queues are protected.", stateful_protected),
    ResourceRule(
        "iam-no-wildcards",
        "No policy document allows '*', 'service:*' or NotAction; no trust policy is open to everyone.",
        iam_no_wildcards,
    ),
    ResourceRule(
        "no-static-keys-with-irsa",
        "With IRSA no helm release carries awsKeyId/awsSecretKey and no IAM access key exists.",
        no_static_keys_with_irsa,
    ),
)


def walk_keys(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted path, value) of a values tree, depth first."""
    if isinstance(tree, Mapping):
        for key, value in tree.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, value
            yield from walk_keys(value, child)
    elif isinstance(tree, list | tuple):
        for index, value in enumerate(tree):
            child = f"{path}[{index}]"
            yield child, value
            yield from walk_keys(value, child)
