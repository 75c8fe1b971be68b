"""CloudWatch alarms on what fails silently, and the SNS topic they notify (issue: day two)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.aws.alarm_specs import AlarmSpec, alarm_topic
from components.aws.common import child, tags
from components.aws.datastore_alarms import ACCOUNT_DIMENSION, stack_alarm_specs
from components.config import StackConfig

COMPONENT = "alarms"


class Alarms(pulumi.ComponentResource):
    """One alarm per `stack_alarm_specs(cfg)`, each notifying `topic` when it fires and when it clears."""

    topic: aws.sns.Topic
    alarms: dict[str, aws.cloudwatch.MetricAlarm]
    topic_arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        topic_key: pulumi.Input[str] | None,
        account_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`topic_key` encrypts the topic: a key CloudWatch may use (keys.py; alias/aws/sns cannot serve)."""
        super().__init__("wire:aws:Alarms", name, None, opts)
        if topic_key is None:
            raise ValueError("CloudWatch publishes the alarms: the alarm topic needs a key CloudWatch may use")
        topic_name = alarm_topic(cfg.environment)
        self.topic = aws.sns.Topic(
            topic_name,
            name=topic_name,
            kms_master_key_id=topic_key,
            tags=tags(COMPONENT),
            opts=child(self),
        )
        self.topic_arn = self.topic.arn
        if cfg.alarms.email:
            # SNS mails a confirmation link first; until it is followed the subscription stays pending.
            aws.sns.TopicSubscription(
                f"{topic_name}-email",
                topic=self.topic.arn,
                protocol="email",
                endpoint=cfg.alarms.email,
                opts=child(self),
            )
        self._account_id = account_id
        specs = stack_alarm_specs(cfg)
        self.alarms = {spec.name: self._alarm(spec) for spec in specs}
        self.register_outputs({"topicArn": self.topic_arn, "alarmNames": sorted(self.alarms)})

    def _alarm(self, spec: AlarmSpec) -> aws.cloudwatch.MetricAlarm:
        return aws.cloudwatch.MetricAlarm(
            spec.name,
            name=spec.name,
            alarm_description=spec.description,
            namespace=spec.namespace,
            metric_name=spec.metric,
            dimensions=self._dimensions(spec),
            statistic=spec.statistic,
            period=spec.period_seconds,
            evaluation_periods=1,
            threshold=spec.threshold,
            comparison_operator=spec.comparison,
            treat_missing_data=spec.treat_missing_data,
            alarm_actions=[self.topic.arn],
            ok_actions=[self.topic.arn],
            tags=tags(COMPONENT),
            opts=child(self),
        )

    def _dimensions(self, spec: AlarmSpec) -> dict[str, pulumi.Input[str]] | None:
        """The spec's dimensions, the account id put in where a metric carries it (OpenSearch's ClientId)."""
        if not spec.dimensions:
            return None
        if self._account_id is None and ACCOUNT_DIMENSION in spec.dimensions.values():
            raise ValueError(f"alarm {spec.name} needs the account id")
        return {
            key: (self._account_id if value == ACCOUNT_DIMENSION else value)  # type: ignore[misc]
            for key, value in spec.dimensions.items()
        }
