"""The stack rules: every S3 bucket and the resources that secure it (encryption, public access block, TLS-only)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from policy.documents import denies_insecure_transport, parse_document
from policy.model import (
    BUCKET_PAB,
    BUCKET_POLICY,
    BUCKET_SSE,
    BUCKET_VERSIONING,
    BUCKETS,
    UNKNOWN,
    Context,
    Resource,
    StackRule,
    Violation,
    known,
    truthy,
)


def _bucket_ids(bucket: Resource) -> set[str]:
    # What another resource's `bucket` input resolves to: the bucket's name (its id) or, rarely, its ARN.
    ids = {bucket.urn}
    for key in ("bucket", "id", "arn"):
        value = bucket.props.get(key)
        if isinstance(value, str) and known(value):
            ids.add(value)
    return ids


def _applies_to(resource: Resource, bucket: Resource, buckets: Sequence[Resource]) -> bool:
    """Does a PAB / SSE config / bucket policy belong to this bucket?

    By the `bucket` input's value (known in a plan and in most previews), else by a dependency on the
    bucket, else (an unknown input in a preview) by sharing the parent component with exactly one bucket.
    """
    target = resource.props.get("bucket")
    if isinstance(target, str) and known(target):
        return target in _bucket_ids(bucket)
    if bucket.urn in resource.dependencies:
        return True
    siblings = [b for b in buckets if b.parent is not None and b.parent == resource.parent]
    return siblings == [bucket]


def _for_each_bucket(
    resources: Sequence[Resource], kinds: Collection[str], problem: Callable[[Resource, list[Resource]], str | None]
) -> Iterable[tuple[Resource, str]]:
    buckets = [r for r in resources if r.type in BUCKETS]
    for bucket in buckets:
        attached = [r for r in resources if r.type in kinds and _applies_to(r, bucket, buckets)]
        message = problem(bucket, attached)
        if message:
            yield bucket, message


def _label(bucket: Resource) -> str:
    name = bucket.props.get("bucket")
    return name if isinstance(name, str) and known(name) else bucket.name


def bucket_encrypted(resources: Sequence[Resource], _ctx: Context) -> list[Violation]:
    def problem(bucket: Resource, attached: list[Resource]) -> str | None:
        if attached or bucket.props.get("serverSideEncryptionConfiguration"):
            return None
        return f"bucket {_label(bucket)} has no server-side encryption configuration"

    return [Violation("bucket-encrypted", m, b.urn) for b, m in _for_each_bucket(resources, BUCKET_SSE, problem)]


PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def bucket_public_access_blocked(resources: Sequence[Resource], _ctx: Context) -> list[Violation]:
    def problem(bucket: Resource, attached: list[Resource]) -> str | None:
        if not attached:
            return f"bucket {_label(bucket)} has no public access block"
        for pab in attached:
            off = [flag for flag in PAB_FLAGS if not truthy(pab.props.get(flag))]
            if not off:
                return None
        return f"bucket {_label(bucket)}: public access block does not set {', '.join(off)} to true"

    return [
        Violation("bucket-public-access-blocked", m, b.urn)
        for b, m in _for_each_bucket(resources, {BUCKET_PAB}, problem)
    ]


def bucket_denies_insecure_transport(resources: Sequence[Resource], _ctx: Context) -> list[Violation]:
    def problem(bucket: Resource, attached: list[Resource]) -> str | None:
        for policy in attached:
            raw = policy.props.get("policy")
            if raw == UNKNOWN:
                return None  # computed in a preview; the plan and the next preview see it
            try:
                document = parse_document(raw)
            except ValueError:
                continue
            if document and denies_insecure_transport(document):
                return None
        return f"bucket {_label(bucket)} does not deny requests without TLS (Deny on aws:SecureTransport false)"

    return [
        Violation("bucket-denies-insecure-transport", m, b.urn)
        for b, m in _for_each_bucket(resources, {BUCKET_POLICY}, problem)
    ]


def bucket_versioned(resources: Sequence[Resource], ctx: Context) -> list[Violation]:
    """In production a deleted or overwritten object must be restorable (docs/restore.md): versioning enabled."""
    if not ctx.production:
        return []

    def problem(bucket: Resource, attached: list[Resource]) -> str | None:
        for versioning in attached:
            status = (versioning.props.get("versioningConfiguration") or {}).get("status")
            if status in ("Enabled", UNKNOWN):
                return None
        if (bucket.props.get("versioning") or {}).get("enabled") is True:
            return None
        return f"bucket {_label(bucket)} is not versioned: a mistaken delete or overwrite cannot be undone"

    return [Violation("bucket-versioned", m, b.urn) for b, m in _for_each_bucket(resources, BUCKET_VERSIONING, problem)]


STACK_RULES: tuple[StackRule, ...] = (
    StackRule("bucket-encrypted", "Every S3 bucket has a server-side encryption configuration.", bucket_encrypted),
    StackRule(
        "bucket-public-access-blocked",
        "Every S3 bucket has a public access block with all four settings true.",
        bucket_public_access_blocked,
    ),
    StackRule(
        "bucket-denies-insecure-transport",
        "Every S3 bucket policy denies requests without TLS.",
        bucket_denies_insecure_transport,
    ),
    StackRule(
        "bucket-versioned",
        "In production every S3 bucket is versioned, so a mistaken delete or overwrite can be undone.",
        bucket_versioned,
    ),
)
