"""AWS endpoints as the services see them; derived from the region unless an emulator is used (dev)."""

from __future__ import annotations

from components.config.base import Model, Url


class AwsEndpoints(Model):
    """Endpoints the services use; derived from the region unless an emulator is used (dev)."""

    sqs: Url | None = None
    """SQS endpoint the services use."""
    sns: Url | None = None
    """SNS endpoint the services use."""
    ses: Url | None = None
    """SES endpoint brig uses."""
    dynamodb: Url | None = None
    """DynamoDB endpoint brig uses."""
    s3: Url | None = None
    """S3 endpoint cargohold uses."""
