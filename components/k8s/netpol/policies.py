"""The NetworkPolicies of the Wire namespace: default-deny ingress and egress, then exactly the flows the releases use.

One pure function of the configuration and wire-server's values (`network_policies`); the Pulumi layer
(components/k8s/network_policies.py) only registers what it returns, and tests/render/test_network_policies.py
proves it against the real charts with an evaluator of Kubernetes' NetworkPolicy semantics.

- the entry point (Envoy Gateway's or ingress-nginx's namespace; with the operator's own controller any other
  namespace) may reach nginz, the web apps and cert-manager's HTTP-01 solvers; the public only cannon's TLS port,
  and only with cannon's own load balancer;
- a service reaches the services its ConfigMap names (facts.CALLS), nginz its upstreams;
- every pod reaches DNS; a service reaches the stores, AWS endpoints, proxy and SMTP its values name, on their
  ports (endpoints.py), STS on 443 when it has an IRSA role; never the instance metadata endpoint;
- the link-preview proxy reaches the internet on 80 and 443, but no private, link-local or metadata address.

The entry point's own namespaces get no policy from here: their proxies take public traffic on any listener and
their controllers talk to the API server, whose addresses are not known offline (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from components.config import StackConfig
from components.config.network_policies import NetworkPolicyMode
from components.k8s.netpol.endpoints import (
    HTTP_PORT,
    HTTPS_PORT,
    NAMESPACE_NAME_LABEL,
    PRIVATE_CIDRS,
    Endpoint,
    anywhere,
    job_endpoints,
    peers,
    service_endpoints,
    uses_irsa,
)
from components.k8s.netpol.facts import (
    ACME_SOLVER_LABEL,
    ACME_SOLVER_PORT,
    APP_LABEL,
    CALLS,
    CANNON_TLS_PORT,
    JOB_CALLS,
    JOB_VALUES,
    NGINZ_PORTS,
    NGINZ_UPSTREAMS,
    SERVICE_PORT,
    SERVICES,
    WEB_APP_PORT,
)
from components.k8s.values.common import (
    ACCOUNT_PAGES,
    GATEWAY_NAMESPACE,
    INGRESS_NAMESPACE,
    TEAM_SETTINGS,
    WEBAPP,
    WIRE_SERVER,
)

PREFIX = "wire-infra-"
DEFAULT_DENY = f"{PREFIX}default-deny"
DNS = f"{PREFIX}dns"
JOBS = f"{PREFIX}jobs"
WEB_APPS = f"{PREFIX}web-apps"
ACME_SOLVERS = f"{PREFIX}acme-solvers"
STORES = f"{PREFIX}self-run-stores"
EXTRA_UPSTREAMS = f"{PREFIX}extra-upstreams"
VERIFY_JOBS = f"{PREFIX}verify-jobs"
# verify's in-cluster Jobs (verify/incluster.py labels them app.kubernetes.io/name: wire-infra-verify).
VERIFY_LABEL = ("app.kubernetes.io/name", "wire-infra-verify")
DNS_PORT = 53


def enabled(cfg: StackConfig) -> bool:
    return cfg.network_policies == NetworkPolicyMode.ENFORCE and cfg.kubernetes.releases


def policy_name(service: str) -> str:
    return f"{PREFIX}{service}"


def policy_names(cfg: StackConfig) -> list[str]:
    """The names `network_policies` returns for this configuration (known without the AWS outputs)."""
    if not enabled(cfg):
        return []
    names = [DEFAULT_DENY, DNS, *(policy_name(svc) for svc in SERVICES), JOBS, STORES, ACME_SOLVERS]
    if _web_apps(cfg):
        names.append(WEB_APPS)
    if _extra_upstreams_here(cfg):
        names.append(EXTRA_UPSTREAMS)
    if cfg.verify.in_cluster:
        names.append(VERIFY_JOBS)
    return names


def _web_apps(cfg: StackConfig) -> list[str]:
    deployed = ((WEBAPP, cfg.web_apps.webapp), (TEAM_SETTINGS, cfg.web_apps.team_settings))
    return [app for app, on in (*deployed, (ACCOUNT_PAGES, cfg.web_apps.account_pages)) if on]


def _extra_upstreams_here(cfg: StackConfig) -> list[str]:
    """nginz's extra upstreams in the Wire namespace that wire-server does not deploy (their pods need an ingress)."""
    ours = set(SERVICES)
    return [up for up in cfg.nginz_extra_upstreams if up not in cfg.nginz.upstream_namespaces and up not in ours]


# --- peers and rules ----------------------------------------------------------------------------------


def _apps(apps: Iterable[str]) -> dict[str, Any]:
    return {"podSelector": {"matchExpressions": [{"key": APP_LABEL, "operator": "In", "values": sorted(set(apps))}]}}


def _app(app: str) -> dict[str, Any]:
    return {"matchLabels": {APP_LABEL: app}}


