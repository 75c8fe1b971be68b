"""Push notifications (gundeck): our own SNS platform applications, Wire's push account, or none."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr, model_validator

from components.config.base import Model, Url, at, fail
from components.config.regions import AwsRegion

_ACCOUNT_RE = re.compile(r"^\d{12}$")


class PushMode(StrEnum):
    CREATE = "create"
    EXTERNAL = "external"
    DISABLED = "disabled"


class PushPlatform(StrEnum):
    APNS = "APNS"
    APNS_SANDBOX = "APNS_SANDBOX"
    APNS_VOIP = "APNS_VOIP"
    APNS_VOIP_SANDBOX = "APNS_VOIP_SANDBOX"
    GCM = "GCM"


class PushApp(Model):
    """One SNS platform application, named `<environment>-<name>` (gundeck's ARN scheme)."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9._]{1,200}$")]
    """iOS bundle id or Android/FCM project id; gundeck splits the application name on '-'."""
    platform: PushPlatform
    """SNS platform of the application."""
    credential: SecretStr | None = None
    """APNS: the private key (or token signing key); GCM: the FCM API key / service-account JSON."""
    principal: SecretStr | None = None
    """APNS certificate (PEM) for certificate-based apps; unused for GCM."""

    @model_validator(mode="after")
    def _check(self) -> PushApp:
        if self.platform == PushPlatform.GCM and self.principal is not None:
            raise ValueError("principal is an APNS certificate; GCM apps take only a credential")
        return self


def _account(value: str) -> str:
    if not _ACCOUNT_RE.match(value):
        raise ValueError(
            f"must be the 12-digit AWS account id Wire sent, got '{value}' (quote it in YAML so leading zeros stay)"
        )
    return value


class ExternalPush(Model):
    """The push account Wire provides under contract (guide: "Enable push notifications ...")."""

    account: Annotated[str, AfterValidator(_account)]
    """AWS account id of Wire's push account (12 digits, kept a string)."""
    region: AwsRegion
    """Region of Wire's push queue."""
    queue_name: str
    """Queue name Wire sent; must start with `<arnEnv>-`."""
    arn_env: str
    """Environment name Wire sent (prefix of the SNS application names)."""
    sns_endpoint: Url
    """SNS endpoint Wire sent."""
    sqs_endpoint: Url
    """SQS endpoint Wire sent."""
    aws_key_id: str
    """Access key id Wire sent."""
    aws_secret_key: SecretStr | None = None
    """Secret access key Wire sent."""

    @model_validator(mode="after")
    def _check(self) -> ExternalPush:
        errors = []
        if not self.queue_name.startswith(f"{self.arn_env}-"):
            errors.append(
                at(
                    "queueName",
                    f"'{self.queue_name}' must start with '{self.arn_env}-': arnEnv must match the environment "
                    "name, the first part of queueName (use the values Wire sent unchanged)",
                )
            )
        if errors:
            fail(*errors)
        return self


class Push(Model):
    mode: PushMode = PushMode.DISABLED
    """`create`: our own SQS/SNS and platform applications; `external`: Wire's push account;
    `disabled`: only the queue gundeck needs to start."""
    apps: list[PushApp] = []
    """SNS platform applications to create (mode `create`)."""
    external: ExternalPush | None = None
    """The values Wire sent (mode `external`)."""

    @model_validator(mode="after")
    def _check(self) -> Push:
        problems = []
        if self.mode == PushMode.EXTERNAL and self.external is None:
            problems.append(
                at(
                    "external",
                    "is required with mode 'external': the values Wire sent (account, region, queueName, arnEnv, "
                    "snsEndpoint, sqsEndpoint, awsKeyId and the secret awsSecretKey)",
                )
            )
        if self.mode != PushMode.EXTERNAL and self.external is not None:
            problems.append(
                at("external", f"is only read in mode 'external' (mode is '{self.mode}'); remove it or set the mode")
            )
        if self.mode != PushMode.CREATE and self.apps:
            problems.append(
                at("apps", f"are only created in mode 'create' (mode is '{self.mode}'); remove them or set the mode")
            )
        seen: set[tuple[str, str]] = set()
        for index, app in enumerate(self.apps):
            key = (app.name, str(app.platform))
            if key in seen:
                problems.append(at(f"apps[{index}]", f"'{app.name}' for platform {app.platform} is listed twice"))
            seen.add(key)
        if problems:
            fail(*problems)
        return self
