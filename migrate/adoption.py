"""What adopting each live resource would change: the live resource read with boto3 (or `helm list`),
compared with what the program sets (the offline plan's inputs of the same registration).

Each difference carries its consequence at `wire:adopt.step: apply`: an update in place, or a
replacement, which would destroy the data the adoption is meant to keep; such an adoption is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plan.registrations import Registration
from verify.aws import NOT_FOUND, AwsError, describe, error_code

QUEUE = "aws:sqs/queue:Queue"
BUCKET = "aws:s3/bucket:Bucket"
TABLE = "aws:dynamodb/table:Table"
TOPIC = "aws:sns/topic:Topic"
SES_IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity"
CONFIGURATION_SET = "aws:sesv2/configurationSet:ConfigurationSet"
RECORD = "aws:route53/record:Record"
RELEASE = "kubernetes:helm.sh/v3:Release"
# Bucket settings the program writes with resources of their own (children of the AssetStorage component).
BUCKET_PARTS = {
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "encryption",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "public access block",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "object ownership",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket policy",
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": "CORS rules",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "lifecycle rules",
    # Once enabled, versioning can only be suspended, never turned off again (docs/restore.md).
    "aws:s3/bucketVersioning:BucketVersioning": "versioning",
}


@dataclass(frozen=True)
class Difference:
    key: str
    live: Any
    program: Any
    replaces: bool = False

    def text(self) -> str:
        consequence = "REPLACEMENT" if self.replaces else "update in place"
        return f"{self.key}: live {_show(self.live)}, program {_show(self.program)} ({consequence})"


@dataclass
class Finding:
    """One adopted resource: what differs, or why it cannot be read."""

    kind: str
    name: str
    import_id: str
    differences: list[Difference] = field(default_factory=list)
    problem: str | None = None

    @property
    def refused(self) -> bool:
        return self.problem is not None or any(d.replaces for d in self.differences)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "name": self.name,
            "import": self.import_id,
            "refused": self.refused,
            "problem": self.problem,
            "differences": [
                {"key": d.key, "live": d.live, "program": d.program, "replaces": d.replaces} for d in self.differences
            ],
        }


def _show(value: Any) -> str:
    return (
        "(none)"
        if value is None
        else json.dumps(value, sort_keys=True)
        if isinstance(value, dict | list)
        else str(value)
    )


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def compare(key: str, live: Any, program: Any, *, replaces: bool = False) -> list[Difference]:
    live, program = _number(live), _number(program)
    return [] if live == program else [Difference(key, live, program, replaces)]


# --- per resource type --------------------------------------------------------------------------


def queue_differences(attributes: Mapping[str, str], inputs: Mapping[str, Any]) -> list[Difference]:
    """`GetQueueAttributes(All)` against the Queue's inputs."""
    found = compare("FifoQueue", attributes.get("FifoQueue") == "true", bool(inputs.get("fifoQueue")), replaces=True)
    found += compare("VisibilityTimeout", attributes.get("VisibilityTimeout"), inputs.get("visibilityTimeoutSeconds"))
    found += compare(
        "MessageRetentionPeriod", attributes.get("MessageRetentionPeriod"), inputs.get("messageRetentionSeconds")
    )
    found += compare(
        "ReceiveMessageWaitTimeSeconds",
        attributes.get("ReceiveMessageWaitTimeSeconds"),
        inputs.get("receiveWaitTimeSeconds"),
    )
    if inputs.get("kmsMasterKeyId"):
        found += compare("KmsMasterKeyId", attributes.get("KmsMasterKeyId"), inputs.get("kmsMasterKeyId"))
    else:
        found += compare("SqsManagedSseEnabled", attributes.get("SqsManagedSseEnabled") == "true", True)
    found += compare("RedrivePolicy", _redrive(attributes.get("RedrivePolicy")), _redrive(inputs.get("redrivePolicy")))
    return found


