"""What every release's values share: release names, the extraValues merge, hostnames, the proxy
environment, a service's AWS identity and the database endpoints.
"""

from __future__ import annotations

import re
from typing import Any

from components.config import ChartSource, CredentialsMode, PushMode, StackConfig, WireHost
from components.outputs import AwsOutputs
from components.trees import deep_merge, fill_missing

# Release names (helm release = Pulumi resource name) and the `extraValues` key of each.
WIRE_SERVER = "wire-server"
NGINX_INGRESS_SERVICES = "nginx-ingress-services"
TEAM_SETTINGS = "team-settings"
ACCOUNT_PAGES = "account-pages"
INGRESS_NGINX = "ingress-nginx"
METALLB = "metallb"
WEBAPP = "webapp"
ENVOY_GATEWAY = "envoy-gateway"
GATEWAY_CRDS = "gateway-crds"

EXTRA_VALUES_KEY = {
    WIRE_SERVER: "wireServer",
    NGINX_INGRESS_SERVICES: "nginxIngressServices",
    TEAM_SETTINGS: "teamSettings",
    ACCOUNT_PAGES: "accountPages",
    INGRESS_NGINX: "ingressNginx",
    METALLB: "metallb",
    WEBAPP: "webapp",
    ENVOY_GATEWAY: "envoyGateway",
    GATEWAY_CRDS: "gatewayCrds",
}

INGRESS_NAMESPACE = "ingress-nginx"
METALLB_NAMESPACE = "metallb-system"
# Envoy Gateway's controller and the Envoy proxies it runs (and their LoadBalancer Service).
GATEWAY_NAMESPACE = "envoy-gateway-system"
# The Gateway of the Gateway API entry point (in kubernetes.namespace) and its plain-HTTP listener.
GATEWAY = "wire"
HTTP_LISTENER = "http"


def release_namespace(cfg: StackConfig, release: str) -> str:
    """The entry point has namespaces of its own; every Wire release goes to kubernetes.namespace."""
    own = {
        INGRESS_NGINX: INGRESS_NAMESPACE,
        METALLB: METALLB_NAMESPACE,
        ENVOY_GATEWAY: GATEWAY_NAMESPACE,
        GATEWAY_CRDS: GATEWAY_NAMESPACE,
    }
    return own.get(release, cfg.kubernetes.namespace)


def release_chart(cfg: StackConfig, release: str) -> ChartSource:
    """The chart of a release: `wire:charts.<its extraValues key>`."""
    attribute = re.sub(r"(?<!^)([A-Z])", r"_\1", EXTRA_VALUES_KEY[release]).lower()
    return getattr(cfg.charts, attribute)


# Services inside the release that talk to each other over plain cluster DNS names: these must never
# go through the outbound proxy. (cannon's pods are added per replica, see no_proxy_list.)
CLUSTER_SERVICES = (
    "brig",
    "cannon",
    "cargohold",
    "galley",
    "gundeck",
    "spar",
    "federator",
    "nginz",
    "proxy",
    "background-worker",
    "legalhold",
)


# --- helpers ---------------------------------------------------------------------------------------


