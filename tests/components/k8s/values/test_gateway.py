"""The Gateway API entry point's objects, as pure data (schemas and real Services: tests/render/test_gateway.py)."""

from __future__ import annotations

from typing import Any

from components.k8s.values import addons, gateway_manifests, nginx_ingress_services_values
from components.k8s.values import gateway as g
from components.k8s.values.entry import NLB_ANNOTATIONS
from tests.components.k8s.k8s_support import make_cfg

NLB = {"controller": "envoyGateway", "loadBalancer": "awsNlb"}
METALLB = {"controller": "envoyGateway", "loadBalancer": "metallb", "metallbAddresses": ["203.0.113.10/32"]}


def by_kind(manifests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [manifest for manifest in manifests if manifest["kind"] == kind]


def test_envoy_service_has_a_fixed_name_and_the_nlb_annotations() -> None:
    (proxy,) = by_kind(gateway_manifests(make_cfg(ingress=NLB)), "EnvoyProxy")
    service = proxy["spec"]["provider"]["kubernetes"]["envoyService"]
    assert service["name"] == g.ENVOY_SERVICE == "envoy-wire"
    assert service["annotations"] == NLB_ANNOTATIONS
    (policy,) = by_kind(gateway_manifests(make_cfg(ingress=NLB)), "ClientTrafficPolicy")
    # The NLB sends PROXY protocol: Envoy must expect it, or every connection fails.
    assert policy["spec"]["proxyProtocol"] == {}


def test_on_bare_metal_no_aws_annotations_and_no_proxy_protocol() -> None:
    manifests = gateway_manifests(make_cfg(ingress=METALLB))
    (proxy,) = by_kind(manifests, "EnvoyProxy")
    assert "annotations" not in proxy["spec"]["provider"]["kubernetes"]["envoyService"]
    (policy,) = by_kind(manifests, "ClientTrafficPolicy")
    assert "proxyProtocol" not in policy["spec"]


def test_one_route_per_served_host_to_the_service_the_ingress_used() -> None:
    cfg = make_cfg(ingress=NLB, webApps={"webapp": True, "teamSettings": True, "accountPages": True})
    routes = {r["metadata"]["name"]: r for r in by_kind(gateway_manifests(cfg), "HTTPRoute")}
    backends = {
        name: (route["spec"]["hostnames"], route["spec"]["rules"][0]["backendRefs"])
        for name, route in routes.items()
        if name != "https-redirect"
    }
    domain = cfg.domain
    assert backends == {
        "nginz-https": ([f"nginz-https.{domain}"], [{"name": "nginz", "port": 8080}]),
        "nginz-ssl": ([f"nginz-ssl.{domain}"], [{"name": "nginz", "port": 8081}]),
        "webapp": ([f"webapp.{domain}"], [{"name": "webapp-http", "port": 8080}]),
        "teams": ([f"teams.{domain}"], [{"name": "team-settings-http", "port": 8080}]),
        "account": ([f"account.{domain}"], [{"name": "account-pages-http", "port": 8080}]),
    }
    # Long uploads and websockets: no total request timeout, as ingress-nginx had none.
    assert routes["nginz-ssl"]["spec"]["rules"][0]["timeouts"] == {"request": "0s"}
    redirect = routes["https-redirect"]["spec"]
    assert redirect["parentRefs"][0]["sectionName"] == "http"
    assert redirect["rules"][0]["filters"][0]["requestRedirect"]["scheme"] == "https"


def test_the_certificate_covers_every_routed_host_and_the_listener_uses_it() -> None:
    cfg = make_cfg(ingress=NLB)
    manifests = gateway_manifests(cfg)
    (certificate,) = by_kind(manifests, "Certificate")
    hosts = sorted(h for r in by_kind(manifests, "HTTPRoute") for h in r["spec"].get("hostnames", []))
    assert sorted(certificate["spec"]["dnsNames"]) == hosts
    (gateway,) = by_kind(manifests, "Gateway")
    # Pulumi waits for the Gateway to be programmed before it reads Envoy's Service (the DNS target).
    assert gateway["metadata"]["annotations"] == {"pulumi.com/waitFor": "condition=Programmed"}
    https = next(listener for listener in gateway["spec"]["listeners"] if listener["name"] == "https")
    assert https["tls"]["certificateRefs"] == [{"kind": "Secret", "name": certificate["spec"]["secretName"]}]


def test_the_issuer_is_cannons_the_stacks_or_an_own_http01_issuer_through_the_gateway() -> None:
    own = make_cfg(ingress=NLB)
    assert g.issuer_ref(own) == {"name": g.OWN_ISSUER, "kind": "Issuer"}
    (issuer,) = by_kind(gateway_manifests(own), "Issuer")
    assert issuer["spec"]["acme"]["solvers"] == [addons.http01_solver(own)]
    stack = make_cfg(ingress=NLB, addons={"certManager": {"install": True, "email": "ops@example.org"}})
    assert g.issuer_ref(stack) == {"name": "letsencrypt", "kind": "ClusterIssuer"}
    assert by_kind(gateway_manifests(stack), "Issuer") == []
    # The stack's HTTP-01 ClusterIssuer answers through the Gateway, with cert-manager's Gateway API support on.
    assert addons.cluster_issuer_manifest(stack)["spec"]["acme"]["solvers"] == [addons.http01_solver(stack)]
    assert addons.cert_manager_gateway_api(stack)
    assert addons.cert_manager_values(gateway_api=True)["config"]["enableGatewayAPI"] is True


def test_nginx_ingress_services_orders_no_second_certificate_once_ingress_nginx_is_gone() -> None:
    assert nginx_ingress_services_values(make_cfg(ingress=NLB))["tls"]["enabled"] is False
    dns = {"zoneId": "Z0123456789EXAMPLE", "target": {"fromIngressController": True}}
    moving = make_cfg(ingress={**NLB, "legacyHosts": ["webapp"]}, dns=dns)
    assert nginx_ingress_services_values(moving)["tls"]["enabled"] is True
    legacy = make_cfg(ingress={"controller": "legacy", "loadBalancer": "awsNlb"})
    assert nginx_ingress_services_values(legacy)["tls"]["enabled"] is True
