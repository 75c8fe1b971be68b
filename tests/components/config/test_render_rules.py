"""Rules found by rendering with the real charts: ignored options refused, required chart values configurable."""

from __future__ import annotations

from components.config import required_secrets
from tests.components.config.config_support import base, load, problems


def test_cassandra_port_other_than_the_chart_one_is_refused() -> None:
    found = problems(base(databases={"cassandra": {"host": "cassandra", "port": 9043}}))
    assert len(found) == 1
    assert "wire:databases.cassandra.port" in found[0] and "9042" in found[0]
    assert load(base(databases={"cassandra": {"host": "cassandra", "port": 9042}})).databases.cassandra.port == 9042


def test_bare_metal_has_one_load_balancer_address() -> None:
    wslb = {"enabled": True, "hostname": "ws.example.com", "certManager": {"enabled": True}}
    found = problems(
        base(
            ingress={"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]},
            cannon={"websocketLoadBalancer": wslb},
        )
    )
    assert any("cannon.websocketLoadBalancer" in problem and "metallb" in problem for problem in found)


def test_saml_contacts_default_to_the_sender_and_can_be_set() -> None:
    assert load(base()).saml_contacts == [{"type": "ContactTechnical", "email": "no-reply@example.com"}]
    contacts = [{"type": "ContactSupport", "company": "Example", "email": "help@example.com", "givenName": "Ann"}]
    assert load(base(sso={"contacts": contacts})).saml_contacts == contacts
    found = problems(base(sso={"contacts": [{"type": "Boss"}]}))
    assert any("wire:sso.contacts[0].type" in problem for problem in found)


def test_team_settings_needs_its_image_pull_secret() -> None:
    assert "webApps.teamSettingsPullSecret" in required_secrets(load(base(webApps={"teamSettings": True})))
    assert "webApps.teamSettingsPullSecret" not in required_secrets(load(base()))


def test_link_previews_route_the_proxy_through_nginz() -> None:
    assert "proxy" in load(base(linkPreviews={"enabled": True})).nginz_extra_upstreams
    assert "proxy" not in load(base()).nginz_extra_upstreams


def test_kubernetes_version_is_major_minor() -> None:
    assert load(base()).kubernetes.version == "1.33"
    assert load(base(kubernetes={"version": "1.31"})).kubernetes.version == "1.31"
    assert any("wire:kubernetes.version" in problem for problem in problems(base(kubernetes={"version": "v1.31.2"})))
