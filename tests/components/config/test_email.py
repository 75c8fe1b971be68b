"""The email section's rules."""

from __future__ import annotations

from tests.components.config.config_support import base, load, problems


def test_ses_and_smtp_are_mutually_exclusive() -> None:
    email = {"mode": "ses", "sender": "no-reply@example.com", "smtp": {"host": "smtp.example.com"}}
    assert "SES and SMTP are mutually exclusive" in problems(base(email=email))[0]


def test_smtp_mode_needs_the_smtp_section() -> None:
    assert "mode 'smtp' needs email.smtp" in problems(base(email={"mode": "smtp", "sender": "a@example.com"}))[0]


def test_smtp_sender_may_be_on_another_domain() -> None:
    cfg = load(base(email={"mode": "smtp", "sender": "no-reply@other.org", "smtp": {"host": "smtp.other.org"}}))
    assert cfg.email.smtp is not None and cfg.email.smtp.conn_type == "tls"
