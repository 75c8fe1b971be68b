"""Push notifications (gundeck): our own SNS platform applications, Wire's push account, or none."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr, model_validator

from components.config.base import PLACEHOLDER, Model, Url, at, fail
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


class PushAuth(StrEnum):
    CERTIFICATE = "certificate"
    TOKEN = "token"


_APPLE_ID_RE = re.compile(r"^[A-Z0-9]{10}$")
_BUNDLE_ID_RE = re.compile(r"^[A-Za-z0-9.-]{1,155}$")
_SET_SECRET = "pulumi config set --secret --path 'wire:push.apps[<index>].{field}' < {source}"


class PushApp(Model):
    """One SNS platform application, named `<environment>-<name>` (gundeck's ARN scheme).

    Authentication as Apple and Google define it: APNS platforms take a TLS certificate with its private
    key (`certificate`) or a .p8 signing key with its key id, team id and bundle id (`token`, Apple's
    recommendation: it does not expire); GCM (FCM HTTP v1) takes the Firebase service-account JSON.
    """

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9._]{1,200}$")]
    """iOS bundle id or Android/FCM project id; gundeck splits the application name on '-'."""
    platform: PushPlatform
    """SNS platform of the application."""
    auth: PushAuth = PushAuth.CERTIFICATE
    """`certificate` or `token` (APNS platforms; default `certificate`); GCM is always `token`."""
    credential: SecretStr | None = None
    """certificate: the certificate's private key (PEM); token: the APNs signing key (.p8); GCM: the
    Firebase service-account JSON (FCM HTTP v1)."""
    principal: SecretStr | None = None
    """certificate only: the APNs TLS certificate (PEM)."""
    key_id: str | None = None
    """token only: the 10-character Key ID of the APNs signing key."""
    team_id: str | None = None
    """token only: the 10-character Apple Developer Team ID."""
    bundle_id: str | None = None
    """token only: the app's bundle id (default: `name`)."""

    @model_validator(mode="before")
    @classmethod
    def _gcm_is_token(cls, data: object) -> object:
        # FCM's legacy server keys stopped working in 2024: GCM apps authenticate with a token only.
        if isinstance(data, dict) and data.get("platform") == PushPlatform.GCM and "auth" not in data:
            return {**data, "auth": PushAuth.TOKEN}
        return data

    @model_validator(mode="after")
    def _check(self) -> PushApp:
        errors = self._gcm_errors() if self.platform == PushPlatform.GCM else self._apns_errors()
        if errors:
            raise ValueError("\n".join(errors))
        return self

    @property
    def apple_bundle_id(self) -> str | None:
        """ApplePlatformBundleID of a token-authenticated APNS app."""
        return (self.bundle_id or self.name) if self._apns_token else None

    @property
    def secret_fields(self) -> list[str]:
        """The secret fields this app needs set (camelCase)."""
        return ["credential", "principal"] if self.auth == PushAuth.CERTIFICATE else ["credential"]

    @property
    def _apns_token(self) -> bool:
        return self.platform != PushPlatform.GCM and self.auth == PushAuth.TOKEN

    def _gcm_errors(self) -> list[str]:
        errors = []
        if self.auth != PushAuth.TOKEN:
            errors.append("GCM (FCM HTTP v1) authenticates with a token only: remove auth or set auth: token")
        extra = [key for key in ("principal", "key_id", "team_id", "bundle_id") if getattr(self, key) is not None]
        if extra:
            errors.append(f"{', '.join(_camel(k) for k in extra)}: APNS settings; a GCM app takes only a credential")
        errors += _content_problem(
            self.credential,
            _is_service_account,
            "credential",
            "the Firebase service-account JSON (FCM HTTP v1; legacy server keys no longer work)",
            "service-account.json",
        )
        return errors

    def _apns_errors(self) -> list[str]:
        errors = []
        if self.auth == PushAuth.CERTIFICATE:
            token_keys = [key for key in ("key_id", "team_id", "bundle_id") if getattr(self, key) is not None]
            if token_keys:
                errors.append(
                    f"{', '.join(_camel(k) for k in token_keys)}: token-auth settings; set auth: token (signing "
                    "key) or remove them (certificate)"
                )
            errors += _content_problem(
                self.principal, _pem("CERTIFICATE"), "principal", "the APNs TLS certificate (PEM)", "apns-cert.pem"
            )
            errors += _content_problem(
                self.credential,
                _pem("PRIVATE KEY"),
                "credential",
                "the certificate's private key (PEM)",
                "apns-key.pem",
            )
            return errors
        if self.principal is not None:
            errors.append("principal is the certificate of certificate auth; token auth takes keyId: remove principal")
        for key, what in (("key_id", "Key ID of the APNs signing key"), ("team_id", "Apple Developer Team ID")):
            value = getattr(self, key)
            if value is None:
                errors.append(f"{_camel(key)} is required for token auth: the 10-character {what}")
            elif not _APPLE_ID_RE.match(value):
                errors.append(f"{_camel(key)} '{value}' must be the 10-character {what} (A-Z, 0-9)")
        if self.bundle_id is not None and not _BUNDLE_ID_RE.match(self.bundle_id):
            errors.append(f"bundleId '{self.bundle_id}' is not an iOS bundle id (e.g. com.example.wire)")
        errors += _content_problem(
            self.credential,
            _pem("PRIVATE KEY", exact=True),
            "credential",
            "the APNs signing key (the .p8 file)",
            "AuthKey_<keyId>.p8",
        )
        return errors


def _content_problem(
    value: SecretStr | None, fits: Callable[[str], bool], field: str, what: str, source: str
) -> list[str]:
    """The error for a secret that is set but is not `what`; a secret still to set is not checked."""
    text = value.get_secret_value() if value is not None else None
    if text is None or text == PLACEHOLDER or fits(text):
        return []
    return [f"{field} must be {what}: " + _SET_SECRET.format(field=field, source=source)]


def _pem(kind: str, *, exact: bool = False) -> Callable[[str], bool]:
    """A PEM block of `kind` (`exact`: unencrypted PKCS#8, as Apple's .p8; else also RSA/EC/ENCRYPTED ...)."""
    marker = f"-----BEGIN {kind}-----" if exact else f"{kind}-----"
    return lambda text: marker in text


def _is_service_account(text: str) -> bool:
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("type") == "service_account" and "private_key" in parsed


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


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
        # Push switched off on purpose (mode: disabled written out) keeps its settings for later: a warning
        # (disabled.py). Without a mode, apps or external values are a mode forgotten: refused.
        switched_off = self.mode == PushMode.DISABLED and "mode" in self.model_fields_set
        if self.mode != PushMode.EXTERNAL and self.external is not None and not switched_off:
            problems.append(
                at("external", f"is only read in mode 'external' (mode is '{self.mode}'); remove it or set the mode")
            )
        if self.mode != PushMode.CREATE and self.apps and not switched_off:
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
