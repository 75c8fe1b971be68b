"""nginz: upstreams and deeplink."""

from __future__ import annotations

from tests.components.k8s.k8s_support import make_cfg
from tests.components.k8s.values.values_support import WSLB, ws


def test_nginz_upstreams_and_deeplink() -> None:
    cfg = make_cfg(
        nginz={
            "ignoredUpstreams": ["spar"],
            "extraUpstreams": ["proxy", "ibis"],
            "upstreamNamespaces": {"ibis": "bill"},
        },
        linkPreviews={"enabled": True},
        cannon=WSLB,
    )
    conf = ws(cfg)["nginz"]["nginx_conf"]
    assert conf["ignored_upstreams"] == ["spar", "cannon"]
    assert conf["enabled_extra_upstreams"] == ["proxy", "ibis"]
    assert conf["upstream_namespace"] == {"ibis": "bill"}
    assert conf["env"] == "prod"
    assert conf["external_env_domain"] == "example.org"
    assert conf["deeplink"]["endpoints"]["backendURL"] == "https://nginz-https.example.org"
    assert conf["deeplink"]["endpoints"]["backendWSURL"] == "https://nginz-ssl.example.org"
