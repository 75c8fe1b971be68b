"""The Gateway API entry point on the real charts and schemas, and the custom objects of every stack against the
schemas of their CRDs.

- the gateway charts render (gateway-crds-helm, gateway-helm); the Gateway API objects the program creates, the
  ClusterIssuer, metallb's pool and the charts' own cert-manager objects pass the openAPIV3Schema of their CRD,
  read from the pinned charts that install it (gateway-crds-helm, cert-manager, metallb);
- every host DNS publishes has exactly one HTTPRoute, to a Service that exists in the rendered manifests on a port
  it exposes, covered by the Gateway's certificate (or is one the plan warns has no route).
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

from components.config import StackConfig, WireHost
from components.config.addons import CERT_MANAGER_NAMESPACE
from components.config.entry_point import served_hosts
from components.config.ingress import LoadBalancerKind
from components.k8s.values import GATEWAY_CRDS, gateway_crds_values, gateway_manifests, metallb_manifests
from components.k8s.values import addons as addon_values
from components.k8s.values.common import host_name, release_namespace
from components.k8s.values.gateway import ENVOY_SERVICE, HTTPS_LISTENER
from plan.render import CUSTOM_RESOURCE_GROUPS, RenderError, crd_schema_problems, crd_schemas, locate_chart, render
from tests.render.render_support import (
    STACK_IDS,
    Manifests,
    helm_or_skip,
    kube_version,
    rendered,
    stack_cfg,
    unavailable,
)

# cert-manager's release build generates templates/crd-*.yaml from deploy/crds; the chart packaged from git for
# offline rendering (../shared/charts/README.md) has no CRDs, so its objects are checked only when a chart has them.
UNVALIDATED_GROUPS = ("cert-manager.io",)

GATEWAY_STACKS = [stack_id for stack_id in STACK_IDS if stack_cfg(stack_id).ingress.envoy_gateway]


def _chart_objects(cfg: StackConfig, source: Any, release: str, namespace: str, values: dict[str, Any]) -> list[dict]:
    helm = helm_or_skip()
    chart = locate_chart(source)
    if chart is None:
        unavailable(f"chart {source.chart} {source.version} not found")
    assert chart is not None
    try:
        return render(helm, chart, release, namespace, values, kube_version(cfg)).objects
    except RenderError as error:
        pytest.fail(f"helm template failed: {error}")


@functools.cache
def crds(stack_id: str) -> tuple[dict[str, Any], ...]:
    """The CRDs the stack's custom objects need, from the pinned charts that install them."""
    cfg = stack_cfg(stack_id)
    found = [obj for obj in rendered(stack_id).all() if obj.get("kind") == "CustomResourceDefinition"]  # metallb's
    # cert-manager's CRDs, when its chart carries them (see UNVALIDATED_GROUPS).
    cert_manager = addon_values.cert_manager_values(gateway_api=addon_values.cert_manager_gateway_api(cfg))
    found += _chart_objects(cfg, cfg.charts.cert_manager, "cert-manager", CERT_MANAGER_NAMESPACE, cert_manager)
    if cfg.ingress.envoy_gateway:
        namespace = release_namespace(cfg, GATEWAY_CRDS)
        found += _chart_objects(cfg, cfg.charts.gateway_crds, GATEWAY_CRDS, namespace, gateway_crds_values(cfg))
    return tuple(obj for obj in found if obj.get("kind") == "CustomResourceDefinition")


def program_objects(cfg: StackConfig) -> list[dict[str, Any]]:
    """The custom objects the program creates itself (not through a chart)."""
    objects = gateway_manifests(cfg) if cfg.ingress.envoy_gateway else []
    if cfg.addons.cert_manager.install:
        objects.append(addon_values.cluster_issuer_manifest(cfg))
    if cfg.ingress.balancer == LoadBalancerKind.METALLB:
        objects += metallb_manifests(cfg)
    return objects


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_custom_objects_pass_their_crd_schemas(stack_id: str) -> None:
    cfg = stack_cfg(stack_id)
    manifests = rendered(stack_id)
    charts = [obj for obj in manifests.all() if str(obj.get("apiVersion", "")).split("/")[0] in CUSTOM_RESOURCE_GROUPS]
    objects = charts + program_objects(cfg)
    known = crd_schemas(list(crds(stack_id)))
    groups = {api_version.split("/")[0] for api_version, _ in known}
    checked = [
        obj
        for obj in objects
        if obj["apiVersion"].split("/")[0] not in UNVALIDATED_GROUPS or obj["apiVersion"].split("/")[0] in groups
    ]
    assert crd_schema_problems(checked, list(crds(stack_id))) == []
    if cfg.ingress.envoy_gateway:
        assert {obj["kind"] for obj in checked} >= {"Gateway", "HTTPRoute", "EnvoyProxy", "ClientTrafficPolicy"}