def _namespace(name: str) -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: name}}}


def _ports(ports: Iterable[int], protocol: str = "TCP") -> list[dict[str, Any]]:
    return [{"protocol": protocol, "port": port} for port in sorted(set(ports))]


def entry_peers(cfg: StackConfig) -> list[dict[str, Any]]:
    """Where the entry point's proxies run: the controllers' namespaces, or any namespace when the stack installs
    none (the operator's own controller)."""
    found = []
    if cfg.ingress.envoy_gateway:
        found.append(_namespace(GATEWAY_NAMESPACE))
    if cfg.ingress.ingress_nginx:
        found.append(_namespace(INGRESS_NAMESPACE))
    # The operator's own controller: any other namespace (not the Wire namespace, whose pods reach nginz only as
    # their policies say).
    others = {"key": NAMESPACE_NAME_LABEL, "operator": "NotIn", "values": [cfg.kubernetes.namespace]}
    return found or [{"namespaceSelector": {"matchExpressions": [others]}}]


def _endpoint_rules(endpoints: Iterable[Endpoint]) -> list[dict[str, Any]]:
    """One egress rule per distinct set of peers, with its ports."""
    by_peers: dict[str, tuple[list[dict[str, Any]], set[int]]] = {}
    for endpoint in endpoints:
        targets = peers(endpoint)
        entry = by_peers.setdefault(repr(targets), (targets, set()))
        entry[1].add(endpoint.port)
    return [{"to": targets, "ports": _ports(ports)} for _, (targets, ports) in sorted(by_peers.items())]


def _policy(
    cfg: StackConfig, name: str, selector: dict[str, Any], ingress: list[Any] | None, egress: list[Any] | None
) -> dict[str, Any]:
    spec: dict[str, Any] = {"podSelector": selector, "policyTypes": []}
    if ingress is not None:
        spec["policyTypes"].append("Ingress")
        if ingress:
            spec["ingress"] = ingress
    if egress is not None:
        spec["policyTypes"].append("Egress")
        if egress:
            spec["egress"] = egress
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": name,
            "namespace": cfg.kubernetes.namespace,
            "labels": {"app.kubernetes.io/managed-by": "wire-infra"},
        },
        "spec": spec,
    }


# --- the flows ----------------------------------------------------------------------------------------


def nginz_upstreams(cfg: StackConfig) -> dict[str, str | None]:
    """nginz's upstreams -> their namespace (None: the Wire namespace), as its values make the chart render them."""
    ignored = set(cfg.nginz_ignored_upstreams)
    names = [up for up in NGINZ_UPSTREAMS if up not in ignored] + list(cfg.nginz_extra_upstreams)
    return {up: cfg.nginz.upstream_namespaces.get(up) for up in dict.fromkeys(names)}


def callers(cfg: StackConfig) -> dict[str, set[str]]:
    """service -> the Wire services that call it (nginz included)."""
    found: dict[str, set[str]] = {svc: set() for svc in SERVICES}
    for caller, callees in CALLS.items():
        for callee in callees:
            found.setdefault(callee, set()).add(caller)
    for upstream, namespace in nginz_upstreams(cfg).items():
        if namespace is None:
            found.setdefault(upstream, set()).add("nginz")
    return found


def outside_endpoints(cfg: StackConfig, values: Mapping[str, Any], service: str) -> set[Endpoint]:
    tree = values.get(service) or {}
    found = service_endpoints(tree.get("config") or {})
    if uses_irsa(tree):
        # STS's regional endpoint, for the web identity token (the SDK's default host, not in the config).
        found.add(Endpoint(f"sts.{cfg.region}.amazonaws.com", HTTPS_PORT, "sts"))
    return found


def _service_policy(cfg: StackConfig, values: Mapping[str, Any], service: str, calling: set[str]) -> dict[str, Any]:
    ingress: list[dict[str, Any]] = []
    if calling:
        ingress.append({"from": [_apps(calling)], "ports": _ports([SERVICE_PORT])})
    jobs = [job for job, callees in JOB_CALLS.items() if service in callees]
    if jobs:
        ingress.append({"from": [_apps(jobs)], "ports": _ports([SERVICE_PORT])})
    egress: list[dict[str, Any]] = []
    callees = [callee for callee in CALLS.get(service, ()) if callee in SERVICES]
    if callees:
        egress.append({"to": [_apps(callees)], "ports": _ports([SERVICE_PORT])})
    if service == "nginz":
        ingress.append({"from": entry_peers(cfg), "ports": _ports(NGINZ_PORTS)})
        here = [up for up, ns in nginz_upstreams(cfg).items() if ns is None]
        if here:
            egress.append({"to": [_apps(here)], "ports": _ports([SERVICE_PORT])})
        for upstream, namespace in sorted((up, ns) for up, ns in nginz_upstreams(cfg).items() if ns is not None):
            target = {**_namespace(namespace), "podSelector": _app(upstream)}
            egress.append({"to": [target], "ports": _ports([SERVICE_PORT])})
    if service == "cannon" and cfg.cannon.websocket_load_balancer.enabled:
        # cannon's own load balancer: public by design (the guide's websocket alternative to the ingress).
        ingress.append({"from": [anywhere()], "ports": _ports([CANNON_TLS_PORT])})
    egress += _endpoint_rules(outside_endpoints(cfg, values, service))
    if service == "proxy":
        # Link previews: the URLs users post, on the internet only.
        egress.append({"to": [anywhere(*PRIVATE_CIDRS)], "ports": _ports([HTTP_PORT, HTTPS_PORT])})
    return _policy(cfg, policy_name(service), _app(service), ingress, egress)


