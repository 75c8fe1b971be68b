"""The NetworkPolicies of every stack and variant, proven against the real charts with Kubernetes' semantics.

The flow matrix is read from the rendered objects alone, independently of components/k8s/netpol: every
`{host, port}` and endpoint URL in a service's ConfigMap, the hook Jobs' arguments, nginz's upstream servers, the
proxy environment, the entry point's routes (HTTPRoutes, or the Ingress ingress-nginx serves), cannon's own load
balancer, DNS and STS for pods with an IRSA role. The one flow no rendered object names is gundeck's push to each
cannon pod (by pod name, see no_proxy_list). tests/netpol_eval.py evaluates the policies:

- every needed flow is allowed, without relying on ipBlocks matching pod addresses;
- between wire-server's services exactly the needed flows are allowed (the chart facts are not a hand list);
- the forbidden flows are denied even where ipBlocks match pod addresses.

Evaluated once per stack (functools.cache), then asserted per stack.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from components import yaml_text
from components.k8s.netpol.endpoints import IRSA_ANNOTATION
from components.k8s.netpol.facts import ACME_SOLVER_LABEL, ACME_SOLVER_PORT, NOT_DEPLOYED
from components.k8s.netpol.policies import DEFAULT_DENY, enabled
from components.k8s.values import gateway_manifests
from components.k8s.values.common import GATEWAY_NAMESPACE, INGRESS_NAMESPACE, WIRE_SERVER, release_namespace
from tests.netpol_eval import Address, Cluster, ContainerPort, Endpoint, Pod, pods_of
from tests.render.render_support import NETWORK_POLICIES, STACK_IDS, rendered, stack_cfg, workloads

METADATA = Address("169.254.169.254")
PUBLIC_CLIENT = Address("198.51.100.200")
PRIVATE_ADDRESS = Address("10.20.30.40")
KUBE_DNS = Pod("coredns", "kube-system", {"k8s-app": "kube-dns"}, (ContainerPort(53, "dns", "UDP"), ContainerPort(53)))
OTHER_NAMESPACE_POD = Pod("intruder", "default", {"app": "intruder"}, (), "10.3.0.9")
LOCAL_HOSTS = ("0.0.0.0", "localhost", "127.0.0.1")
WEB_APPS = ("webapp", "team-settings", "account-pages")


@dataclass(frozen=True)
class Flow:
    source: Endpoint
    destination: Endpoint
    port: int
    protocol: str
    why: str

    def __str__(self) -> str:
        return f"{_name(self.source)} -> {_name(self.destination)}:{self.port}/{self.protocol} ({self.why})"


def _name(endpoint: Endpoint) -> str:
    return f"{endpoint.namespace}/{endpoint.name}" if isinstance(endpoint, Pod) else endpoint.ip


@dataclass
class World:
    namespace: str
    cluster: Cluster
    pods: list[Pod]
    needed: list[Flow] = field(default_factory=list)
    forbidden: list[Flow] = field(default_factory=list)
    services: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def pod(self, name: str, namespace: str | None = None) -> Pod | None:
        wanted = namespace or self.namespace
        return next((pod for pod in self.pods if pod.name == name and pod.namespace == wanted), None)

    def selected(self, namespace: str, selector: Mapping[str, str]) -> list[Pod]:
        return [
            pod
            for pod in self.pods
            if pod.namespace == namespace and selector and all(pod.labels.get(k) == v for k, v in selector.items())
        ]

    def backends(self, namespace: str, service: str, port: int | str) -> list[tuple[Pod, int]]:
        """The pods and container ports a Service port leads to (targetPort by number or by name)."""
        svc = self.services.get((namespace, service))
        if svc is None:
            return []
        found = []
        for entry in svc["spec"].get("ports") or []:
            if port not in (entry.get("port"), entry.get("name")):
                continue
            target = entry.get("targetPort", entry["port"])
            for pod in self.selected(namespace, svc["spec"].get("selector") or {}):
                if isinstance(target, int):
                    found.append((pod, target))
                else:
                    found += [(pod, p.port) for p in pod.ports if p.name == target]
        return found

    def address_of(self, host: str) -> list[Endpoint]:
        """A host outside the Services: an address (a name gets a stand-in public one) and, for a bare name, a store
        pod in the Wire namespace (wire-server-deploy's databases-ephemeral runs there)."""
        try:
            ipaddress.ip_address(host)
            return [Address(host)]
        except ValueError:
            pass
        digest = int(hashlib.sha256(host.encode()).hexdigest(), 16)
        found: list[Endpoint] = [Address(f"203.0.113.{digest % 250 + 1}")]
        if "." not in host:
            store = self.pod(host)
            if store is None:
                store = Pod(host, self.namespace, {"app": host}, (), f"10.2.0.{digest % 250 + 1}")
                self.pods.append(store)
            found.append(store)
        return found

    def connect(self, source: Pod, host: str, port: int, why: str) -> None:
        """A flow from `source` to a host by name: a Service of the namespace, or an outside host."""
        if host in LOCAL_HOSTS or host in NOT_DEPLOYED:
            return
        namespace = self.namespace
        match = re.fullmatch(r"([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local", host)
        if match:
            host, namespace = match.groups()
        if (namespace, host) in self.services:
            backends = self.backends(namespace, host, port)
            assert backends, f"{why}: Service {namespace}/{host} has no pod behind port {port}"
            self.needed += [Flow(source, pod, target, "TCP", why) for pod, target in backends]
            return
        if match:
            # An upstream in another namespace that this stack does not deploy: Wire's charts label pods app=<name>.
            pod = Pod(host, namespace, {"app": host}, (ContainerPort(port),), "10.4.0.7")
            self.pods.append(pod)
            self.needed.append(Flow(source, pod, port, "TCP", why))
            return
        self.needed += [Flow(source, target, port, "TCP", why) for target in self.address_of(host)]


def _walk(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(tree, Mapping):
        yield path, tree
        for key, value in tree.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _walk(value, f"{path}[{index}]")
    else:
        yield path, tree


def _url_flow(world: World, source: Pod, url: str, why: str) -> None:
    parts = urlsplit(url)
    if parts.hostname:
        world.connect(source, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), why)


def _config_flows(world: World, manifests: Any, source: Pod) -> None:
    configmap = manifests.find("ConfigMap", source.name)
    text = ((configmap or {}).get("data") or {}).get(f"{source.name}.yaml")
    if text is None:
        return
    for path, node in _walk(yaml_text.load(text)):
        if isinstance(node, Mapping) and "host" in node and "port" in node:
            world.connect(source, str(node["host"]), int(node["port"]), f"{source.name}.yaml {path}")
        key = path.rsplit(".", 1)[-1]
        if isinstance(node, str) and "://" in node and key.lower().endswith("endpoint") and key != "s3DownloadEndpoint":
            _url_flow(world, source, node, f"{source.name}.yaml {path}")
        if isinstance(node, str) and path.endswith("elasticsearch.url"):
            _url_flow(world, source, node, f"{source.name}.yaml {path}")


def _pod_template(workload: Mapping[str, Any]) -> Mapping[str, Any]:
    return workload["spec"]["template"]["spec"]


def _job_flows(world: World, source: Pod, spec: Mapping[str, Any]) -> None:
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        tokens = [str(token) for token in [*(container.get("command") or []), *(container.get("args") or [])]]
        for index, token in enumerate(tokens[:-1]):
            if token.startswith("--") and "host" in token:
                port_flag = token.replace("host", "port")
                port = tokens[tokens.index(port_flag) + 1] if port_flag in tokens else None
                assert port is not None, f"{source.name}: {token} without {port_flag}"
                world.connect(source, tokens[index + 1], int(port), f"job {source.name} {token}")
            if token == "--elasticsearch-server":
                _url_flow(world, source, tokens[index + 1], f"job {source.name} {token}")
            if token == "--pg-settings":
                settings = json.loads(tokens[index + 1])
                world.connect(source, settings["host"], int(settings.get("port", 5432)), f"job {source.name} {token}")


def _env_flows(world: World, source: Pod, spec: Mapping[str, Any]) -> None:
    for container in spec.get("containers") or []:
        for item in container.get("env") or []:
            if item["name"].lower() in ("http_proxy", "https_proxy") and item.get("value"):
                _url_flow(world, source, item["value"], f"{source.name} env {item['name']}")


def _entry_pods(world: World, cfg: Any) -> list[Pod]:
    found = []
    if cfg.ingress.envoy_gateway:
        # Envoy Gateway creates the proxy pods at run time (the EnvoyProxy's Deployment), in its namespace.
        envoy = Pod("envoy-wire", GATEWAY_NAMESPACE, {"app.kubernetes.io/name": "envoy"}, (), "10.5.0.2")
        world.pods.append(envoy)
        found.append(envoy)
    if cfg.ingress.ingress_nginx:
        controller = next(pod for pod in world.pods if pod.namespace == INGRESS_NAMESPACE and "controller" in pod.name)
        found.append(controller)
    if not found:
        operator = Pod("operators-controller", "operator-ingress", {"app": "ingress"}, (), "10.6.0.2")
        world.pods.append(operator)
        found.append(operator)
    return found


def _routes(world: World, cfg: Any, manifests: Any, entry: list[Pod]) -> None:
    backends: list[tuple[str, int | str, str]] = []
    if cfg.ingress.envoy_gateway:
        for route in (m for m in gateway_manifests(cfg) if m["kind"] == "HTTPRoute"):
            for rule in route["spec"].get("rules") or []:
                backends += [
                    (ref["name"], ref["port"], f"HTTPRoute {route['metadata']['name']}")
                    for ref in rule.get("backendRefs") or []
                ]
    if cfg.ingress.ingress_nginx or not cfg.ingress.any_controller:
        for ingress in manifests.of_kind("Ingress"):
            for rule in ingress["spec"].get("rules") or []:
                for path in rule["http"]["paths"]:
                    service = path["backend"]["service"]
                    port = service["port"].get("number", service["port"].get("name"))
                    backends.append((service["name"], port, f"Ingress {rule['host']}"))
    for service, port, why in backends:
        targets = world.backends(world.namespace, service, port)
        assert targets, f"{why}: {service}:{port} has no pod"
        world.needed += [Flow(source, pod, target, "TCP", why) for source in entry for pod, target in targets]


def _service_accounts(manifests: Any) -> dict[str, bool]:
    return {
        sa["metadata"]["name"]: IRSA_ANNOTATION in (sa["metadata"].get("annotations") or {})
        for sa in manifests.of_kind("ServiceAccount")
    }


@functools.cache
def world(stack_id: str) -> World:
    cfg = stack_cfg(stack_id)
    manifests = rendered(stack_id)
    namespace = cfg.kubernetes.namespace
    world = World(namespace, Cluster(manifests.by_release[NETWORK_POLICIES]), [])
    for release, objects in manifests.by_release.items():
        if release == NETWORK_POLICIES:
            continue
        where = release_namespace(cfg, release)
        world.pods += pods_of((w for w in workloads_of(objects)), where)
        for obj in objects:
            if obj.get("kind") == "Service":
                world.services[(where, obj["metadata"]["name"])] = obj
    # Pods of charts not available offline (webapp, team-settings): as their Service selects them.
    for (where, _), svc in list(world.services.items()):
        selector = svc["spec"].get("selector") or {}
        if where == namespace and selector.get("app") in WEB_APPS and not world.selected(where, selector):
            ports = tuple(
                ContainerPort(p["targetPort"]) for p in svc["spec"]["ports"] if isinstance(p.get("targetPort"), int)
            )
            world.pods.append(Pod(selector["app"], where, dict(selector), ports, "10.7.0.3"))
    solver = Pod(
        "cm-acme-http-solver", namespace, {ACME_SOLVER_LABEL: "true"}, (ContainerPort(ACME_SOLVER_PORT, "http"),)
    )
    world.pods.append(solver)

    wire_pods = [pod for pod in world.pods if pod.namespace == namespace]
    irsa = _service_accounts(manifests)
    for workload in workloads_of(manifests.by_release.get(WIRE_SERVER, [])):
        source = world.pod(workload["metadata"]["name"])
        assert source is not None
        spec = _job_template_spec(workload)
        _config_flows(world, manifests, source)
        _env_flows(world, source, spec)
        if workload["kind"] == "Job":
            _job_flows(world, source, spec)
        if irsa.get(spec.get("serviceAccountName", "")):
            world.connect(source, f"sts.{cfg.region}.amazonaws.com", 443, "IRSA: STS")
    nginz = world.pod("nginz")
    if nginz is not None:
        conf = manifests.config_text("nginz", "nginx.conf")
        for host, port in re.findall(r"^\s*server\s+([a-z0-9.-]+):(\d+)", conf, re.MULTILINE):
            world.connect(nginz, host, int(port), "nginz upstream")
    gundeck, cannon = world.pod("gundeck"), world.pod("cannon")
    if gundeck is not None and cannon is not None:
        world.needed.append(Flow(gundeck, cannon, 8080, "TCP", "gundeck pushes to cannon-<n>.cannon.<ns>"))

    entry = _entry_pods(world, cfg)
    _routes(world, cfg, manifests, entry)
    world.needed += [Flow(source, solver, ACME_SOLVER_PORT, "TCP", "HTTP-01 challenge") for source in entry]
    for svc in manifests.of_kind("Service"):
        if (
            svc["spec"].get("type") in ("LoadBalancer", "NodePort")
            and (namespace, svc["metadata"]["name"]) in world.services
        ):
            for entry_port in svc["spec"]["ports"]:
                for pod, target in world.backends(namespace, svc["metadata"]["name"], entry_port["port"]):
                    world.needed.append(
                        Flow(PUBLIC_CLIENT, pod, target, "TCP", f"{svc['metadata']['name']} load balancer")
                    )
    for pod in wire_pods:
        world.needed += [Flow(pod, KUBE_DNS, 53, protocol, "DNS") for protocol in ("UDP", "TCP")]
    world.pods += [KUBE_DNS, OTHER_NAMESPACE_POD]

    brig = world.pod("brig")
    assert brig is not None
    for pod in wire_pods:
        world.forbidden += [Flow(pod, METADATA, port, "TCP", "instance metadata") for port in (80, 443)]
    for app in WEB_APPS:
        web = world.pod(app)
        if web is None:
            continue
        cassandra = world.address_of(cfg.databases.cassandra.host or "cassandra-external")
        world.forbidden += [Flow(web, target, 9042, "TCP", f"{app} to Cassandra") for target in cassandra]
        world.forbidden.append(Flow(web, brig, 8080, "TCP", f"{app} to brig"))
    proxy = world.pod("proxy")
    if proxy is not None:
        world.forbidden.append(Flow(proxy, brig, 8080, "TCP", "link previews to brig's internal API"))
        world.forbidden.append(Flow(proxy, PRIVATE_ADDRESS, 443, "TCP", "link previews to a private address"))
    world.forbidden.append(Flow(PUBLIC_CLIENT, brig, 8080, "TCP", "the internet to brig"))
    world.forbidden.append(Flow(OTHER_NAMESPACE_POD, brig, 8080, "TCP", "another namespace to brig"))
    return world


def workloads_of(objects: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    class _Objects:
        def all(self) -> list[dict[str, Any]]:
            return objects

    return workloads(_Objects())  # type: ignore[arg-type]


def _job_template_spec(workload: Mapping[str, Any]) -> Mapping[str, Any]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return _pod_template(workload)


POLICY_STACKS = [stack_id for stack_id in STACK_IDS if enabled(stack_cfg(stack_id))]


@pytest.mark.parametrize("stack_id", POLICY_STACKS)
def test_every_needed_flow_is_allowed(stack_id: str) -> None:
    found = world(stack_id)
    assert found.needed
    denied = [
        str(flow)
        for flow in found.needed
        if not found.cluster.allowed(flow.source, flow.destination, flow.port, flow.protocol)
    ]
    assert denied == []


@pytest.mark.parametrize("stack_id", POLICY_STACKS)
def test_forbidden_flows_are_denied(stack_id: str) -> None:
    found = world(stack_id)
    permissive = Cluster(found.cluster.policies, ip_blocks_match_pods=True)
    allowed = [str(f) for f in found.forbidden if permissive.allowed(f.source, f.destination, f.port, f.protocol)]
    assert allowed == []


@pytest.mark.parametrize("stack_id", POLICY_STACKS)
def test_only_the_rendered_flows_between_wire_services(stack_id: str) -> None:
    found = world(stack_id)
    services = [
        pod for pod in found.pods if pod.namespace == found.namespace and pod.labels.get("release") == WIRE_SERVER
    ]
    needed = {(f.source, f.destination, f.port) for f in found.needed}
    extra = []
    for source in services:
        for destination in services:
            for port in sorted({p.port for p in destination.ports}):
                if (
                    source != destination
                    and found.cluster.allowed(source, destination, port)
                    and (source, destination, port) not in needed
                ):
                    extra.append(f"{source.name} -> {destination.name}:{port}")
    assert extra == []


@pytest.mark.parametrize("stack_id", POLICY_STACKS)
def test_every_pod_of_the_namespace_is_under_default_deny(stack_id: str) -> None:
    found = world(stack_id)
    deny = [p for p in found.cluster.policies if p["metadata"]["name"] == DEFAULT_DENY]
    assert len(deny) == 1 and deny[0]["spec"]["podSelector"] == {}
    assert sorted(deny[0]["spec"]["policyTypes"]) == ["Egress", "Ingress"]
