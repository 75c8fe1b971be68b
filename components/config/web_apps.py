"""The web apps (webapp, team-settings, account-pages) and IS_SELF_HOSTED (guide: "... self-hosted")."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, SecretStr

from components.config.base import Model
from components.config.pull_secret import check_pull_secret


class WebApps(Model):
    webapp: bool = True
    """Deploy the Wire webapp (webapp.<domain>), the browser client."""
    team_settings: bool = False
    """Deploy team-settings (teams.<domain>)."""
    account_pages: bool = False
    """Deploy account-pages (account.<domain>)."""
    self_hosted: bool = True
    """IS_SELF_HOSTED for team-settings and account-pages (guide: "Marking an installation as self-hosted")."""
    team_settings_pull_secret: Annotated[SecretStr, AfterValidator(check_pull_secret)] | None = None
    """team-settings' image pull secret from Wire: the base64 of a Docker config.json (chart secrets.configJson)."""
