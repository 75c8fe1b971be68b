"""The nginz section's rules."""

from __future__ import annotations

from tests.components.config.config_support import base, load, problems


def test_ignored_upstreams_must_be_default_upstreams() -> None:
    assert "are not default upstreams" in problems(base(nginz={"ignoredUpstreams": ["ibis"]}))[0]


def test_extra_upstreams_must_be_optional_upstreams() -> None:
    assert "are not optional upstreams" in problems(base(nginz={"extraUpstreams": ["brig"]}))[0]


def test_upstream_namespace_must_name_an_enabled_upstream() -> None:
    found = problems(base(nginz={"upstreamNamespaces": {"ibis": "integrations"}}))
    assert "names 'ibis', which is not an enabled upstream" in found[0]
    ok = load(base(nginz={"extraUpstreams": ["ibis"], "upstreamNamespaces": {"ibis": "integrations"}}))
    assert ok.nginz.upstream_namespaces == {"ibis": "integrations"}


def test_upstream_namespace_of_an_ignored_default_upstream_is_rejected() -> None:
    found = problems(base(nginz={"ignoredUpstreams": ["spar"], "upstreamNamespaces": {"spar": "sso"}}))
    assert "not an enabled upstream" in found[0]
