"""Secret values: never in plain text, the required ones listed."""

from __future__ import annotations

import pytest

from components.config import ConfigError, load_config, required_secrets
from tests.components.config.config_support import EXTERNAL, base, load, problems


def test_a_secret_in_plain_text_is_an_error() -> None:
    smtp = {"host": "smtp.example.com", "username": "wire", "password": "hunter2"}
    email = {"mode": "smtp", "sender": "a@example.com", "smtp": smtp}
    found = problems(base(email=email))
    assert found == [
        "wire:email.smtp.password is stored in plain text; encrypt it: "
        "pulumi config set --secret --path 'wire:email.smtp.password' <value>"
    ]


def test_a_secure_value_is_accepted_and_never_printed() -> None:
    smtp = {"host": "smtp.example.com", "username": "wire", "password": "hunter2"}
    email = {"mode": "smtp", "sender": "a@example.com", "smtp": smtp}
    cfg = load(base(email=email), secret_keys={"email"})
    assert cfg.email.smtp is not None and cfg.email.smtp.password is not None
    assert "hunter2" not in repr(cfg) and "hunter2" not in str(cfg.model_dump())


def test_missing_required_secrets_are_errors_outside_the_offline_plan() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(base(), region="eu-central-1")
    assert "wire:secrets.zauthPrivateKeys is required; set it: pulumi config set --secret --path " in "\n".join(
        caught.value.problems
    )


def test_required_secrets_follow_the_modes() -> None:
    smtp = {"mode": "smtp", "sender": "a@example.com", "smtp": {"host": "smtp.example.com", "username": "wire"}}
    cfg = load(base(email=smtp, push={"mode": "external", "external": EXTERNAL}))
    needed = required_secrets(cfg)
    assert "email.smtp.password" in needed and "push.external.awsSecretKey" in needed
    assert "email.smtp.password" not in required_secrets(load(base()))
