"""CloudWatch alarms on what fails silently, and the SNS topic they notify (issue: day two)."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.aws import policies
from components.aws.alarm_specs import AlarmSpec, alarm_specs
from components.aws.common import child, tags
from components.config import StackConfig

COMPONENT = "alarms"


def alarm_topic(env: str) -> str:
    return f"{env}-wire-alarms"


class Alarms(pulumi.ComponentResource):
    """One alarm per `alarm_specs(cfg)`, each notifying `topic` when it fires and when it clears."""

    topic: aws.sns.Topic
    # The topic's own key when no CMK is configured (CloudWatch cannot use alias/aws/sns).
    topic_key: aws.kms.Key | None
    alarms: dict[str, aws.cloudwatch.MetricAlarm]
    topic_arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        account_id: pulumi.Output[str],
        partition: pulumi.Output[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:Alarms", name, None, opts)
        topic_name = alarm_topic(cfg.environment)
        cmk = cfg.service_credentials.kms_key_arn
        self.topic_key = None
        if cmk is None:
            self.topic_key = aws.kms.Key(
                topic_name,
                description=f"{topic_name}: CloudWatch alarm notifications",
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=pulumi.Output.all(account_id, partition).apply(
                    lambda args: json.dumps(
                        policies.alarm_topic_key_policy(account_id=args[0], partition=args[1], region=cfg.region)
                    )
                ),
                tags=tags(COMPONENT),
                opts=child(self),
            )
        self.topic = aws.sns.Topic(
            topic_name,
            name=topic_name,
            kms_master_key_id=self.topic_key.arn if self.topic_key else cmk,
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
        self.alarms = {spec.name: self._alarm(spec) for spec in alarm_specs(cfg)}
        self.register_outputs({"topicArn": self.topic_arn, "alarmNames": sorted(self.alarms)})

    def _alarm(self, spec: AlarmSpec) -> aws.cloudwatch.MetricAlarm:
        return aws.cloudwatch.MetricAlarm(
            spec.name,
            name=spec.name,
            alarm_description=spec.description,
            namespace=spec.namespace,
            metric_name=spec.metric,
            dimensions=spec.dimensions or None,
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
