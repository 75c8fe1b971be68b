"""The vocabulary of the policy rules: resource types, what a rule sees (`Resource`, `RuleOptions`,
`Context`) and what it reports (`Violation`); policy/rules.py describes how the rules run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

REDACTED = "[secret]"
# Stands in for a value the engine does not know yet (a preview of a new resource's output).
UNKNOWN = "<unknown>"

# --- resource types (pulumi-aws 7, pulumi-kubernetes 4) ---------------------------------------------

QUEUE = "aws:sqs/queue:Queue"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
TABLE = "aws:dynamodb/table:Table"
# pulumi-aws 7 renamed BucketV2 to Bucket; BucketV2 is still registered, so both count as buckets.
BUCKETS = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})
BUCKET_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_SSE = frozenset(
    {
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    }
)
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_VERSIONING = frozenset(
    {"aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"}
)
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
HELM_RELEASE = "kubernetes:helm.sh/v3:Release"

STATEFUL = frozenset({QUEUE, TABLE, *BUCKETS})
# Resources whose `policy` input is a policy document (identity or resource policy).
POLICY_DOCUMENTS = frozenset(
    {ROLE_POLICY, USER_POLICY, GROUP_POLICY, MANAGED_POLICY, BUCKET_POLICY, QUEUE_POLICY, TOPIC_POLICY, QUEUE, TOPIC}
)

STATIC_KEY_FIELDS = frozenset({"awsKeyId", "awsSecretKey"})


@dataclass(frozen=True)
class Context:
    """What the stack allows; see the module docstring."""

    irsa: bool = True
    production: bool = True
    # Top-level values sections (e.g. "gundeck") allowed to carry static keys even with IRSA: the push
    # account Wire provides under contract (push.mode external) is only reachable with Wire's key.
    static_key_exempt: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleOptions:
    """The resource options and stack facts a resource rule may look at."""

    protect: bool = False
    name: str = ""
    ctx: Context = field(default_factory=Context)


@dataclass(frozen=True)
class Violation:
    policy: str
    message: str
    urn: str | None = None

    def __str__(self) -> str:
        where = f" ({self.urn})" if self.urn else ""
        return f"[{self.policy}] {self.message}{where}"


@dataclass(frozen=True)
class Resource:
    """A resource as the stack rules see it: from `plan.json` or from the policy SDK."""

    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    protect: bool = False


ResourceCheck = Callable[[str, Mapping[str, Any], RuleOptions], list[str]]
StackCheck = Callable[[Sequence[Resource], Context], list[Violation]]


@dataclass(frozen=True)
class ResourceRule:
    name: str
    description: str
    check: ResourceCheck


@dataclass(frozen=True)
class StackRule:
    name: str
    description: str
    check: StackCheck


# --- property values ---------------------------------------------------------------------------------


def known(value: Any) -> bool:
    return value is not None and value != UNKNOWN


def truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")
