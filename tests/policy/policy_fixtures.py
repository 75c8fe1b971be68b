"""Hand-written plans in the shape of `plan.json` (see plan/): small, and each one secure by default."""

from __future__ import annotations

import copy
import json
from typing import Any

from policy.model import Violation

PREFIX = "urn:pulumi:prod::wire::"
TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::prod-assets", "arn:aws:s3:::prod-assets/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
CARGOHOLD_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::prod-assets/*"}
    ],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"oidc.example/id/X:sub": "system:serviceaccount:wire:cargohold"}},
        }
    ],
}


def resource(
    kind: str, name: str, inputs: dict[str, Any], *, parent: str | None = None, protect: bool = False, deps=()
) -> dict[str, Any]:
    typ = kind
    return {
        "urn": f"{PREFIX}{typ}::{name}",
        "type": typ,
        "name": name,
        "parent": parent,
        "dependencies": list(deps),
        "custom": True,
        "protect": protect,
        "retainOnDelete": protect,
        "inputs": inputs,
        "secretOutputs": [],
    }


def secure_plan() -> dict[str, Any]:
    """A plan that passes every rule with irsa=True, production=True."""
    assets = "urn:pulumi:prod::wire::wire:aws:AssetStorage::assets"
    bucket = resource("aws:s3/bucket:Bucket", "prod-assets", {"bucket": "prod-assets"}, parent=assets, protect=True)
    dlq_arn = "arn:aws:sqs:eu-central-1:123456789012:prod-gundeck-events-dlq"
    resources = [
        bucket,
        resource(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "prod-assets-pab",
            {
                "bucket": "prod-assets",
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            parent=assets,
            deps=[bucket["urn"]],
        ),
        resource(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "prod-assets-sse",
            {"bucket": "prod-assets", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
            parent=assets,
        ),
        resource(
            "aws:s3/bucketPolicy:BucketPolicy",
            "prod-assets-tls",
            {"bucket": "prod-assets", "policy": json.dumps(TLS_ONLY)},
            parent=assets,
        ),
        resource(
            "aws:s3/bucketVersioning:BucketVersioning",
            "prod-assets-versioning",
            {"bucket": "prod-assets", "versioningConfiguration": {"status": "Enabled"}},
            parent=assets,
        ),
        resource(
            "aws:sqs/queue:Queue",
            "prod-gundeck-events",
            {
                "name": "prod-gundeck-events",
                "sqsManagedSseEnabled": True,
                "redrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}),
            },
            protect=True,
        ),
        resource(
            "aws:sqs/queue:Queue",
            "prod-gundeck-events-dlq",
            {"name": "prod-gundeck-events-dlq", "sqsManagedSseEnabled": True},
            protect=True,
        ),
        resource("aws:sns/topic:Topic", "prod-gundeck-events", {"kmsMasterKeyId": "alias/aws/sns"}),
        resource(
            "aws:dynamodb/table:Table",
            "prod-brig-prekeys",
            {"name": "prod-brig-prekeys", "serverSideEncryption": {"enabled": True}, "pointInTimeRecovery": {}},
            protect=True,
        ),
        resource("aws:iam/role:Role", "prod-cargohold", {"assumeRolePolicy": json.dumps(TRUST)}),
        resource(
            "aws:iam/rolePolicy:RolePolicy",
            "prod-cargohold",
            {"role": "prod-cargohold", "policy": json.dumps(CARGOHOLD_POLICY)},
        ),
        resource(
            "kubernetes:helm.sh/v3:Release",
            "wire-server",
            {"name": "wire-server", "values": {"cargohold": {"config": {"aws": {"s3Bucket": "prod-assets"}}}}},
        ),
    ]
    return {
        "version": 1,
        "project": "wire",
        "stack": "prod",
        "resources": resources,
        "outputs": {},
        "values": {"wire-server": "values/wire-server.yaml"},
        "warnings": [],
        "secretsToSet": [],
    }


def find(plan: dict[str, Any], name: str, kind: str | None = None) -> dict[str, Any]:
    for item in plan["resources"]:
        if item["name"] == name and (kind is None or item["type"] == kind):
            return item
    raise KeyError(name)


def modified(plan: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(plan)


def allow(action: object, **extra: object) -> str:
    return json.dumps({"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*", **extra}]})


STATIC = {"gundeck": {"secrets": {"awsKeyId": "AKIA", "awsSecretKey": "[secret]"}}, "brig": {"config": {}}}


def names(violations: list[Violation]) -> list[str]:
    return sorted(v.policy for v in violations)
