"""`make review` of the move from ingress-nginx to Envoy Gateway (docs/entry-point.md), on three commits of prod:
ingress-nginx alone (`controller: awsNlb`, as stacks said before) → both side by side, every record still on
ingress-nginx → one record moved to Envoy Gateway → (every record moved) ingress-nginx removed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.review.test_review_commits import copy_of_project, git, replace

ENVOY = "    controller: envoyGateway\n    loadBalancer: awsNlb\n"
SIDE_BY_SIDE = ENVOY + "    legacyHosts: [nginz-https, webapp, account, teams]\n"


def review(repo: Path, base: str, head: str, out: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "review", "--base", base, "--head", head, "--stacks", "prod", "--out", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return (out / "prod.md").read_text()


@pytest.fixture(scope="module")
def moves(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    repo = copy_of_project(tmp_path_factory.mktemp("move"))
    stack = repo / "Pulumi.prod.yaml"
    replace(stack, ENVOY, "    controller: awsNlb\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ingress-nginx")
    replace(stack, "    controller: awsNlb\n", SIDE_BY_SIDE)
    git(repo, "commit", "-qam", "side by side")
    replace(stack, SIDE_BY_SIDE, SIDE_BY_SIDE.replace("webapp, ", ""))
    git(repo, "commit", "-qam", "webapp moves")
    replace(stack, SIDE_BY_SIDE.replace("webapp, ", ""), ENVOY + "    legacyHosts: []\n")
    git(repo, "commit", "-qam", "every record moved")
    replace(stack, ENVOY + "    legacyHosts: []\n", ENVOY)
    git(repo, "commit", "-qam", "ingress-nginx removed")
    return (
        review(repo, "HEAD~4", "HEAD~3", repo / "out-1"),
        review(repo, "HEAD~3", "HEAD~2", repo / "out-2"),
        review(repo, "HEAD~1", "HEAD", repo / "out-3"),
    )


def _section(text: str, title: str) -> str:
    """The body of a section of the comment (`**Added (n)**`, `**Changed (n)**`, ...), empty when absent."""
    start = text.find(f"**{title} (")
    if start < 0:
        return ""
    end = text.find("\n**", start + 2)
    return text[start : end if end >= 0 else len(text)]


def test_side_by_side_adds_envoy_gateway_and_moves_no_record(moves: tuple[str, str, str]) -> None:
    side_by_side, _, _ = moves
    added = _section(side_by_side, "Added")
    for name in ("envoy-gateway", "gateway-crds", "gateway-wire", "httproute-webapp", "certificate-wire-gateway"):
        assert f"`{name}`" in added, name
    # Nothing moves yet: no record changes, ingress-nginx and its Ingress stay. The only changes admit the
    # gateway's proxies to what they route to (the NetworkPolicies of the entry point's Services).
    changed = _section(side_by_side, "Changed")
    assert "aws:route53/record:Record" not in changed and _section(side_by_side, "Removed") == ""
    for policy in ("wire-infra-nginz", "wire-infra-web-apps", "wire-infra-acme-solvers"):
        assert f"`{policy}`" in changed, policy
    admitted = (
        '(absent) → {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "envoy-gateway-system"}}}'
    )
    assert changed.count("`kubernetes:networking.k8s.io/v1:NetworkPolicy`") == changed.count(admitted) == 3
    # Counted as the plan summary counts: envoy-wire's Service is only read (for its load balancer), not created.
    assert "**Summary:** 12 to add, 3 to change, 0 to remove" in side_by_side
    assert "`envoy-wire`" in _section(side_by_side, "Components, providers and reads added")
    assert "still runs beside Envoy Gateway" in side_by_side


def test_moving_one_host_changes_exactly_its_record(moves: tuple[str, str, str]) -> None:
    _, moved, _ = moves
    changed = _section(moved, "Changed")
    assert "webapp.example.com" in changed
    for other in ("nginz-https.example.com", "account.example.com", "teams.example.com"):
        assert other not in changed
    assert "mock-ingress-nginx-controller-" in changed and "→ mock-envoy-wire-" in changed
    assert "**Summary:** 0 to add, 1 to change, 0 to remove; 0 values file(s) changed." in moved


def test_removing_the_key_removes_ingress_nginx_and_the_second_certificate(moves: tuple[str, str, str]) -> None:
    _, _, removed = moves
    gone = _section(removed, "Removed")
    assert "`ingress-nginx`" in gone
    # Its Service was only read (for the load balancer's name): listed apart, not counted.
    assert "`ingress-nginx-controller`" in _section(removed, "Components, providers and reads removed")
    assert _section(removed, "Added") == ""
    assert "aws:route53/record:Record" not in removed  # every record already pointed at Envoy Gateway
    assert "-  enabled: true" in removed and "+  enabled: false" in removed  # nginx-ingress-services' tls
