"""Which CloudWatch alarms a stack gets, as plain data (no Pulumi here): names, metrics and thresholds.

Every alarm watches a metric AWS publishes by itself, addressed by names derived from the configuration
(components/naming.py), so the alarms never wait for the resources they watch.
"""

from __future__ import annotations

from dataclasses import dataclass

from components import naming
from components.config import EmailMode, PushMode, StackConfig

# SES computes its reputation rates over a long window and publishes them about hourly.
SES_PERIOD_SECONDS = 3600


def alarm_topic(env: str) -> str:
    """The SNS topic every alarm notifies."""
    return f"{env}-wire-alarms"


@dataclass(frozen=True)
class AlarmSpec:
    name: str
    description: str
    namespace: str
    metric: str
    dimensions: dict[str, str]
    statistic: str
    period_seconds: int
    threshold: float

    # Every alarm here fires at or above its threshold; no data (an idle queue, no mail sent) is fine.
    comparison: str = "GreaterThanOrEqualToThreshold"
    treat_missing_data: str = "notBreaching"


def consumed_queues(cfg: StackConfig) -> list[str]:
    """The queues a Wire service reads from (a backlog there means the service is not keeping up).

    The FIFO journals are read by tools outside Wire, if at all, so their age says nothing about Wire.
    """
    env = cfg.environment
    queues = [naming.brig_internal_queue(env)]
    if cfg.push.mode != PushMode.EXTERNAL:
        queues.append(naming.gundeck_queue(env))
    if cfg.email.mode == EmailMode.SES:
        queues.append(naming.brig_email_queue(env))
    return queues


def alarm_specs(cfg: StackConfig) -> list[AlarmSpec]:
    """The alarms of this configuration, in a fixed order (none when alarms are disabled)."""
    settings = cfg.alarms
    if not settings.enabled:
        return []
    env, period = cfg.environment, settings.period_seconds
    specs = []
    for queue in naming.queues(cfg):
        dead_letters = naming.dead_letter_queue(queue)
        specs.append(
            AlarmSpec(
                name=f"{dead_letters}-messages",
                description=f"Messages in {dead_letters}: {queue} could not be processed; inspect, then redrive.",
                namespace="AWS/SQS",
                metric="ApproximateNumberOfMessagesVisible",
                dimensions={"QueueName": dead_letters},
                statistic="Maximum",
                period_seconds=period,
                threshold=1,
            )
        )
    for queue in consumed_queues(cfg):
        specs.append(
            AlarmSpec(
                name=f"{queue}-oldest-message",
                description=(
                    f"The oldest message on {queue} is older than {settings.oldest_message_age_seconds} s: "
                    "its consumer is not keeping up or not running."
                ),
                namespace="AWS/SQS",
                metric="ApproximateAgeOfOldestMessage",
                dimensions={"QueueName": queue},
                statistic="Maximum",
                period_seconds=period,
                threshold=settings.oldest_message_age_seconds,
            )
        )
    if cfg.email.mode == EmailMode.SES:
        for rate, metric, threshold in (
            ("bounce", "Reputation.BounceRate", settings.ses_bounce_rate),
            ("complaint", "Reputation.ComplaintRate", settings.ses_complaint_rate),
        ):
            specs.append(
                AlarmSpec(
                    name=f"{env}-ses-{rate}-rate",
                    description=(
                        f"The account's SES {rate} rate reached {threshold:.2%}: SES reviews (and may pause) "
                        "sending above its own threshold."
                    ),
                    namespace="AWS/SES",
                    metric=metric,
                    dimensions={},
                    statistic="Maximum",
                    period_seconds=SES_PERIOD_SECONDS,
                    threshold=threshold,
                )
            )
    if cfg.push.mode == PushMode.CREATE:
        for app in cfg.push.apps:
            application = naming.platform_application(cfg.arn_env, app.name)
            platform = str(app.platform)
            specs.append(
                AlarmSpec(
                    name=f"{application}-{platform.lower()}-push-failures",
                    description=(
                        f"SNS failed {settings.push_delivery_failures} or more deliveries of {application} "
                        f"({platform}) in {period} s: check the push credentials and the platform's feedback."
                    ),
                    namespace="AWS/SNS",
                    metric="NumberOfNotificationsFailed",
                    dimensions={"Application": application, "Platform": platform},
                    statistic="Sum",
                    period_seconds=period,
                    threshold=settings.push_delivery_failures,
                )
            )
    return specs
