"""The checks of the live resources, one module per AWS service, one small function per resource.

Each check returns `Result`s and never raises on AWS errors. This package re-exports the checks `verify.run` calls.
"""

from verify.checks.datastores import datastores
from verify.checks.dynamodb import table
from verify.checks.route53 import dns
from verify.checks.s3 import bucket, name_bucket_denial, tls_only_over_http
from verify.checks.ses import ses
from verify.checks.sns import platform_application, subscription
from verify.checks.sqs import queue, queue_publisher

__all__ = [
    "bucket",
    "datastores",
    "dns",
    "name_bucket_denial",
    "platform_application",
    "queue",
    "queue_publisher",
    "ses",
    "subscription",
    "table",
    "tls_only_over_http",
]
