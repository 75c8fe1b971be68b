"""CloudWatch alarms on what fails silently on AWS (day two): dead letters, queues falling behind, SES
reputation and push delivery failures, sent to one SNS topic."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from components.config.base import EmailAddress, Model

# SES puts an account under review at these rates (and may pause sending above 10 % / 0.5 %): an alarm
# must fire before SES acts, so the thresholds are kept strictly below them.
SES_REVIEW_BOUNCE_RATE = 0.05
SES_REVIEW_COMPLAINT_RATE = 0.001
# SQS keeps a message at most 14 days; an age threshold beyond that could never be reached.
MAX_MESSAGE_AGE_SECONDS = 14 * 24 * 3600


class Alarms(Model):
    enabled: bool = True
    """CloudWatch alarms on every dead-letter queue, the service queues' backlog, SES reputation and push failures."""
    email: EmailAddress | None = None
    """Address subscribed to the alarm topic (SNS sends a confirmation mail first); none when unset."""
    period_seconds: Annotated[int, Field(ge=60, le=86400, multiple_of=60)] = 300
    """Evaluation period of the queue and push alarms (a multiple of 60 s)."""
    oldest_message_age_seconds: Annotated[int, Field(ge=60, lt=MAX_MESSAGE_AGE_SECONDS)] = 600
    """Alarm when the oldest message on a queue brig or gundeck consumes is older than this: the service
    is not keeping up (or not running)."""
    ses_bounce_rate: Annotated[float, Field(gt=0, lt=SES_REVIEW_BOUNCE_RATE)] = 0.04
    """SES mode: alarm at this account bounce rate (SES reviews the account at 5 %)."""
    ses_complaint_rate: Annotated[float, Field(gt=0, lt=SES_REVIEW_COMPLAINT_RATE)] = 0.0008
    """SES mode: alarm at this account complaint rate (SES reviews the account at 0.1 %)."""
    push_delivery_failures: Annotated[int, Field(gt=0, le=1_000_000)] = 10
    """Push mode `create`: alarm when a platform application fails this many deliveries in one period."""
