"""SSO (spar): the SAML service provider's contact persons, published in its metadata."""

from __future__ import annotations

from typing import Literal

from components.config.base import Model


class SamlContact(Model):
    type: Literal["ContactTechnical", "ContactSupport", "ContactAdministrative", "ContactBilling", "ContactOther"]
    """SAML contact type."""
    company: str | None = None
    """Company name."""
    email: str | None = None
    """Email address."""
    given_name: str | None = None
    """Given name."""
    surname: str | None = None
    """Surname."""
    phone: str | None = None
    """Phone number."""

    def chart_value(self) -> dict[str, str]:
        """The contact as spar's chart takes it (config.contacts[]), unset fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True)


class Sso(Model):
    contacts: list[SamlContact] = []
    """spar's SAML contacts (config.contacts); one ContactTechnical at email.sender when empty."""
