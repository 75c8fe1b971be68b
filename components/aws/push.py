"""gundeck's push notifications: the event queue, the SNS endpoint-event topic and platform applications."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.common import adopted, child, secret_input, tags
from components.aws.queues import EncryptedQueue
from components.config import PushMode, StackConfig
from components.config.push import PushAuth
from components.outputs import AccessKey, PushOutputs

COMPONENT = "gundeck"
# The AWS-managed SNS key: enough for a topic no AWS service publishes to.
SNS_MANAGED_KEY = "alias/aws/sns"


class PushNotifications(pulumi.ComponentResource):
    """Modes: `create` (queue, topic, apps), `disabled` (queue only: gundeck will not start without one),
    `external` (nothing: the values Wire sent are passed through)."""

    account_id: pulumi.Output[str]
    region: str
    arn_env: str
    queue_name: str
    sqs_endpoint: str
    sns_endpoint: str
    queue: EncryptedQueue | None
    topic: aws.sns.Topic | None
    # "<PLATFORM>/<app name>" -> platform application; the same app name may exist for several platforms.
    applications: dict[str, aws.sns.PlatformApplication]
    platform_application_arns: dict[str, pulumi.Output[str]]
    # Wire's key for its push account (external mode only).
    external_key: AccessKey | None

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        account_id: pulumi.Output[str],
        topic_key: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`topic_key` encrypts the endpoint-event topic (mode `create`): a key SNS may use (keys.py).

        Without platform applications nothing publishes to the topic, and `alias/aws/sns` serves.
        """
        super().__init__("wire:aws:PushNotifications", name, None, opts)
        env = cfg.environment
        self.queue = None
        self.topic = None
        self.applications = {}
        self.external_key = None

        external = cfg.push.external if cfg.push.mode == PushMode.EXTERNAL else None
        if external is not None:
            self.account_id = pulumi.Output.from_input(external.account)
            self.region = external.region
            self.arn_env = external.arn_env
            self.queue_name = external.queue_name
            self.sqs_endpoint = external.sqs_endpoint
            self.sns_endpoint = external.sns_endpoint
            if external.aws_secret_key is not None:
                self.external_key = AccessKey(key_id=external.aws_key_id, secret=external.aws_secret_key)
        else:
            self.account_id = account_id
            self.region = cfg.region
            self.arn_env = cfg.arn_env
            self.queue_name = naming.gundeck_queue(env)
            self.sqs_endpoint = cfg.endpoint("sqs")
            self.sns_endpoint = cfg.endpoint("sns")
            self.queue = EncryptedQueue(self.queue_name, cfg, component=COMPONENT, role="gundeck", opts=child(self))

        if cfg.push.mode == PushMode.CREATE:
            assert self.queue is not None
            if topic_key is None and cfg.push.apps:
                raise ValueError("push apps publish endpoint events: the topic needs a key SNS may use")
            topic_name = naming.push_events_topic(env)
            topic_args: dict[str, Any] = dict(
                name=topic_name,
                kms_master_key_id=topic_key if topic_key is not None else SNS_MANAGED_KEY,
                tags=tags(COMPONENT),
            )
            self.topic = aws.sns.Topic(
                topic_name, **topic_args, opts=child(self, **adopted(cfg, "pushTopic", topic_args))
            )
            self.queue.subscribe_raw(self.topic)
            for app in cfg.push.apps:
                app_name = naming.platform_application(self.arn_env, app.name)
                platform = str(app.platform)
                self.applications[f"{platform}/{app.name}"] = aws.sns.PlatformApplication(
                    f"{app_name}-{platform.lower()}",
                    name=app_name,
                    platform=platform,
                    platform_credential=secret_input(app.credential),
                    # certificate: the TLS certificate; token: the signing key's id (not a secret).
                    platform_principal=secret_input(app.principal) if app.auth == PushAuth.CERTIFICATE else app.key_id,
                    apple_platform_team_id=app.team_id,
                    apple_platform_bundle_id=app.apple_bundle_id,
                    # gundeck handles EndpointCreated/Updated/Deleted and DeliveryFailure events.
                    event_endpoint_created_topic_arn=self.topic.arn,
                    event_endpoint_deleted_topic_arn=self.topic.arn,
                    event_endpoint_updated_topic_arn=self.topic.arn,
                    event_delivery_failure_topic_arn=self.topic.arn,
                    opts=child(self),
                )

        self.platform_application_arns = {key: app.arn for key, app in self.applications.items()}
        self.register_outputs(
            {
                "accountId": self.account_id,
                "region": self.region,
                "arnEnv": self.arn_env,
                "queueName": self.queue_name,
                "queueUrl": self.queue.url if self.queue else None,
                "topicArn": self.topic.arn if self.topic else None,
                "platformApplicationArns": self.platform_application_arns,
                "sqsEndpoint": self.sqs_endpoint,
                "snsEndpoint": self.sns_endpoint,
            }
        )

    def record(self) -> pulumi.Output[PushOutputs]:
        return self.account_id.apply(
            lambda account: PushOutputs(
                account=account,
                region=self.region,
                arn_env=self.arn_env,
                queue_name=self.queue_name,
                sqs_endpoint=self.sqs_endpoint,
                sns_endpoint=self.sns_endpoint,
            )
        )
