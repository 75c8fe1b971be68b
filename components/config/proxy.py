"""Outbound HTTP(S) proxy (guide: "Redirect some traffic through a http(s) proxy")."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from components.config.base import Model, Url

PROXY_SERVICES = ("brig", "galley", "gundeck", "cargohold", "spar", "proxy")


class HttpProxy(Model):
    http_proxy: Url | None = None
    """HTTP proxy URL (env http_proxy/HTTP_PROXY)."""
    https_proxy: Url | None = None
    """HTTPS proxy URL (env https_proxy/HTTPS_PROXY)."""
    no_proxy: list[str] = []
    """Extra noProxyList entries (cluster services, cannon pods and database hosts are added)."""
    services: list[Literal["brig", "galley", "gundeck", "cargohold", "spar", "proxy"]] = list(PROXY_SERVICES)
    """Services that get the proxy env."""

    @model_validator(mode="after")
    def _check(self) -> HttpProxy:
        if (self.no_proxy or self.services != list(PROXY_SERVICES)) and not (self.http_proxy or self.https_proxy):
            raise ValueError("proxy settings need httpProxy or httpsProxy")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.http_proxy or self.https_proxy)
