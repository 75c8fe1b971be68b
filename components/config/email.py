"""Email (brig): Amazon SES created here, or your own SMTP server."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator

from components.config.base import EmailAddress, Hostname, Model, Port, at, fail


class EmailMode(StrEnum):
    SES = "ses"
    SMTP = "smtp"


class Dmarc(Model):
    policy: Literal["none", "quarantine", "reject"] = "quarantine"
    """DMARC policy for mail failing SPF/DKIM alignment."""
    percent: Annotated[int, Field(ge=0, le=100)] = 100
    """Share of failing mail the policy applies to."""
    report_address: EmailAddress | None = None
    """Address for aggregate (rua) reports."""

    def record(self) -> str:
        value = f"v=DMARC1; p={self.policy}; pct={self.percent}"
        if self.report_address:
            value += f"; rua=mailto:{self.report_address}"
        return value


class Ses(Model):
    mail_from_subdomain: Hostname = "email"
    """MAIL FROM subdomain: `<mailFromSubdomain>.<domain>` gets the MX and SPF records."""
    dmarc: Dmarc = Field(default_factory=Dmarc)
    """The `_dmarc.<domain>` record."""


class Smtp(Model):
    host: Hostname
    """SMTP server hostname."""
    port: Port = 587
    """SMTP port."""
    conn_type: Literal["plain", "ssl", "tls"] = "tls"
    """Connection type brig uses."""
    username: str | None = None
    """SMTP user; when set, password is required."""
    password: SecretStr | None = None
    """SMTP password (brig.secrets.smtpPassword)."""

    @model_validator(mode="after")
    def _check(self) -> Smtp:
        if self.password is not None and not self.username:
            fail(at("password", "is only sent with a username (brig authenticates only then); set username"))
        return self


class Email(Model):
    mode: EmailMode
    """`ses` (Amazon SES, created here) or `smtp` (your mail server) — exactly one."""
    sender: EmailAddress
    """From address of every email brig sends (brig.config.emailSMS.general.emailSender)."""
    ses: Ses | None = None
    """SES settings (mode `ses`)."""
    smtp: Smtp | None = None
    """SMTP settings (mode `smtp`)."""

    @model_validator(mode="after")
    def _check(self) -> Email:
        if self.mode == EmailMode.SES and self.smtp is not None:
            raise ValueError("SES and SMTP are mutually exclusive: mode is 'ses', so remove email.smtp")
        if self.mode == EmailMode.SMTP and self.ses is not None:
            raise ValueError("SES and SMTP are mutually exclusive: mode is 'smtp', so remove email.ses")
        if self.mode == EmailMode.SMTP and self.smtp is None:
            raise ValueError("mode 'smtp' needs email.smtp (host, port, connType, username, password)")
        return self

    @property
    def ses_settings(self) -> Ses:
        return self.ses or Ses()