def store_clients(cfg: StackConfig, values: Mapping[str, Any]) -> dict[Endpoint, set[str]]:
    """Every store host in the Wire namespace -> the services that use it (for the store pods' ingress)."""
    found: dict[Endpoint, set[str]] = {}
    for service in SERVICES:
        for endpoint in outside_endpoints(cfg, values, service):
            if endpoint.in_namespace:
                found.setdefault(endpoint, set()).add(service)
    return found


def _jobs_selector() -> dict[str, Any]:
    return {
        "matchLabels": {"release": WIRE_SERVER},
        "matchExpressions": [{"key": APP_LABEL, "operator": "NotIn", "values": sorted(SERVICES)}],
    }


def network_policies(cfg: StackConfig, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The NetworkPolicy manifests of the Wire namespace; `values`: wire-server's values tree. Empty when off."""
    if not enabled(cfg):
        return []
    everything: dict[str, Any] = {}
    manifests = [
        _policy(cfg, DEFAULT_DENY, everything, [], []),
        _policy(
            cfg,
            DNS,
            everything,
            None,
            [
                {
                    "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                    "ports": _ports([DNS_PORT], "UDP") + _ports([DNS_PORT], "TCP"),
                }
            ],
        ),
    ]
    calling = callers(cfg)
    manifests += [_service_policy(cfg, values, svc, calling.get(svc, set())) for svc in SERVICES]
    job_stores = set().union(*(job_endpoints(values, job) for job in JOB_VALUES))
    job_callees = sorted({callee for callees in JOB_CALLS.values() for callee in callees})
    job_egress = [{"to": [_apps(job_callees)], "ports": _ports([SERVICE_PORT])}, *_endpoint_rules(job_stores)]
    manifests.append(_policy(cfg, JOBS, _jobs_selector(), [], job_egress))
    stores = store_clients(cfg, values)
    store_ingress = [
        {"from": [_apps(clients)], "ports": _ports([endpoint.port])} for endpoint, clients in sorted(stores.items())
    ]
    if any(endpoint.in_namespace for endpoint in job_stores):
        jobs_peer = {"podSelector": _jobs_selector()}
        ports = sorted({endpoint.port for endpoint in job_stores if endpoint.in_namespace})
        store_ingress.append({"from": [jobs_peer], "ports": _ports(ports)})
    if cfg.verify.in_cluster and stores:
        # verify's data-store Job connects as the services do.
        verify_peer = {"podSelector": {"matchLabels": dict([VERIFY_LABEL])}}
        store_ingress.append({"from": [verify_peer], "ports": _ports(endpoint.port for endpoint in stores)})
    manifests.append(_policy(cfg, STORES, everything, store_ingress, None))
    manifests.append(
        _policy(
            cfg,
            ACME_SOLVERS,
            {"matchExpressions": [{"key": ACME_SOLVER_LABEL, "operator": "Exists"}]},
            [{"from": entry_peers(cfg), "ports": _ports([ACME_SOLVER_PORT])}],
            None,
        )
    )
    web_apps = _web_apps(cfg)
    if web_apps:
        ingress = [{"from": entry_peers(cfg), "ports": _ports([WEB_APP_PORT])}]
        manifests.append(_policy(cfg, WEB_APPS, _apps(web_apps)["podSelector"], ingress, None))
    extra = _extra_upstreams_here(cfg)
    if extra:
        ingress = [{"from": [{"podSelector": _app("nginz")}], "ports": _ports([SERVICE_PORT])}]
        manifests.append(_policy(cfg, EXTRA_UPSTREAMS, _apps(extra)["podSelector"], ingress, None))
    if cfg.verify.in_cluster:
        # verify's probes reach what the services reach, as the services do.
        probed = set().union(*(outside_endpoints(cfg, values, svc) for svc in SERVICES))
        selector = {"matchLabels": dict([VERIFY_LABEL])}
        manifests.append(_policy(cfg, VERIFY_JOBS, selector, None, _endpoint_rules(probed)))
    return manifests
