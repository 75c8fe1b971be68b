"""A stack adopting what a wire-server-deploy installation and Wire's Terraform modules made, in moto.

`terraform_resources` creates them as those modules do (queues with SQS defaults, a PROVISIONED prekey
table, a bucket with a random suffix, CORS for any origin, nothing else); `adopting_stack` writes the dev
stack pointed at the emulator with a `wire:adopt` section naming them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import yaml

from tests.corpus import PROGRAM, project_root

REGION = "eu-west-1"  # the dev stack's
TF_BUCKET = "dev-assets-cargohold-1a2b3c4d"
# What the program sets on a queue (components/aws/queues.py), to make one that matches it.
PROGRAM_QUEUE = {"VisibilityTimeout": "60", "MessageRetentionPeriod": "345600", "ReceiveMessageWaitTimeSeconds": "20"}
PROGRAM_DLQ = {"VisibilityTimeout": "60", "MessageRetentionPeriod": "1209600", "ReceiveMessageWaitTimeSeconds": "20"}


def client(service: str, url: str) -> Any:
    return boto3.client(
        service, endpoint_url=url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )


@dataclass
class Live:
    """The ids of what `terraform_resources` made, as wire:adopt names them."""

    aws: dict[str, str]


def terraform_resources(url: str, *, table_hash_key: str = "client") -> Live:
    sqs, dynamodb, s3 = client("sqs", url), client("dynamodb", url), client("s3", url)
    # brig's module: the internal queue with nothing but a name.
    internal = sqs.create_queue(QueueName="dev-brig-events-internal")["QueueUrl"]
    # One made to match the program (an earlier run of this very stack, say): adopting it changes nothing.
    sse = {"SqsManagedSseEnabled": "true"}
    dlq = sqs.create_queue(QueueName="dev-gundeck-events-dlq", Attributes={**PROGRAM_DLQ, **sse})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
    gundeck = sqs.create_queue(
        QueueName="dev-gundeck-events", Attributes={**PROGRAM_QUEUE, **sse, "RedrivePolicy": redrive}
    )["QueueUrl"]
    dynamodb.create_table(
        TableName="dev-brig-prekeys",
        KeySchema=[{"AttributeName": table_hash_key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": table_hash_key, "AttributeType": "S"}],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 10},
    )
    s3.create_bucket(Bucket=TF_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_cors(
        Bucket=TF_BUCKET,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedHeaders": ["*"],
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedOrigins": ["*"],
                    "MaxAgeSeconds": 3000,
                }
            ]
        },
    )
    return Live(
        aws={
            "brigInternalQueue": internal,
            "gundeckQueue": gundeck,
            "gundeckDeadLetterQueue": dlq,
            "prekeyTable": "dev-brig-prekeys",
            "assetsBucket": TF_BUCKET,
        }
    )


def adopting_stack(
    base: Path,
    url: str,
    aws: dict[str, str],
    releases: dict[str, str] | None = None,
    *,
    layered: dict[str, Any] | None = None,
    records: list[str] | None = None,
    extra: dict[str, Any] | None = None,
    name: str = "adopt",
) -> Path:
    """A project in `base` with `Pulumi.<name>.yaml`: the dev stack on the emulator at `url`, adopting `aws`
    `releases` and `records`, with `layered` as its wire:layeredValues (files relative to the project) and
    `extra` (config keys) on top."""
    root = project_root(base, {})
    stack = yaml.safe_load((PROGRAM / "Pulumi.dev.yaml").read_text())
    config = copy.deepcopy(stack["config"])
    config["aws:endpoints"] = [{service: url for service in config["aws:endpoints"][0]}]
    config["wire:assets"] = {**config["wire:assets"], "bucketName": TF_BUCKET}
    config["wire:adopt"] = {"step": "import", "aws": aws, "releases": releases or {}, "dnsRecords": records or []}
    config.update(extra or {})
    if layered:
        config["wire:layeredValues"] = layered
    (root / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}))
    return root