def _redrive(policy: Any) -> dict[str, Any] | None:
    """The dead-letter queue's name and the receive count: the account in an ARN differs between plan and live."""
    if not policy:
        return None
    parsed = json.loads(policy) if isinstance(policy, str) else dict(policy)
    target = str(parsed.get("deadLetterTargetArn", "")).rsplit(":", 1)[-1]
    return {"deadLetterQueue": target, "maxReceiveCount": _number(parsed.get("maxReceiveCount"))}


def table_differences(
    table: Mapping[str, Any], backups: Mapping[str, Any] | None, inputs: Mapping[str, Any]
) -> list[Difference]:
    """`DescribeTable` (+ `DescribeContinuousBackups`) against the Table's inputs; a key change is a replacement."""
    keys = {item["KeyType"]: item["AttributeName"] for item in table.get("KeySchema", [])}
    types = {item["AttributeName"]: item["AttributeType"] for item in table.get("AttributeDefinitions", [])}
    found = compare(
        "hash key", _typed(keys.get("HASH"), types), _typed(inputs.get("hashKey"), _input_types(inputs)), replaces=True
    )
    found += compare(
        "range key",
        _typed(keys.get("RANGE"), types),
        _typed(inputs.get("rangeKey"), _input_types(inputs)),
        replaces=True,
    )
    billing = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    found += compare("billing mode", billing, inputs.get("billingMode") or "PROVISIONED")
    sse = (table.get("SSEDescription") or {}).get("Status") in ("ENABLED", "ENABLING")
    found += compare("encryption with a KMS key", sse, bool((inputs.get("serverSideEncryption") or {}).get("enabled")))
    found += compare(
        "deletion protection",
        bool(table.get("DeletionProtectionEnabled")),
        bool(inputs.get("deletionProtectionEnabled")),
    )
    stream = bool((table.get("StreamSpecification") or {}).get("StreamEnabled"))
    found += compare("stream", stream, bool(inputs.get("streamEnabled")))
    if backups is not None:
        recovery = (backups.get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {}
        found += compare(
            "point-in-time recovery",
            recovery.get("PointInTimeRecoveryStatus") == "ENABLED",
            bool((inputs.get("pointInTimeRecovery") or {}).get("enabled")),
        )
    return found


def _input_types(inputs: Mapping[str, Any]) -> dict[str, str]:
    return {item["name"]: item["type"] for item in inputs.get("attributes") or []}


def _typed(name: str | None, types: Mapping[str, str]) -> str | None:
    return None if name is None else f"{name} ({types.get(name, '?')})"


def topic_differences(attributes: Mapping[str, str], inputs: Mapping[str, Any]) -> list[Difference]:
    return compare("KmsMasterKeyId", attributes.get("KmsMasterKeyId"), _plain_key(inputs.get("kmsMasterKeyId")))


def _plain_key(key: Any) -> Any:
    # A key the program creates is known only at apply: the plan shows a made-up ARN; any key differs from none.
    return "(a KMS key of the stack)" if isinstance(key, str) and key.startswith("arn:") else key


def bucket_differences(live: Mapping[str, Any], parts: Mapping[str, Mapping[str, Any]]) -> list[Difference]:
    """The bucket's settings as read (`live`, keyed like BUCKET_PARTS' values) against the program's parts."""
    found: list[Difference] = []
    encryption = parts.get("encryption")
    if encryption is not None:
        rule = (encryption.get("rules") or [{}])[0].get("applyServerSideEncryptionByDefault") or {}
        found += compare("encryption", live.get("encryption"), rule.get("sseAlgorithm"))
    block = parts.get("public access block")
    if block is not None:
        wanted = {key: bool(block.get(key)) for key in _BLOCK_KEYS}
        found += compare("public access block", live.get("public access block"), wanted)
    ownership = parts.get("object ownership")
    if ownership is not None:
        found += compare(
            "object ownership", live.get("object ownership"), (ownership.get("rule") or {}).get("objectOwnership")
        )
    policy = parts.get("bucket policy")
    if policy is not None:
        found += compare("bucket policy", live.get("bucket policy"), _statements(policy.get("policy")))
    cors = parts.get("CORS rules")
    if cors is not None:
        found += compare(
            "CORS origins", live.get("CORS origins"), sorted(_origins(cors.get("corsRules") or [], "allowedOrigins"))
        )
    lifecycle = parts.get("lifecycle rules")
    if lifecycle is not None:
        found += compare(
            "lifecycle rules", live.get("lifecycle rules"), sorted(r.get("id") for r in lifecycle.get("rules") or [])
        )
    versioning = parts.get("versioning")
    if versioning is not None:
        found += compare(
            "versioning", live.get("versioning"), (versioning.get("versioningConfiguration") or {}).get("status")
        )
    return found


_BLOCK_KEYS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _origins(rules: list[Mapping[str, Any]], key: str) -> set[str]:
    return {origin for rule in rules for origin in rule.get(key) or []}


def _statements(policy: Any) -> list[str] | None:
    """A policy by its statements' Sids (the resources and principals hold made-up ARNs in the plan)."""
    if not policy:
        return None
    document = json.loads(policy) if isinstance(policy, str) else policy
    return sorted(str(statement.get("Sid", "(no Sid)")) for statement in document.get("Statement", []))


def read_bucket(s3: Any, bucket: str) -> dict[str, Any]:
    """The live bucket's settings that the program's bucket parts set; None where none is set."""

    def optional(call: Callable[[], Any], missing: tuple[str, ...]) -> Any:
        try:
            return call()
        except AwsError as error:
            if error_code(error) in missing:
                return None
            raise

    s3.head_bucket(Bucket=bucket)
    encryption = optional(
        lambda: s3.get_bucket_encryption(Bucket=bucket), ("ServerSideEncryptionConfigurationNotFoundError",)
    )
    rules = ((encryption or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or [{}]
    block = optional(lambda: s3.get_public_access_block(Bucket=bucket), ("NoSuchPublicAccessBlockConfiguration",))
    block_config = (block or {}).get("PublicAccessBlockConfiguration")
    ownership = optional(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), ("OwnershipControlsNotFoundError",))
    policy = optional(lambda: s3.get_bucket_policy(Bucket=bucket), ("NoSuchBucketPolicy",))
    cors = optional(lambda: s3.get_bucket_cors(Bucket=bucket), ("NoSuchCORSConfiguration",))
    lifecycle = optional(
        lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket), ("NoSuchLifecycleConfiguration",)
    )
    versioning = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    return {
        "encryption": (rules[0].get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm"),
        "public access block": (
            {key: bool(block_config.get(key[0].upper() + key[1:])) for key in _BLOCK_KEYS} if block_config else None
        ),
        "object ownership": (
            (((ownership or {}).get("OwnershipControls") or {}).get("Rules") or [{}])[0].get("ObjectOwnership")
            if ownership
            else None
        ),
        "bucket policy": _statements((policy or {}).get("Policy")),
        "CORS origins": sorted(_origins(cors.get("CORSRules") or [], "AllowedOrigins")) if cors else None,
        "lifecycle rules": sorted(rule.get("ID") for rule in lifecycle.get("Rules") or []) if lifecycle else None,
        "versioning": versioning,
    }


def release_differences(
    live: Mapping[str, Any] | None, inputs: Mapping[str, Any]
) -> tuple[list[Difference], str | None]:
    """One entry of `helm list -A -o json` against the Release's inputs; a release not deployed is refused."""
    if live is None:
        return [], "no such release in `helm list --all-namespaces` (check the namespace and the kube context)"
    problem = None
    if live.get("status") != "deployed":
        problem = (
            f"the release is {live.get('status')}: helm rollback (or fix) it first, adoption needs a deployed release"
        )
    chart = str(inputs.get("chart", "")).rsplit("/", 1)[-1]
    wanted = f"{chart}-{inputs['version']}" if inputs.get("version") else chart
    found = compare("chart", live.get("chart"), wanted)
    found += compare("namespace", live.get("namespace"), inputs.get("namespace"), replaces=True)
    return found, problem


def record_differences(live: Mapping[str, Any] | None, inputs: Mapping[str, Any]) -> list[Difference]:
    """A `ListResourceRecordSets` entry against the Record's inputs (values and TTL change in place)."""
    values = sorted(item["Value"] for item in (live or {}).get("ResourceRecords") or [])
    wanted = sorted(str(value) for value in inputs.get("records") or [])
    found = compare("values", values, wanted)
    if inputs.get("ttl") is not None:
        found += compare("TTL", (live or {}).get("TTL"), inputs.get("ttl"))
    return found


# --- reading each adopted resource ----------------------------------------------------------------


def check_resource(
    registration: Registration,
    clients: Callable[[str], Any],
    bucket_parts: Mapping[str, Mapping[str, Any]],
    helm_releases: list[dict[str, Any]] | None,
) -> Finding:
    """Read one adopted resource and compare it; `clients(service)` gives a boto3 client of the stack."""
    inputs = registration.inputs
    import_id = registration.import_id or ""
    finding = Finding(registration.type.rsplit(":", 1)[-1], registration.name, import_id)
    try:
        if registration.type == QUEUE:
            attributes = clients("sqs").get_queue_attributes(QueueUrl=import_id, AttributeNames=["All"])["Attributes"]
            finding.differences = queue_differences(attributes, inputs)
        elif registration.type == TABLE:
            dynamodb = clients("dynamodb")
            table = dynamodb.describe_table(TableName=import_id)["Table"]
            backups = dynamodb.describe_continuous_backups(TableName=import_id)
            finding.differences = table_differences(table, backups, inputs)
        elif registration.type == TOPIC:
            attributes = clients("sns").get_topic_attributes(TopicArn=import_id)["Attributes"]
            finding.differences = topic_differences(attributes, inputs)
        elif registration.type == BUCKET:
            finding.differences = bucket_differences(read_bucket(clients("s3"), import_id), bucket_parts)
        elif registration.type == SES_IDENTITY:
            identity = clients("sesv2").get_email_identity(EmailIdentity=import_id)
            finding.differences = compare(
                "configuration set", identity.get("ConfigurationSetName"), inputs.get("configurationSetName")
            )
        elif registration.type == CONFIGURATION_SET:
            clients("sesv2").get_configuration_set(ConfigurationSetName=import_id)
        elif registration.type == RECORD:
            finding.differences = record_differences(_record(clients("route53"), import_id), inputs)
        elif registration.type == RELEASE:
            if helm_releases is None:
                finding.problem = "not checked: pass --helm-list (helm list --all-namespaces --output json)"
            else:
                namespace, _, name = import_id.partition("/")
                live = next(
                    (r for r in helm_releases if (r.get("namespace"), r.get("name")) == (namespace, name)), None
                )
                finding.differences, finding.problem = release_differences(live, inputs)
    except AwsError as error:
        missing = error_code(error) in NOT_FOUND or "NonExistent" in error_code(error)
        finding.problem = (
            "does not exist (check the id and the region)" if missing else f"cannot be read: {describe(error)}"
        )
    except LookupError as error:
        finding.problem = f"does not exist: {error}"
    return finding


def _record(route53: Any, record_id: str) -> dict[str, Any]:
    zone, rest = record_id.split("_", 1)
    name, record_type = rest.rsplit("_", 1)
    wanted = name.rstrip(".").lower()
    answer = route53.list_resource_record_sets(
        HostedZoneId=zone, StartRecordName=wanted, StartRecordType=record_type, MaxItems="1"
    )
    for record in answer.get("ResourceRecordSets") or []:
        if record["Name"].rstrip(".").lower() == wanted and record["Type"] == record_type:
            return record
    raise LookupError(f"no {record_type} record {wanted} in zone {zone}")
