"""Recovery from mistakes: the versioned assets bucket and its expiry, the replica in another region, AWS Backup."""

from __future__ import annotations

from typing import Any

from plan.registrations import Registration
from tests.components.aws.aws_support import ACCOUNT, CMK, REGION, config, dev_config, doc, evaluate

BUCKET = "prod-example-com-wire-assets"
REPLICA = f"{BUCKET}-replica"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
REPLICATION = {"replication": {"enabled": True, "region": "eu-west-1"}}


def by_name(evaluation: Any, type_: str) -> dict[str, Registration]:
    return {r.name: r for r in evaluation.resources if r.type == type_}


def noncurrent_rule(lifecycle: Registration) -> dict[str, Any]:
    return next(rule for rule in lifecycle.inputs["rules"] if rule["id"] == "noncurrent-versions")


def test_the_bucket_is_versioned_and_noncurrent_versions_expire_after_30_days_in_production() -> None:
    evaluation = evaluate(config())
    versioning = evaluation.one(VERSIONING)
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    lifecycle = evaluation.one(LIFECYCLE)
    assert noncurrent_rule(lifecycle) == {
        "id": "noncurrent-versions",
        "status": "Enabled",
        "filter": {},
        "expiration": {"expiredObjectDeleteMarker": True},
        "noncurrentVersionExpiration": {"noncurrentDays": 30},
    }
    # The rule means what it says only once the bucket is versioned.
    assert versioning.urn in lifecycle.dependencies


def test_other_stacks_keep_versions_a_week_and_the_operator_chooses() -> None:
    assert noncurrent_rule(evaluate(dev_config()).one(LIFECYCLE))["noncurrentVersionExpiration"] == {
        "noncurrentDays": 7
    }
    chosen = evaluate(config(assets={"versions": {"noncurrentDays": 90}}))
    assert noncurrent_rule(chosen.one(LIFECYCLE))["noncurrentVersionExpiration"] == {"noncurrentDays": 90}


def test_no_replica_and_no_backup_unless_asked() -> None:
    evaluation = evaluate(config())
    assert not [r for r in evaluation.resources if r.type.startswith(("aws:backup/", "aws:s3/bucketReplication"))]
    assert [r.name for r in evaluation.resources if r.type == "pulumi:providers:aws"] == ["aws"]


def test_the_replica_lives_in_its_region_under_its_own_key_with_the_same_protections() -> None:
    evaluation = evaluate(config(assets=REPLICATION))
    providers = by_name(evaluation, "pulumi:providers:aws")
    assert providers["aws-replica"].inputs["region"] == "eu-west-1" and providers["aws"].inputs["region"] == REGION
    replica_provider = providers["aws-replica"].urn
    bucket = by_name(evaluation, "aws:s3/bucket:Bucket")[REPLICA]
    assert bucket.protect and bucket.retain_on_delete
    key = by_name(evaluation, "aws:kms/key:Key")[REPLICA]
    assert key.inputs["enableKeyRotation"] is True
    replica_parts = [
        r for r in evaluation.resources if r.custom and (r.name == REPLICA or r.name.startswith(f"{REPLICA}-"))
    ]
    assert {r.type.rsplit(":", 1)[1] for r in replica_parts} == {
        "Bucket",
        "Key",
        "BucketOwnershipControls",
        "BucketPublicAccessBlock",
        "BucketServerSideEncryptionConfiguration",
        "BucketVersioning",
        "BucketLifecycleConfiguration",
        "BucketPolicy",
    }
    assert all((r.provider or "").startswith(replica_provider) for r in replica_parts), [r.name for r in replica_parts]
    (rule,) = by_name(
        evaluation, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )[f"{REPLICA}-encryption"].inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    # A user's deletion ends in the replica on the same schedule: the same lifecycle rules.
    lifecycles = by_name(evaluation, LIFECYCLE)
    assert lifecycles[f"{REPLICA}-lifecycle"].inputs["rules"] == lifecycles[f"{BUCKET}-lifecycle"].inputs["rules"]
    assert [
        s["Sid"] for s in doc(by_name(evaluation, "aws:s3/bucketPolicy:BucketPolicy")[f"{REPLICA}-policy"])["Statement"]
    ] == ["DenyInsecureTransport"]


