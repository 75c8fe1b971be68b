"""Step 1 of the runbook (`kubernetes.releases: false`): DNS never points a host at something that does not serve it."""

from __future__ import annotations

from pathlib import Path

from plan.runner import evaluate
from tests.migrate.test_layered_secrets import STACK, project

DNS = """\
  wire:dns:
    zoneId: Z0123456789EXAMPLE
    target:
      hostname: ingress-lb.example.net
"""
WSLB = """\
  wire:cannon:
    websocketLoadBalancer:
      enabled: true
      hostname: nginz-ssl.wire.example.org
      certManager:
        enabled: true
"""


def stack(dns: str, cannon: str = "") -> str:
    releases_off = STACK.replace("  wire:kubernetes:\n    context: wire\n", "  wire:kubernetes:\n    releases: false\n")
    return releases_off + dns + cannon


def records(plan) -> dict[str, list]:
    found = plan.evaluation.find("aws:route53/record:Record")
    return {r.inputs["name"]: r.inputs.get("records") for r in found if not r.name.startswith("ses-")}


def test_step_1_with_cannons_own_load_balancer_publishes_no_websocket_host_and_warns(tmp_path: Path) -> None:
    hosts = "    hosts: [nginz-https, webapp, teams]\n"
    plan = evaluate("legacy", project(tmp_path, stack(DNS + hosts, WSLB)))
    assert "nginz-ssl.wire.example.org" not in records(plan)
    assert records(plan)["nginz-https.wire.example.org"] == ["ingress-lb.example.net"]
    [warning] = [w for w in plan.warnings if "websocketLoadBalancer with kubernetes.releases: false" in w]
    assert "no DNS record is made for nginz-ssl.wire.example.org" in warning
    # The values indeed move websockets off the ingress: pointing the host there would break them.
    ingress = plan.evaluation.result["nginx-ingress-services"]
    assert ingress["websockets"]["enabled"] is False


def test_step_1_without_it_keeps_websockets_on_the_ingress_the_record_points_at(tmp_path: Path) -> None:
    plan = evaluate("legacy", project(tmp_path, stack(DNS)))
    assert records(plan)["nginz-ssl.wire.example.org"] == ["ingress-lb.example.net"]
    assert plan.evaluation.result["nginx-ingress-services"]["websockets"]["enabled"] is True
    assert not [w for w in plan.warnings if "websocketLoadBalancer" in w]
