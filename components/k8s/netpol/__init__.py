"""NetworkPolicies derived from the releases' values (policies.py), with the chart facts they rest on (facts.py).

Pure: no Pulumi import. components/k8s/network_policies.py registers them; tests/render/test_network_policies.py
proves them against the real charts (tests/netpol_eval.py evaluates Kubernetes' semantics).
"""

from __future__ import annotations

from components.k8s.netpol.policies import enabled, network_policies, policy_names

__all__ = ["enabled", "network_policies", "policy_names"]
