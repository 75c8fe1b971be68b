"""The review rules of the wire-infra policy pack, as plain functions.

Every rule is a pure function over plain data, so the same code runs in three places:
  * the Pulumi policy pack (`policy/__main__.py`, `pulumi preview --policy-pack policy`),
  * the offline plan (`check_plan` over `plan.json`, used by the tests and by `python -m review`),
  * the unit tests (each rule called with passing and failing properties).

A resource rule is `(resource_type, props, opts) -> list[str]` (one message per problem, empty when
the resource passes); a stack rule is `(resources, ctx) -> list[Violation]`, for checks that need more
than one resource (a bucket and the resources that secure it).

Two facts about the stack change what is allowed; they travel in `Context`:
  * `irsa`: the services authenticate with IAM roles for service accounts, so no helm release may carry
    static AWS keys (`awsKeyId` / `awsSecretKey`);
  * `production`: stateful resources (bucket, table, queues) must be `protect`ed.
`context_from_stack_config` derives both from the stack's `wire:` config exactly as the program does
(components/config/); the pack and the review command use it, or take explicit overrides.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan.files import load_plan

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


# --- stack facts -------------------------------------------------------------------------------------


def context_from_stack_config(wire: Mapping[str, Any]) -> Context:
    """The Context of a stack from its `wire:` config (keys without the prefix; objects parsed or JSON).

    Mirrors components/config/: `serviceCredentials.mode` defaults to irsa when the section is absent,
    `production` is stated by the stack (the program refuses a stack without it; here the strict
    default, production, stands in) and never follows the environment's name; external push carries
    Wire's static key.
    """
    credentials = _object(wire.get("serviceCredentials"))
    mode = credentials.get("mode", "irsa") if credentials is not None else "irsa"
    production = _boolean(wire.get("production"))
    if production is None:
        production = True
    push = _object(wire.get("push")) or {}
    exempt = frozenset({"gundeck"}) if push.get("mode") == "external" else frozenset()
    return Context(irsa=mode == "irsa", production=production, static_key_exempt=exempt)


def _object(value: Any) -> dict[str, Any] | None:
    # The Pulumi runtime hands objects over as JSON strings; a stack file read with YAML gives dicts.
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return dict(value) if isinstance(value, Mapping) else None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


# --- helpers -----------------------------------------------------------------------------------------


def _known(value: Any) -> bool:
    return value is not None and value != UNKNOWN


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def parse_document(value: Any) -> Mapping[str, Any] | None:
    """A policy document from a JSON string or an object; None when absent, unknown or redacted."""
    if isinstance(value, Mapping):
        return value
    if not isinstance(value, str) or value in (UNKNOWN, REDACTED, ""):
        return None
    parsed = json.loads(value)  # a malformed document is a bug the caller reports
    return parsed if isinstance(parsed, Mapping) else None


def statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = document.get("Statement", [])
    if isinstance(found, Mapping):
        return [found]
    return [s for s in found if isinstance(s, Mapping)] if isinstance(found, list) else []


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def wildcard_actions(document: Mapping[str, Any]) -> list[str]:
    """Problems with the Allow statements of a document: `*`, `service:*` and `NotAction`.

    `service:*` is flagged too: a Wire service needs a handful of named actions, and `s3:*` on the assets
    bucket would also grant `s3:PutBucketPolicy` / `s3:DeleteBucket`. Deny statements may use wildcards
    (the TLS-only bucket policy denies `s3:*`).
    """
    problems = []
    for index, statement in enumerate(statements(document)):
        if statement.get("Effect") != "Allow":
            continue
        sid = statement.get("Sid") or f"Statement[{index}]"
        if "NotAction" in statement:
            problems.append(f"{sid} allows NotAction {statement['NotAction']!r} (everything except a list)")
        for action in _as_list(statement.get("Action")):
            if not isinstance(action, str):
                continue
            if action == "*":
                problems.append(f"{sid} allows Action '*'")
            elif action.endswith(":*"):
                problems.append(f"{sid} allows every action of a service: '{action}'")
    return problems


def public_principals(document: Mapping[str, Any]) -> list[str]:
    """Allow statements of a trust policy that anyone can use: Principal `*` without a Condition."""
    problems = []
    for index, statement in enumerate(statements(document)):
        if statement.get("Effect") != "Allow" or statement.get("Condition"):
            continue
        principal = statement.get("Principal")
        values = _as_list(principal)
        if isinstance(principal, Mapping):
            values = [v for value in principal.values() for v in _as_list(value)]
        if "*" in values:
            sid = statement.get("Sid") or f"Statement[{index}]"
            problems.append(f"{sid} lets any principal assume the role (Principal '*' without a Condition)")
    return problems


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


# --- resource rules ----------------------------------------------------------------------------------


def encrypted_at_rest(resource_type: str, props: Mapping[str, Any], _opts: RuleOptions) -> list[str]:
    """Queues, topics and tables say how they are encrypted (buckets: see `bucket_encrypted`)."""
    if resource_type == QUEUE:
        if _truthy(props.get("sqsManagedSseEnabled")) or props.get("kmsMasterKeyId"):
            return []
        return ["SQS queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId"]
    if resource_type == TOPIC:
        if props.get("kmsMasterKeyId"):
            return []
        return ["SNS topic is not encrypted: set kmsMasterKeyId (alias/aws/sns or a customer key)"]
    if resource_type == TABLE:
        sse = props.get("serverSideEncryption")
        if isinstance(sse, Mapping) and _truthy(sse.get("enabled")):
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
        for index, inline in enumerate(_as_list(props.get("inlinePolicies"))):
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


# --- stack rules: a bucket and what secures it --------------------------------------------------------


def _bucket_ids(bucket: Resource) -> set[str]:
    # What another resource's `bucket` input resolves to: the bucket's name (its id) or, rarely, its ARN.
    ids = {bucket.urn}
    for key in ("bucket", "id", "arn"):
        value = bucket.props.get(key)
        if isinstance(value, str) and _known(value):
            ids.add(value)
    return ids


def _applies_to(resource: Resource, bucket: Resource, buckets: Sequence[Resource]) -> bool:
    """Does a PAB / SSE config / bucket policy belong to this bucket?

    By the `bucket` input's value (known in a plan and in most previews), else by a dependency on the
    bucket, else (an unknown input in a preview) by sharing the parent component with exactly one bucket.
    """
    target = resource.props.get("bucket")
    if isinstance(target, str) and _known(target):
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
    return name if isinstance(name, str) and _known(name) else bucket.name


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
            off = [flag for flag in PAB_FLAGS if not _truthy(pab.props.get(flag))]
            if not off:
                return None
        return f"bucket {_label(bucket)}: public access block does not set {', '.join(off)} to true"

    return [
        Violation("bucket-public-access-blocked", m, b.urn)
        for b, m in _for_each_bucket(resources, {BUCKET_PAB}, problem)
    ]


def denies_insecure_transport(document: Mapping[str, Any]) -> bool:
    """A Deny statement conditioned on `aws:SecureTransport` being false (Bool or BoolIfExists)."""
    for statement in statements(document):
        if statement.get("Effect") != "Deny":
            continue
        condition = statement.get("Condition")
        if not isinstance(condition, Mapping):
            continue
        for operator in ("Bool", "BoolIfExists"):
            test = condition.get(operator)
            if isinstance(test, Mapping) and str(test.get("aws:SecureTransport")).lower() == "false":
                return True
    return False


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
)


# --- the offline plan --------------------------------------------------------------------------------


def plan_resources(plan: Mapping[str, Any]) -> list[Resource]:
    return [
        Resource(
            urn=r["urn"],
            type=r["type"],
            name=r.get("name", ""),
            props=r.get("inputs") or {},
            parent=r.get("parent"),
            dependencies=tuple(r.get("dependencies") or ()),
            protect=bool(r.get("protect")),
        )
        for r in plan.get("resources", [])
    ]


def release_name(resource: Resource) -> str:
    name = resource.props.get("name")
    return name if isinstance(name, str) and name else resource.name


def check_plan(
    plan: Mapping[str, Any],
    *,
    irsa: bool,
    production: bool,
    values: Mapping[str, Any] | None = None,
    static_key_exempt: Collection[str] = (),
) -> list[Violation]:
    """Every rule over an offline plan.

    `values` maps release name -> the release's values tree (the plan's per-leaf redacted
    `values/<release>.yaml`); it replaces a release's `values` input that is redacted as a whole.
    """
    ctx = Context(irsa=irsa, production=production, static_key_exempt=frozenset(static_key_exempt))
    resources = plan_resources(plan)
    violations: list[Violation] = []
    for resource in resources:
        props = resource.props
        if resource.type == HELM_RELEASE and values and release_name(resource) in values:
            props = {**props, "values": values[release_name(resource)]}
        opts = RuleOptions(protect=resource.protect, name=resource.name, ctx=ctx)
        for rule in RESOURCE_RULES:
            violations += [Violation(rule.name, m, resource.urn) for m in rule.check(resource.type, props, opts)]
    for stack_rule in STACK_RULES:
        violations += stack_rule.check(resources, ctx)
    return violations


def check_plan_dir(plan_dir: Path, ctx: Context) -> list[Violation]:
    plan, values = load_plan(plan_dir)
    return check_plan(
        plan, irsa=ctx.irsa, production=ctx.production, values=values, static_key_exempt=ctx.static_key_exempt
    )
