"""The DNS records SES needs for brig's domain, as plain data (no Pulumi here): DKIM, MAIL FROM and DMARC.

`components/aws/email.py` creates them in Route53, and `verify` looks for them there.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.config import StackConfig

RECORD_TTL = 600
SPF = "v=spf1 include:amazonses.com -all"
# Easy DKIM always hands out three tokens (SES API: DkimAttributes.Tokens), one CNAME each.
DKIM_TOKEN_COUNT = 3


@dataclass(frozen=True)
class DnsRecord:
    """A record SES needs; created in Route53 with `dns`, otherwise exported for the operator."""

    name: str
    type: str
    values: list[str]
    ttl: int = RECORD_TTL

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "values": list(self.values), "ttl": self.ttl}


def dkim_record(domain: str, token: str) -> DnsRecord:
    return DnsRecord(f"{token}._domainkey.{domain}", "CNAME", [f"{token}.dkim.amazonses.com"])


def dkim_records(domain: str, tokens: list[str]) -> list[DnsRecord]:
    return [dkim_record(domain, token) for token in tokens]


def static_records(cfg: StackConfig) -> list[DnsRecord]:
    """MAIL FROM (MX + SPF) and DMARC; they don't depend on anything SES returns."""
    ses = cfg.email.ses_settings
    mail_from = f"{ses.mail_from_subdomain}.{cfg.domain}"
    return [
        DnsRecord(mail_from, "MX", [f"10 feedback-smtp.{cfg.region}.amazonses.com"]),
        DnsRecord(mail_from, "TXT", [SPF]),
        DnsRecord(f"_dmarc.{cfg.domain}", "TXT", [ses.dmarc.record()]),
    ]