def with_extra_values(
    cfg: StackConfig, release: str, values: dict[str, Any], fillers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The computed values over the operator's layered files, and the operator's extraValues over both.

    `fillers`: values a chart needs set but no service reads as configured (e.g. nginz's basicAuth with env
    prod); they go under the operator's layered files, so an operator's own value is kept, not reported."""
    key = EXTRA_VALUES_KEY[release]
    layered = cfg.layered_values.tree(key)
    if layered:
        values = deep_merge(layered, values)
    if fillers:
        values = fill_missing(values, fillers)
    # The operator's raw values win over everything computed here (the escape hatch for unmodelled keys).
    extra = cfg.extra_values.get(key)
    return deep_merge(values, extra) if extra else values


def layering_warning(cfg: StackConfig, release: str, final: dict[str, Any]) -> str | None:
    """Every key where the operator's layered files say something else than the release gets, once, grouped by
    the side that wins: the computed values, the operator's wire:extraValues, or a secret set in the stack."""
    from components.config.layered import conflict_paths, has_path

    key = EXTRA_VALUES_KEY.get(release)
    layered = cfg.layered_values.tree(key) if key else None
    overridden = conflict_paths(layered, final) if layered else []
    if not overridden:
        return None
    extra = cfg.extra_values.get(key) if key else None
    by_extra = [path for path in overridden if extra and has_path(extra, path)]
    # A stack secret set on purpose (a computed AWS key is the computed side's: it follows from the AWS resources).
    by_secret = [
        path
        for path in overridden
        if path not in by_extra and "secrets" in path and path[-1] not in ("awsKeyId", "awsSecretKey")
    ]
    computed = [path for path in overridden if path not in by_extra and path not in by_secret]

    def joined(paths: list[tuple[str, ...]]) -> str:
        return ", ".join(".".join(path) for path in paths)

    parts = []
    if computed:
        parts.append(
            f"the computed values replace these keys of your layered values files: {joined(computed)} (they follow "
            "from the stack's configuration and its AWS resources; check each; set the value in wire:extraValues "
            "only if yours must win)"
        )
    if by_secret:
        parts.append(
            f"the stack's own secrets (pulumi config --secret) win over your layered files for: {joined(by_secret)} "
            "(remove the stack's secret to keep the one in your file)"
        )
    if by_extra:
        parts.append(f"your wire:extraValues win over your layered files for: {joined(by_extra)}")
    return f"{release}: " + "; ".join(parts)


def set_if(target: dict[str, Any], key: str, value: Any) -> None:
    # Unset secrets and optional outputs are omitted, never written as "" or null: an empty
    # awsKeyId breaks the pods (the chart tests `hasKey`), a null map fails `required`.
    if value is not None:
        target[key] = value


def host_name(cfg: StackConfig, host: WireHost | str) -> str:
    return f"{WireHost(host).value}.{cfg.domain}"


def https_url(cfg: StackConfig, host: WireHost | str, path: str = "") -> str:
    return f"https://{host_name(cfg, host)}{path}"


def websocket_host(cfg: StackConfig) -> str:
    """The hostname clients open websockets on: cannon's own load balancer, or nginz-ssl behind the ingress."""
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.hostname:
        return wslb.hostname
    return host_name(cfg, WireHost.NGINZ_SSL)


# --- proxy ----------------------------------------------------------------------------------------


def no_proxy_list(cfg: StackConfig) -> list[str]:
    """Hosts the services reach directly, never through the outbound proxy; deterministic, no duplicates.

    The guide's list assumes namespace `default` (`cannon-0.cannon.default`) and lists fake-aws hosts;
    here the cannon pod names follow the namespace and replica count, and fake-aws never appears.
    """
    ns = cfg.kubernetes.namespace
    entries = ["localhost", "127.0.0.1"]
    entries += list(CLUSTER_SERVICES)
    entries += [f"{service}.{ns}" for service in CLUSTER_SERVICES]
    entries.append(f".{ns}.svc.cluster.local")
    # cannon is a StatefulSet behind a headless service: gundeck pushes to each pod by name.
    entries += [f"cannon-{index}.cannon.{ns}" for index in range(cfg.replicas.cannon)]
    # Upstreams nginz routes to in other namespaces (e.g. ibis.integrations) are cluster-internal too.
    for upstream, upstream_ns in sorted(cfg.nginz.upstream_namespaces.items()):
        entries += [upstream, f"{upstream}.{upstream_ns}", f".{upstream_ns}.svc.cluster.local"]
    entries += cfg.databases.hosts()
    entries += managed_store_domains(cfg)
    entries += cfg.proxy.no_proxy
    # fake-aws does not exist with real AWS; a stale entry copied from the guide is dropped.
    return [entry for entry in dict.fromkeys(entries) if not entry.startswith("fake-aws")]


def managed_store_domains(cfg: StackConfig) -> list[str]:
    """The DNS suffixes of the managed stores' endpoints (known before the stores exist)."""
    region = cfg.region
    suffixes = {
        "postgresql": [f".{region}.rds.amazonaws.com"],
        "redis": [".cache.amazonaws.com"],
        # Amazon MQ names brokers under either domain, depending on when the broker was created.
        "rabbitmq": [f".mq.{region}.amazonaws.com", f".mq.{region}.on.aws"],
        "elasticsearch": [f".{region}.es.amazonaws.com"],
    }
    return [suffix for store in cfg.databases.managed_stores() for suffix in suffixes[store]]


def proxy_env(cfg: StackConfig) -> dict[str, Any]:
    env: dict[str, Any] = {}
    set_if(env, "httpProxy", cfg.proxy.http_proxy)
    set_if(env, "httpsProxy", cfg.proxy.https_proxy)
    env["noProxyList"] = no_proxy_list(cfg)
    return env


def proxied(cfg: StackConfig, service: str) -> bool:
    return cfg.proxy.enabled and service in cfg.proxy.services


def set_proxy_env(cfg: StackConfig, service: str, config: dict[str, Any]) -> None:
    """`config.proxy` of a service the operator sends through the outbound proxy (`proxy.services`)."""
    if proxied(cfg, service):
        config["proxy"] = proxy_env(cfg)


# --- identity -------------------------------------------------------------------------------------


def service_identity(cfg: StackConfig, aws: AwsOutputs, service: str, values: dict[str, Any]) -> None:
    """IRSA role annotation or static access keys for one of brig, galley, gundeck, cargohold."""
    external_push = service == "gundeck" and cfg.push.mode == PushMode.EXTERNAL
    if cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS or external_push:
        # Wire's push account is only reachable with the key Wire sent, even when the rest uses IRSA.
        key = aws.access_keys.get(service)
        if key is None:
            raise ValueError(f"no access key for {service} in the AWS outputs (static keys / external push)")
        secrets = values.setdefault("secrets", {})
        secrets["awsKeyId"] = key.key_id
        secrets["awsSecretKey"] = key.secret
        return
    role = aws.role_arns.get(service)
    if role is None:
        raise ValueError(f"no IAM role for {service} in the AWS outputs (IRSA)")
    values["serviceAccount"] = {"annotations": {"eks.amazonaws.com/role-arn": role}}


# --- databases ------------------------------------------------------------------------------------


def db_endpoint(host: str | None, port: int | None) -> dict[str, Any]:
    # A managed store has no host in the config: components/k8s/values/datastores.py sets its address.
    entry: dict[str, Any] = {}
    set_if(entry, "host", host)
    set_if(entry, "port", port)
    return entry


def cassandra_endpoint(cfg: StackConfig) -> dict[str, Any]:
    return db_endpoint(cfg.databases.cassandra.host, cfg.databases.cassandra.port)


def rabbitmq_endpoint(cfg: StackConfig) -> dict[str, Any]:
    return db_endpoint(cfg.databases.rabbitmq.host, cfg.databases.rabbitmq.port)


def postgresql_endpoint(cfg: StackConfig) -> dict[str, Any]:
    pg = cfg.databases.postgresql
    # The chart renders the port into a libpq connection string: a string, as in its defaults.
    return {**db_endpoint(pg.host, None), "port": str(pg.port or 5432), "user": pg.user, "dbname": pg.dbname}


def _rabbitmq_secret(cfg: StackConfig) -> dict[str, Any]:
    secret: dict[str, Any] = {}
    set_if(secret, "username", cfg.databases.rabbitmq.username)
    set_if(secret, "password", cfg.databases.rabbitmq.password)
    return secret


def database_secrets(cfg: StackConfig, *, postgres: bool) -> dict[str, Any]:
    secrets: dict[str, Any] = {}
    rabbitmq = _rabbitmq_secret(cfg)
    if rabbitmq:
        secrets["rabbitmq"] = rabbitmq
    if postgres:
        set_if(secrets, "pgPassword", cfg.databases.postgresql.password)
    return secrets