def test_replication_carries_deletions_through_a_role_that_can_only_replicate() -> None:
    evaluation = evaluate(config(assets=REPLICATION))
    replication = evaluation.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    (rule,) = replication.inputs["rules"]
    assert rule["status"] == "Enabled" and rule["deleteMarkerReplication"] == {"status": "Enabled"}
    assert rule["destination"]["bucket"] == f"arn:aws:s3:::{REPLICA}"
    assert rule["destination"]["storageClass"] == "STANDARD"
    # The bucket's objects are SSE-S3 without a customer key: S3 keeps their replicas SSE-S3.
    assert "sourceSelectionCriteria" not in rule and "encryptionConfiguration" not in rule["destination"]
    versionings = {r.urn for r in evaluation.resources if r.type == VERSIONING}
    assert versionings <= set(replication.dependencies)
    role = by_name(evaluation, "aws:iam/role:Role")["prod-assets-replication"]
    trust = doc(role, "assumeRolePolicy")["Statement"][0]
    assert trust["Principal"] == {"Service": "s3.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    policy = doc(by_name(evaluation, "aws:iam/rolePolicy:RolePolicy")["prod-assets-replication"])
    grants = {s["Sid"]: (s["Action"], s["Resource"]) for s in policy["Statement"]}
    assert grants["ReadReplicationConfiguration"] == (
        ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        [f"arn:aws:s3:::{BUCKET}"],
    )
    assert grants["WriteReplicas"] == (
        ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
        [f"arn:aws:s3:::{REPLICA}/*"],
    )
    # SSE-S3 objects: no key to use.
    assert set(grants) == {"ReadReplicationConfiguration", "ReadSourceVersions", "WriteReplicas"}


def test_with_a_customer_key_the_encrypted_versions_are_replicated_and_decrypted_through_s3_only() -> None:
    cfg = config(assets=REPLICATION, serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK})
    evaluation = evaluate(cfg)
    (rule,) = evaluation.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs["rules"]
    assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
    replica_key = by_name(evaluation, "aws:kms/key:Key")[REPLICA]
    assert rule["destination"]["encryptionConfiguration"] == {"replicaKmsKeyId": replica_key.outputs["arn"]}
    policy = doc(by_name(evaluation, "aws:iam/rolePolicy:RolePolicy")["prod-assets-replication"])
    encrypt = next(s for s in policy["Statement"] if s["Sid"] == "EncryptReplicas")
    assert encrypt["Condition"]["StringEquals"] == {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}
    assert encrypt["Resource"] == [replica_key.outputs["arn"]]
    decrypt = next(s for s in policy["Statement"] if s["Sid"] == "DecryptSourceVersions")
    assert decrypt["Resource"] == [CMK]
    assert decrypt["Condition"]["StringEquals"] == {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}


def test_aws_backup_covers_the_bucket_the_table_and_keeps_backups_as_configured() -> None:
    cfg = config(features={"prekeyTable": True}, backup={"enabled": True, "retentionDays": 90})
    evaluation = evaluate(cfg)
    vault = evaluation.one("aws:backup/vault:Vault")
    assert vault.protect and vault.inputs["name"] == "prod-wire-backup"
    key = by_name(evaluation, "aws:kms/key:Key")["prod-wire-backup"]
    assert key.inputs["enableKeyRotation"] is True
    (rule,) = evaluation.one("aws:backup/plan:Plan").inputs["rules"]
    assert rule["lifecycle"] == {"deleteAfter": 90} and rule["schedule"] == "cron(0 3 * * ? *)"
    selection = evaluation.one("aws:backup/selection:Selection")
    assert selection.inputs["resources"] == [
        f"arn:aws:s3:::{BUCKET}",
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/prod-brig-prekeys",
    ]
    attachments = [r for r in evaluation.resources if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"]
    assert sorted(a.inputs["policyArn"].rsplit("/", 1)[1] for a in attachments) == [
        "AWSBackupServiceRolePolicyForBackup",
        "AWSBackupServiceRolePolicyForRestores",
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
    ]
    assert {a.urn for a in attachments} <= set(selection.dependencies)
    trust = doc(by_name(evaluation, "aws:iam/role:Role")["prod-wire-backup"], "assumeRolePolicy")["Statement"][0]
    assert trust["Principal"] == {"Service": "backup.amazonaws.com"}
