"""The proxy service (link previews)."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from components.k8s.values.layout import WireServerLayout, wire_server_layout
from components.outputs import redact
from tests.components.k8s.k8s_support import make_cfg
from tests.components.k8s.values.values_support import ws

WIRE_CHARTS = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"


def pinned(version: str) -> dict:
    return {"wireServer": {"chart": "wire-server", "repo": WIRE_CHARTS, "version": version}}


INLINE = pinned("5.29.5")
SUBCHART = pinned("5.32.0")
LOCAL = {"wireServer": {"chart": "wire-server", "path": "./charts/wire-server"}}


def test_the_layout_follows_the_pinned_version() -> None:
    layouts = {
        version: wire_server_layout(make_cfg(charts=pinned(version)).charts.wire_server)
        for version in ("5.29.5", "5.29.0", "5.30.0-develop.20260411", "5.30.9", "5.32.0-pre.3", "6.0.0")
    }
    assert layouts == {
        "5.29.5": WireServerLayout.INLINE_PROXY,
        "5.29.0": WireServerLayout.INLINE_PROXY,
        "5.30.0-develop.20260411": WireServerLayout.PROXY_SUBCHART,
        "5.30.9": WireServerLayout.PROXY_SUBCHART,
        "5.32.0-pre.3": WireServerLayout.PROXY_SUBCHART,
        "6.0.0": WireServerLayout.PROXY_SUBCHART,
    }
    assert wire_server_layout(make_cfg(charts=LOCAL).charts.wire_server) is None


@pytest.mark.parametrize("charts", [INLINE, SUBCHART, LOCAL], ids=["5.29", "5.30", "local"])
def test_link_previews_proxy_config_is_a_hocon_secret(charts: dict) -> None:
    cfg = make_cfg(charts=charts, linkPreviews={"enabled": True, "youtube": "yt", "spotify": 'Basic "x"'})
    values = ws(cfg)
    # 5.29.x has no tags.proxy (the proxy is always part of wire-server); 5.30+ deploys it only with tags.proxy.
    assert values.get("tags") == (None if charts is INLINE else {"proxy": True})
    assert values["proxy"]["replicaCount"] == cfg.replicas.proxy
    assert "proxy" in values["nginz"]["nginx_conf"]["enabled_extra_upstreams"]
    secret = values["proxy"]["secrets"]["proxy_config"]
    assert isinstance(secret, SecretStr)
    text = secret.get_secret_value()
    assert text.startswith("secrets {") and text.endswith("}")
    assert 'youtube = "yt"' in text
    assert 'spotify = "Basic \\"x\\""' in text
    assert 'giphy = ""' in text
    assert "yt" not in str(redact(values))


def test_link_previews_disabled_at_5_29() -> None:
    values = ws(make_cfg(charts=INLINE))
    # No pods and no route; the chart still requires the (empty) proxy.config.
    assert "tags" not in values
    assert values["proxy"]["replicaCount"] == 0
    assert "proxy" not in values["nginz"]["nginx_conf"]["enabled_extra_upstreams"]
    assert 'giphy = ""' in values["proxy"]["secrets"]["proxy_config"].get_secret_value()


def test_link_previews_disabled_from_5_30_turns_the_subchart_off() -> None:
    values = ws(make_cfg(charts=SUBCHART))
    assert values["tags"] == {"proxy": False}
    assert "proxy" not in values  # nothing the disabled subchart would read
    assert "proxy" not in values["nginz"]["nginx_conf"]["enabled_extra_upstreams"]


def test_link_previews_disabled_with_a_local_chart_writes_what_both_layouts_read() -> None:
    values = ws(make_cfg(charts=LOCAL))
    assert values["tags"] == {"proxy": False}
    assert values["proxy"]["replicaCount"] == 0
