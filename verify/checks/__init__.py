"""The checks of the live resources, one module per AWS service, one small function per resource.

Each check returns `Result`s and never raises on AWS errors. This package re-exports the checks `verify.run` calls.
"""

from verify.checks.cloudfront import distribution
from verify.checks.cloudwatch import alarms
from verify.checks.datastores import datastores
from verify.checks.dynamodb import table
from verify.checks.exposure import cluster_endpoint, exposure
from verify.checks.iam import identity
from verify.checks.kms import topic_key
from verify.checks.recovery import backup, recovery, replication, versioning
from verify.checks.route53 import dns
from verify.checks.s3 import bucket, name_bucket_denial, tls_only_over_http
from verify.checks.s3_rules import cors, lifecycle, ownership, tls_only_policy
from verify.checks.ses import configuration_set, dkim_tokens, mail_from, ses
from verify.checks.sns import platform_application, subscription
from verify.checks.sqs import queue, queue_publisher

__all__ = [
    "alarms",
    "backup",
    "bucket",
    "cluster_endpoint",
    "configuration_set",
    "cors",
    "datastores",
    "distribution",
    "dkim_tokens",
    "dns",
    "exposure",
    "identity",
    "lifecycle",
    "mail_from",
    "name_bucket_denial",
    "ownership",
    "platform_application",
    "queue",
    "queue_publisher",
    "recovery",
    "replication",
    "ses",
    "subscription",
    "table",
    "tls_only_over_http",
    "tls_only_policy",
    "topic_key",
    "versioning",
]