def test_the_crd_validation_refuses_what_the_schema_does_not_allow() -> None:
    stack_id = GATEWAY_STACKS[0]
    cfg = stack_cfg(stack_id)
    route = next(obj for obj in gateway_manifests(cfg) if obj["kind"] == "HTTPRoute" and obj["spec"].get("hostnames"))
    broken = {**route, "spec": {**route["spec"], "hostname": route["spec"]["hostnames"]}}  # misspelt key
    wrong_port = {**route, "spec": {**route["spec"], "rules": [{"backendRefs": [{"name": "nginz", "port": "http"}]}]}}
    unknown = {"apiVersion": "gateway.networking.k8s.io/v9", "kind": "HTTPRoute", "metadata": {"name": "x"}}
    problems = crd_schema_problems([broken, wrong_port, unknown], list(crds(stack_id)))
    assert any("'hostname' was unexpected" in p for p in problems), problems
    assert any("rules.0.backendRefs.0.port" in p for p in problems), problems
    assert any("no CustomResourceDefinition serves gateway.networking.k8s.io/v9" in p for p in problems), problems


@pytest.mark.parametrize("stack_id", GATEWAY_STACKS)
def test_gateway_charts_render_and_serve_every_kind_the_program_creates(stack_id: str) -> None:
    cfg = stack_cfg(stack_id)
    manifests = rendered(stack_id)
    assert manifests.get("Deployment", "envoy-gateway")["spec"]["replicas"] == (2 if cfg.is_production else 1)
    assert not [obj for obj in manifests.by_release["envoy-gateway"] if obj["kind"] == "CustomResourceDefinition"]
    served = crd_schemas(list(crds(stack_id)))
    kinds = {(obj["apiVersion"], obj["kind"]) for obj in gateway_manifests(cfg)}
    assert {kind for kind in kinds if kind[0].split("/")[0] not in UNVALIDATED_GROUPS} <= set(served)


def _services(cfg: StackConfig, manifests: Manifests) -> dict[str, set[int]]:
    """Service name -> the ports it exposes, of the Services rendered in the Wire namespace (charts render no
    namespace on most objects: the release's)."""
    found: dict[str, set[int]] = {}
    for release, objects in manifests.by_release.items():
        if release_namespace(cfg, release) != cfg.kubernetes.namespace:
            continue
        for obj in objects:
            if obj.get("kind") == "Service":
                name = obj["metadata"]["name"]
                assert name not in found, f"Service {name} rendered twice"
                found[name] = {port["port"] for port in obj["spec"].get("ports") or []}
    return found


@pytest.mark.parametrize("stack_id", GATEWAY_STACKS)
def test_every_published_host_has_exactly_one_route_to_a_rendered_service(stack_id: str) -> None:
    cfg = stack_cfg(stack_id)
    services = _services(cfg, rendered(stack_id))
    objects = gateway_manifests(cfg)
    (gateway,) = [obj for obj in objects if obj["kind"] == "Gateway"]
    (certificate,) = [obj for obj in objects if obj["kind"] == "Certificate"]
    listeners = {listener["name"]: listener for listener in gateway["spec"]["listeners"]}
    routes = [obj for obj in objects if obj["kind"] == "HTTPRoute"]
    served = served_hosts(cfg)
    published = list(cfg.dns.hosts) if cfg.dns is not None else served
    for host in map(WireHost, published):
        fqdn = host_name(cfg, host)
        matching = [route for route in routes if fqdn in route["spec"].get("hostnames", [])]
        if host not in served:
            assert matching == [], f"{fqdn}: routed although no Service serves it"
            assert any(f"'{host.value}'" in warning and "routes them nowhere" in warning for warning in cfg.warnings())
            continue
        assert len(matching) == 1, f"{fqdn}: {len(matching)} routes"
        (route,) = matching
        (parent,) = route["spec"]["parentRefs"]
        assert parent["name"] == gateway["metadata"]["name"] and parent["sectionName"] == HTTPS_LISTENER
        assert listeners[HTTPS_LISTENER]["protocol"] == "HTTPS"
        assert fqdn in certificate["spec"]["dnsNames"]
        for rule in route["spec"]["rules"]:
            for ref in rule["backendRefs"]:
                assert ref["name"] in services, f"{fqdn}: Service {ref['name']} is not rendered"
                assert ref["port"] in services[ref["name"]], f"{fqdn}: {ref['name']} has no port {ref['port']}"
    # nginz-ssl goes through the Gateway exactly when cannon has no load balancer of its own.
    assert (WireHost.NGINZ_SSL in served) == (not cfg.cannon.websocket_load_balancer.enabled)


@pytest.mark.parametrize("stack_id", GATEWAY_STACKS)
def test_envoy_service_is_named_for_the_dns_target_and_annotated_for_its_load_balancer(stack_id: str) -> None:
    cfg = stack_cfg(stack_id)
    (proxy,) = [obj for obj in gateway_manifests(cfg) if obj["kind"] == "EnvoyProxy"]
    service = proxy["spec"]["provider"]["kubernetes"]["envoyService"]
    assert service["name"] == ENVOY_SERVICE and service["type"] == "LoadBalancer"
    aws = cfg.ingress.balancer == LoadBalancerKind.AWS_NLB
    annotations = service.get("annotations") or {}
    assert (annotations.get("service.beta.kubernetes.io/aws-load-balancer-type") == "external") == aws
