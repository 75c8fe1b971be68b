"""An offline evaluator of Kubernetes NetworkPolicies (networking.k8s.io/v1), for the tests.

No maintained Python library evaluates NetworkPolicies offline (PyPI has live-cluster probers such as illuminatio
and visualisers), so this is a small one, following https://kubernetes.io/docs/concepts/services-networking/
network-policies/ and the API reference; tests/test_netpol_eval.py has a test per rule:

- a pod is isolated for ingress (egress) when some policy of its namespace selects it and has that policy type;
  `policyTypes` missing means Ingress, plus Egress when the policy has egress rules;
- a connection is allowed when the source's egress AND the destination's ingress allow it; a side that is not
  isolated (or not a pod: an address outside the cluster) allows everything;
- rules add up across policies; a rule with no `from`/`to` matches every peer, with no `ports` every port;
- a peer is a podSelector (the policy's namespace), a namespaceSelector (all its pods), both (those pods of
  those namespaces), or an ipBlock (cidr minus `except`); selectors: matchLabels AND matchExpressions
  (In, NotIn, Exists, DoesNotExist); `{}` selects everything;
- a port is a number or a name, resolved against the destination pod's container ports (a name never matches
  an address outside the cluster), with `endPort` for ranges, and protocol (default TCP).

ipBlock and pods: Kubernetes leaves it to the implementation whether ipBlock matches pod addresses.
`ip_blocks_match_pods` chooses: False (needed flows must not rely on it), True (forbidden flows must stay denied
even where it does).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class ContainerPort:
    port: int
    name: str | None = None
    protocol: str = "TCP"


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: Mapping[str, str]
    ports: tuple[ContainerPort, ...] = ()
    ip: str = "10.0.0.1"

    def __hash__(self) -> int:
        return hash((self.name, self.namespace))


@dataclass(frozen=True)
class Address:
    """An endpoint outside the cluster."""

    ip: str


Endpoint = Pod | Address


@dataclass
class Cluster:
    policies: list[dict[str, Any]]
    namespace_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    ip_blocks_match_pods: bool = False

    def labels_of_namespace(self, namespace: str) -> dict[str, str]:
        # The API server sets kubernetes.io/metadata.name on every namespace.
        return {**self.namespace_labels.get(namespace, {}), NAMESPACE_NAME_LABEL: namespace}

    def allowed(self, source: Endpoint, destination: Endpoint, port: int, protocol: str = "TCP") -> bool:
        return self.egress_allowed(source, destination, port, protocol) and self.ingress_allowed(
            source, destination, port, protocol
        )

    def egress_allowed(self, source: Endpoint, destination: Endpoint, port: int, protocol: str = "TCP") -> bool:
        if not isinstance(source, Pod):
            return True
        return self._side_allowed(source, "Egress", "egress", "to", destination, destination, port, protocol)

    def ingress_allowed(self, source: Endpoint, destination: Endpoint, port: int, protocol: str = "TCP") -> bool:
        if not isinstance(destination, Pod):
            return True
        return self._side_allowed(destination, "Ingress", "ingress", "from", source, destination, port, protocol)

    def _side_allowed(
        self,
        subject: Pod,
        policy_type: str,
        rules_key: str,
        peers_key: str,
        peer: Endpoint,
        destination: Endpoint,
        port: int,
        protocol: str,
    ) -> bool:
        isolating = [
            policy
            for policy in self.policies
            if policy["metadata"].get("namespace") == subject.namespace
            and selects(policy["spec"].get("podSelector") or {}, subject.labels)
            and policy_type in policy_types(policy["spec"])
        ]
        if not isolating:
            return True
        for policy in isolating:
            namespace = policy["metadata"]["namespace"]
            for rule in policy["spec"].get(rules_key) or []:
                peers = rule.get(peers_key)
                if peers and not any(self._peer_matches(entry, namespace, peer) for entry in peers):
                    continue
                ports = rule.get("ports")
                if ports and not any(port_matches(entry, destination, port, protocol) for entry in ports):
                    continue
                return True
        return False

    def _peer_matches(self, entry: Mapping[str, Any], policy_namespace: str, peer: Endpoint) -> bool:
        if "ipBlock" in entry:
            if isinstance(peer, Pod) and not self.ip_blocks_match_pods:
                return False
            return in_ip_block(entry["ipBlock"], peer.ip)
        if not isinstance(peer, Pod):
            return False
        namespace_selector = entry.get("namespaceSelector")
        pod_selector = entry.get("podSelector")
        if namespace_selector is None:
            in_namespace = peer.namespace == policy_namespace
        else:
            in_namespace = selects(namespace_selector, self.labels_of_namespace(peer.namespace))
        return in_namespace and (pod_selector is None or selects(pod_selector, peer.labels))


def policy_types(spec: Mapping[str, Any]) -> list[str]:
    given = spec.get("policyTypes")
    if given:
        return list(given)
    return ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


def selects(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """A LabelSelector: every matchLabels pair and every matchExpression must hold; `{}` selects everything."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            raise ValueError(f"unknown selector operator {operator}")
    return True


def in_ip_block(block: Mapping[str, Any], ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    network = ipaddress.ip_network(block["cidr"], strict=False)
    if address.version != network.version or address not in network:
        return False
    return not any(address in ipaddress.ip_network(excluded, strict=False) for excluded in block.get("except") or [])


def port_matches(entry: Mapping[str, Any], destination: Endpoint, port: int, protocol: str) -> bool:
    if entry.get("protocol", "TCP") != protocol:
        return False
    wanted = entry.get("port")
    if wanted is None:  # every port of the protocol
        return True
    if isinstance(wanted, str):
        if not isinstance(destination, Pod):
            return False
        named = [p.port for p in destination.ports if p.name == wanted and p.protocol == protocol]
        return port in named
    end = entry.get("endPort")
    return wanted <= port <= end if end is not None else wanted == port


def pods_of(workloads: Iterable[Mapping[str, Any]], namespace: str) -> list[Pod]:
    """One Pod per rendered workload (Deployment, StatefulSet, DaemonSet, Job, CronJob): its template's labels and
    container ports."""
    found = []
    for index, workload in enumerate(workloads):
        kind = workload.get("kind")
        if kind == "CronJob":
            template = workload["spec"]["jobTemplate"]["spec"]["template"]
        elif kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            template = workload["spec"]["template"]
        else:
            continue
        ports = tuple(
            ContainerPort(p["containerPort"], p.get("name"), p.get("protocol", "TCP"))
            for container in template["spec"].get("containers") or []
            for p in container.get("ports") or []
        )
        labels = (template.get("metadata") or {}).get("labels") or {}
        found.append(
            Pod(workload["metadata"]["name"], namespace, dict(labels), ports, f"10.1.{index // 250}.{index % 250 + 1}")
        )
    return found
