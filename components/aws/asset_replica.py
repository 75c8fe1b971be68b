"""The optional replica of the assets bucket in another region (wire:assets.replication).

S3 replicates every new version and every delete marker of the assets bucket into a bucket of its own in
the replica region, encrypted with a key of that region, through a role that can do nothing else. The
replica runs the bucket's own lifecycle (S3 does not replicate what a lifecycle rule deletes), so a
deleted asset disappears there on the same schedule. Objects that existed before replication was turned
on are not copied by S3 (S3 Batch Replication does that; docs/restore.md).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.asset_rules import lifecycle_rule_specs
from components.aws.bucket_parts import secure_bucket, tls_only_policy
from components.aws.common import child, stateful, tags
from components.aws.recovery_policies import replication_role_policy, service_trust_policy
from components.config import StackConfig

COMPONENT = "cargohold"


class AssetReplica(pulumi.ComponentResource):
    bucket: aws.s3.Bucket
    bucket_name: str
    key: aws.kms.Key

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        source: aws.s3.Bucket,
        source_versioning: pulumi.Resource,
        account_id: pulumi.Input[str],
        replica_provider: aws.Provider,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:AssetReplica", name, None, opts)
        replication = cfg.assets.replication
        region = str(replication.region)
        self.bucket_name = cfg.replica_bucket_name
        there = {"provider": replica_provider}
        self.key = aws.kms.Key(
            self.bucket_name,
            description=f"{self.bucket_name}: encrypts the replicas of {cfg.bucket_name} in {region}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=tags(COMPONENT),
            opts=child(self, **there),
        )
        self.bucket = aws.s3.Bucket(
            self.bucket_name, bucket=self.bucket_name, tags=tags(COMPONENT), opts=stateful(self, cfg, **there)
        )
        parts = secure_bucket(
            self.bucket_name,
            self.bucket.id,
            kms_key_arn=self.key.arn,
            lifecycle=lifecycle_rule_specs(cfg),
            parent=self,
            provider=replica_provider,
        )
        tls_only_policy(self.bucket_name, self.bucket, parts.public_access, parent=self, provider=replica_provider)

        role_name = naming.assets_replication_role(cfg.environment)
        role = aws.iam.Role(
            role_name,
            name=role_name,
            description=f"S3 replicates {cfg.bucket_name} into {self.bucket_name} with this role, and nothing else",
            assume_role_policy=pulumi.Output.from_input(account_id).apply(
                lambda account: json.dumps(service_trust_policy("s3.amazonaws.com", account))
            ),
            tags=tags(COMPONENT),
            opts=child(self),
        )
        source_key = cfg.service_credentials.kms_key_arn
        policy = aws.iam.RolePolicy(
            role_name,
            name=role_name,
            role=role.id,
            policy=pulumi.Output.all(source.arn, self.bucket.arn, self.key.arn).apply(
                lambda arns: json.dumps(
                    replication_role_policy(
                        source_arn=arns[0],
                        replica_arn=arns[1],
                        replica_key_arn=arns[2],
                        replica_region=region,
                        source_key_arn=source_key,
                        source_region=cfg.region,
                    )
                )
            ),
            opts=child(self),
        )
        # S3 replicates an SSE-KMS object only when the rule selects such objects and names the replica's key; an
        # SSE-S3 object's replica stays SSE-S3 (S3 user guide, "How default bucket encryption affects replication"),
        # the replica's key then encrypts what is written there directly (a restore from the replica, a copy).
        criteria, encryption = None, None
        if source_key:
            encrypted = aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs
            criteria = aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs(
                sse_kms_encrypted_objects=encrypted(status="Enabled")
            )
            encryption = aws.s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs(
                replica_kms_key_id=self.key.arn
            )
        aws.s3.BucketReplicationConfig(
            f"{cfg.bucket_name}-replication",
            bucket=source.id,
            role=role.arn,
            rules=[
                aws.s3.BucketReplicationConfigRuleArgs(
                    id="replicate-everything",
                    status="Enabled",
                    # An empty filter makes this a V2 rule: the only kind that can replicate delete markers.
                    filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=""),
                    # A user's deletion reaches the replica too (privacy), where its lifecycle removes the version.
                    delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                        status="Enabled"
                    ),
                    source_selection_criteria=criteria,
                    destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                        bucket=self.bucket.arn,
                        storage_class=replication.storage_class,
                        encryption_configuration=encryption,
                    ),
                )
            ],
            # S3 refuses a replication configuration until both buckets are versioned and the role may act.
            opts=child(self, depends_on=[source_versioning, parts.versioning, policy]),
        )
        self.register_outputs({"bucketName": self.bucket_name, "bucketArn": self.bucket.arn, "region": region})
