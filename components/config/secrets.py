"""Which secret values a configuration holds and which it needs, by dotted camelCase path.

Secret values (SMTP password, zAuth keys, push credentials, link-preview keys, access keys,
database passwords, TLS keys) are `SecretStr`: they print as `**********` and the Pulumi layer
wraps them in `Output.secret`. A secret written in plain text in the stack file is an error.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import BaseModel, SecretStr

from components.config.email import EmailMode
from components.config.push import PushMode
from components.config.stack import StackConfig


def secret_paths(model: BaseModel, prefix: str = "") -> dict[str, SecretStr]:
    """Every secret value that is set, by its dotted camelCase path (e.g. `email.smtp.password`)."""
    found: dict[str, SecretStr] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{info.alias or name}"
        found.update(secrets_in(value, key))
    return found


def secrets_in(value: Any, key: str) -> dict[str, SecretStr]:
    if isinstance(value, SecretStr):
        return {key: value}
    if isinstance(value, BaseModel):
        return secret_paths(value, f"{key}.")
    if isinstance(value, list):
        found: dict[str, SecretStr] = {}
        for index, item in enumerate(value):
            found.update(secrets_in(item, f"{key}[{index}]"))
        return found
    return {}


def required_secrets(cfg: StackConfig, sections: Collection[str] | None = None) -> list[str]:
    """Secrets this configuration needs before `pulumi up` (dotted camelCase paths).

    With `sections` (StackConfig field names), only those sections are looked at: loading asks only about
    the sections that validated.
    """

    def has(section: str) -> bool:
        return sections is None or section in sections

    needed = []
    if has("secrets"):
        needed += ["secrets.zauthPublicKeys", "secrets.zauthPrivateKeys", "secrets.turnSecret"]
    if has("databases"):
        needed += ["databases.rabbitmq.username", "databases.rabbitmq.password", "databases.postgresql.password"]
    if has("email") and cfg.email.mode == EmailMode.SMTP and cfg.email.smtp and cfg.email.smtp.username:
        needed.append("email.smtp.password")
    if has("push"):
        if cfg.push.mode == PushMode.EXTERNAL:
            needed.append("push.external.awsSecretKey")
        for index, app in enumerate(cfg.push.apps):
            needed += [f"push.apps[{index}].{field}" for field in app.secret_fields]
    if has("cannon"):
        wslb = cfg.cannon.websocket_load_balancer
        if wslb.enabled and wslb.tls is not None:
            needed.append("cannon.websocketLoadBalancer.tls.key")
    if has("assets") and cfg.assets.cloud_front.enabled:
        needed.append("assets.cloudFront.privateKey")
    if cfg.web_apps.team_settings:
        needed.append("webApps.teamSettingsPullSecret")
    return needed
