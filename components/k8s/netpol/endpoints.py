"""Where a Wire pod connects outside its namespace, read from the wire-server values: data stores, AWS endpoints,
the outbound HTTP(S) proxy and SMTP, as (host, port) pairs, and the NetworkPolicy peers a host becomes.

A hostname cannot be a NetworkPolicy peer (policies match addresses after DNS and Service translation), so a
named host is allowed on its port alone: to any address but the instance metadata endpoint, and, when the name is
a Service's (`redis-ephemeral`, `es.databases`, `x.ns.svc.cluster.local`), to the pods of that namespace (a store
run in Kubernetes, e.g. wire-server-deploy's databases-ephemeral). An IP address is allowed as itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from components.k8s.netpol.facts import STORE_KEYS

# The instance metadata endpoint: no Wire pod needs it (IRSA and static keys never read it), and from a pod it hands
# out the node's role.
METADATA_CIDR = "169.254.169.254/32"
# The private and link-local ranges the link-preview proxy must never fetch from (it fetches URLs users post).
PRIVATE_CIDRS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8")
ANY_IPV4 = "0.0.0.0/0"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
# STS (AssumeRoleWithWebIdentity, IRSA) and every AWS API the services call without an endpoint override.
HTTPS_PORT = 443
HTTP_PORT = 80
RABBITMQ_MANAGEMENT_PORT = 15672


@dataclass(frozen=True, order=True)
class Endpoint:
    host: str
    port: int
    what: str

    @property
    def is_address(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True

    @property
    def in_namespace(self) -> bool:
        """A bare Service name: a store in the Wire namespace itself."""
        return not self.is_address and "." not in self.host


def anywhere(*excluded: str) -> dict[str, Any]:
    """Any IPv4 address but the metadata endpoint (and `excluded`)."""
    return {"ipBlock": {"cidr": ANY_IPV4, "except": sorted({METADATA_CIDR, *excluded})}}


def cluster_namespace(host: str) -> str | None:
    """The namespace a Service name points into: `<svc>.<ns>`, `<svc>.<ns>.svc` or `<svc>.<ns>.svc.cluster.local`."""
    parts = host.split(".")
    if len(parts) == 2 or (len(parts) >= 3 and parts[2:] in (["svc"], ["svc", "cluster", "local"])):
        return parts[1]
    return None


def peers(endpoint: Endpoint) -> list[dict[str, Any]]:
    """The NetworkPolicy peers of a host: an address as itself; a name as any outside address and, when it names a
    Service, the pods of its namespace (a bare name: the Wire namespace)."""
    if endpoint.is_address:
        suffix = "/128" if ":" in endpoint.host else "/32"
        return [{"ipBlock": {"cidr": f"{endpoint.host}{suffix}"}}]
    if endpoint.in_namespace:
        return [anywhere(), {"podSelector": {}}]
    namespace = cluster_namespace(endpoint.host)
    if namespace is not None:
        return [anywhere(), {"namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: namespace}}}]
    return [anywhere()]


def _port(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _url(value: Any, what: str) -> Endpoint | None:
    if not isinstance(value, str) or "://" not in value:
        return None
    parts = urlsplit(value)
    if not parts.hostname:
        return None
    default = HTTPS_PORT if parts.scheme == "https" else HTTP_PORT
    return Endpoint(parts.hostname, parts.port or default, what)


def _endpoint_urls(tree: Any, path: str = "") -> Iterator[Endpoint]:
    """Every `...Endpoint` / `endpoint` URL under a service's config: the AWS APIs it calls (not the download URL
    clients are sent to)."""
    if not isinstance(tree, Mapping):
        return
    for key, value in tree.items():
        name = str(key)
        if isinstance(value, Mapping):
            yield from _endpoint_urls(value, f"{path}{name}.")
        elif name.lower().endswith("endpoint") and name != "s3DownloadEndpoint":
            found = _url(value, f"{path}{name}")
            if found is not None:
                yield found


def service_endpoints(config: Mapping[str, Any]) -> set[Endpoint]:
    """The outside endpoints one service's values `config` names."""
    found: set[Endpoint] = set()
    for key, (store, default_port) in STORE_KEYS.items():
        section = config.get(key)
        if isinstance(section, Mapping) and section.get("host"):
            found.add(Endpoint(str(section["host"]), _port(section.get("port"), default_port), store))
            if store == "rabbitmq" and "adminPort" in section:
                found.add(Endpoint(str(section["host"]), _port(section["adminPort"], HTTPS_PORT), "rabbitmq admin"))
    elasticsearch = config.get("elasticsearch")
    if isinstance(elasticsearch, Mapping) and elasticsearch.get("url"):
        url = _url(elasticsearch["url"], "elasticsearch")
        if url is not None:
            found.add(url)
    found |= set(_endpoint_urls(config))
    proxy = config.get("proxy")
    if isinstance(proxy, Mapping):
        for key in ("httpProxy", "httpsProxy"):
            url = _url(proxy.get(key), "http proxy")
            if url is not None:
                found.add(url)
    return found


def job_endpoints(values: Mapping[str, Any], job_values: str) -> set[Endpoint]:
    """The stores a hook Job's values subtree names (cassandra-migrations, elasticsearch-index)."""
    tree = values.get(job_values)
    return service_endpoints(tree) if isinstance(tree, Mapping) else set()


def uses_irsa(service_values: Mapping[str, Any]) -> bool:
    annotations = (service_values.get("serviceAccount") or {}).get("annotations") or {}
    return IRSA_ANNOTATION in annotations
