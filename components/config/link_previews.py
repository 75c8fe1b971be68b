"""Link previews: the `proxy` service and its third-party API keys (guide: "3rd-party proxying")."""

from __future__ import annotations

from pydantic import SecretStr

from components.config.base import Model


class LinkPreviews(Model):
    """The `proxy` service's third-party API keys (guide: "3rd-party proxying")."""

    enabled: bool = False
    """Run the proxy service and route it through nginz; off: the proxy (always part of wire-server) runs 0 replicas."""
    youtube: SecretStr | None = None
    """YouTube API key."""
    googlemaps: SecretStr | None = None
    """Google Maps API key."""
    soundcloud: SecretStr | None = None
    """SoundCloud API key."""
    giphy: SecretStr | None = None
    """Giphy API key."""
    spotify: SecretStr | None = None
    """Spotify credentials (`Basic …`)."""
