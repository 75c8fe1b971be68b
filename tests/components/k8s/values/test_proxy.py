"""The proxy service (link previews)."""

from __future__ import annotations

from pydantic import SecretStr

from components.outputs import redact
from tests.components.k8s.k8s_support import make_cfg
from tests.components.k8s.values.values_support import ws


def test_link_previews_proxy_config_is_a_hocon_secret() -> None:
    cfg = make_cfg(linkPreviews={"enabled": True, "youtube": "yt", "spotify": 'Basic "x"'})
    values = ws(cfg)
    assert "tags" not in values  # chart 5.29.x has no tags.proxy: the proxy is always part of wire-server
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


def test_link_previews_disabled() -> None:
    values = ws(make_cfg())
    # No pods and no route; the chart still requires the (empty) proxy.config.
    assert values["proxy"]["replicaCount"] == 0
    assert "proxy" not in values["nginz"]["nginx_conf"]["enabled_extra_upstreams"]
    assert 'giphy = ""' in values["proxy"]["secrets"]["proxy_config"].get_secret_value()
