"""Which verify check covers each AWS resource kind the program creates, or why that kind needs none.

tests/verify/test_verify_coverage.py reads every AWS type of the offline plans (tests/plan/golden/<stack>/plan.json)
and fails for a type that is in neither table. For a new kind of resource:

- write the check in verify/checks/<service>.py (expected state from the same pure function the component
  uses, see verify/expected_resources.py), export it in verify/checks/__init__.py, call it from verify/run.py,
  and add the type here with the check's name; or
- if nothing Wire or the stack relies on can drift there, add one line to NO_CHECK saying why.
"""

from __future__ import annotations

# AWS type -> the checks (names exported by verify.checks) that look at what the stack relies on in it.
CHECKED: dict[str, tuple[str, ...]] = {
    # `recovery` (verify/checks/recovery.py) runs the bucket's versioning check, its replication into the replica
    # (and the replica's versioning), and the AWS Backup vault, plan and selection, as the configuration asks.
    # The managed stores (verify/checks/datastores.py): `datastores` runs each store's security group check
    # (only the client groups, on the store's ports) and its describe-and-compare (subnets, TLS parameter group).
    "aws:cloudfront/distribution:Distribution": ("distribution",),
    "aws:cloudfront/keyGroup:KeyGroup": ("distribution",),
    "aws:cloudfront/originAccessControl:OriginAccessControl": ("distribution",),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": ("distribution",),
    "aws:backup/plan:Plan": ("recovery",),
    "aws:backup/selection:Selection": ("recovery",),
    "aws:backup/vault:Vault": ("recovery",),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("alarms",),
    "aws:dynamodb/table:Table": ("table",),
    "aws:ec2/securityGroup:SecurityGroup": ("datastores",),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("datastores",),
    "aws:elasticache/subnetGroup:SubnetGroup": ("datastores",),
    "aws:iam/accessKey:AccessKey": ("identity",),
    "aws:iam/role:Role": ("identity",),
    "aws:iam/rolePolicy:RolePolicy": ("identity",),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("recovery",),
    "aws:iam/user:User": ("identity",),
    "aws:iam/userPolicy:UserPolicy": ("identity",),
    "aws:kms/key:Key": ("topic_key",),
    "aws:mq/broker:Broker": ("datastores",),
    "aws:opensearch/domain:Domain": ("datastores",),
    "aws:rds/instance:Instance": ("datastores",),
    "aws:rds/parameterGroup:ParameterGroup": ("datastores",),
    "aws:rds/subnetGroup:SubnetGroup": ("datastores",),
    "aws:route53/record:Record": ("dns",),
    "aws:s3/bucket:Bucket": ("bucket",),
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": ("cors",),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("lifecycle",),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("ownership",),
    "aws:s3/bucketPolicy:BucketPolicy": ("tls_only_policy",),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("bucket",),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": ("recovery",),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ("bucket",),
    "aws:s3/bucketVersioning:BucketVersioning": ("recovery",),
    "aws:ses/identityNotificationTopic:IdentityNotificationTopic": ("ses",),
    "aws:sesv2/configurationSet:ConfigurationSet": ("configuration_set",),
    "aws:sesv2/emailIdentity:EmailIdentity": ("ses", "dkim_tokens"),
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": ("mail_from",),
    "aws:sns/platformApplication:PlatformApplication": ("platform_application",),
    "aws:sns/topic:Topic": ("subscription", "alarms", "topic_key"),
    "aws:sns/topicSubscription:TopicSubscription": ("subscription", "alarms"),
    "aws:sqs/queue:Queue": ("queue",),
    "aws:sqs/queuePolicy:QueuePolicy": ("queue_publisher",),
}

# AWS type -> why verify needs no check of it. One line each: "needs no check because ...".
NO_CHECK: dict[str, str] = {
    "aws:sesv2/emailIdentityFeedbackAttributes:EmailIdentityFeedbackAttributes": (
        "needs no check because it only turns off SES's copy of each bounce mailed to the sender; brig's feedback "
        "comes through the notification topics, which `ses` and `subscription` check"
    ),
}


# Kubernetes type -> the checks that look at it on the live cluster (`python -m verify --in-cluster`): the
# NetworkPolicies' default-deny and, with it, what is public (verify/checks/exposure.py).
KUBERNETES_CHECKED: dict[str, tuple[str, ...]] = {
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": ("exposure",),
}
# Not a resource of the plan but the cluster it deploys to: its API endpoint (eks:DescribeCluster).
CLUSTER_CHECKS = ("cluster_endpoint",)


def coverage_of(aws_type: str) -> tuple[str, ...] | str | None:
    """The checks of a type, the reason it needs none, or None when it is not covered."""
    return CHECKED.get(aws_type) or NO_CHECK.get(aws_type)
