"""The IAM documents of recovery, as pure functions (no Pulumi here): the trust and the policy of S3's
replication role. AWS Backup's own role takes AWS's managed service policies (`BACKUP_MANAGED_POLICIES`).
"""

from __future__ import annotations

from components.aws.policies import Document, Statement, allow, document

# AWS Backup's service-role policies, maintained by AWS for exactly the calls a backup or a restore makes
# (AWS Backup developer guide, "Managed policies for AWS Backup"); S3 has its own pair.
BACKUP_MANAGED_POLICIES = (
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)


def service_trust_policy(service: str, account_id: str) -> Document:
    """Only `service` (e.g. s3.amazonaws.com) may assume the role, and only on behalf of this account."""
    return document(
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ]
    )


def replication_role_policy(
    *,
    source_arn: str,
    replica_arn: str,
    replica_key_arn: str,
    replica_region: str,
    source_key_arn: str | None = None,
    source_region: str | None = None,
) -> Document:
    """What S3 needs to replicate the assets bucket into the replica (S3 user guide, "Setting up permissions
    for live replication"): read the source's versions, write replicas and deletions, and (SSE-KMS objects) the
    two keys only through S3 of their region and only for objects of their bucket."""
    statements: list[Statement] = [
        allow("ReadReplicationConfiguration", ["s3:GetReplicationConfiguration", "s3:ListBucket"], [source_arn]),
        allow(
            "ReadSourceVersions",
            ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            [f"{source_arn}/*"],
        ),
        allow("WriteReplicas", ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], [f"{replica_arn}/*"]),
    ]
    if source_key_arn:
        # Only SSE-KMS objects need the keys: S3 decrypts them with the bucket's key and encrypts their replicas with
        # the replica's (an SSE-S3 object's replica stays SSE-S3).
        statements.append(
            allow(
                "EncryptReplicas",
                ["kms:Encrypt", "kms:GenerateDataKey"],
                [replica_key_arn],
                {
                    "StringEquals": {"kms:ViaService": f"s3.{replica_region}.amazonaws.com"},
                    "StringLike": {"kms:EncryptionContext:aws:s3:arn": [f"{replica_arn}/*"]},
                },
            )
        )
        statements.append(
            allow(
                "DecryptSourceVersions",
                ["kms:Decrypt"],
                [source_key_arn],
                {
                    "StringEquals": {"kms:ViaService": f"s3.{source_region}.amazonaws.com"},
                    "StringLike": {"kms:EncryptionContext:aws:s3:arn": [f"{source_arn}/*"]},
                },
            )
        )
    return document(statements)
