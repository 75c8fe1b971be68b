"""team-settings, account-pages and IS_SELF_HOSTED (guide: "Marking an installation as self-hosted")."""

from __future__ import annotations

from components.config.base import Model


class WebApps(Model):
    team_settings: bool = False
    """Deploy team-settings (teams.<domain>)."""
    account_pages: bool = False
    """Deploy account-pages (account.<domain>)."""
    self_hosted: bool = True
    """IS_SELF_HOSTED for team-settings and account-pages (guide: "Marking an installation as self-hosted")."""
