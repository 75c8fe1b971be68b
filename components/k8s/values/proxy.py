"""proxy (link previews): the preview API keys as one HOCON secret."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from components.config import StackConfig
from components.k8s.values.common import set_proxy_env
from components.k8s.values.layout import WireServerLayout

# Link-preview API keys, in the order the proxy chart's example lists them.
LINK_PREVIEW_KEYS = ("youtube", "googlemaps", "soundcloud", "giphy", "spotify")


def proxy_config_secret(cfg: StackConfig) -> SecretStr:
    """The proxy service's `proxy.config` (HOCON), built from the link-preview secrets.

    Every key is written (empty when unset) so the file always has the shape the proxy expects; a
    missing key only disables that one preview.
    """
    # The only place a secret is read here: it goes straight back into a SecretStr.
    lines = ["secrets {"]
    for key in LINK_PREVIEW_KEYS:
        secret: SecretStr | None = getattr(cfg.link_previews, key)
        value = secret.get_secret_value() if secret is not None else ""
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'  {key} = "{escaped}"')
    lines.append("}")
    return SecretStr("\n".join(lines))


def proxy_release_values(cfg: StackConfig, layout: WireServerLayout | None) -> dict[str, Any]:
    """The wire-server values that deploy the proxy (or not), as the chart's layout reads them (layout.py).

    Link previews off runs no proxy pods in either layout: 5.29.x gets `replicaCount` 0 (its templates render
    anyway, and fail without the secret), 5.30+ `tags.proxy: false` and nothing else. A local chart, whose
    layout is not known, gets what both layouts read: each ignores the other's key.
    """
    if layout == WireServerLayout.INLINE_PROXY:
        return {"proxy": proxy_values(cfg)}
    values: dict[str, Any] = {"tags": {"proxy": cfg.link_previews.enabled}}
    if cfg.link_previews.enabled or layout is None:
        values["proxy"] = proxy_values(cfg)
    return values


def proxy_values(cfg: StackConfig) -> dict[str, Any]:
    # Without link previews the proxy runs no pods, and nginz does not route to it.
    enabled = cfg.link_previews.enabled
    values: dict[str, Any] = {"replicaCount": cfg.replicas.proxy if enabled else 0}
    config: dict[str, Any] = {}
    set_proxy_env(cfg, "proxy", config)
    if config:
        values["config"] = config
    # The chart writes the proxy Secret in any case and fails without proxy_config.
    values["secrets"] = {"proxy_config": proxy_config_secret(cfg)}
    return values
