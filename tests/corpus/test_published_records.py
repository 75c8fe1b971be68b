"""DNS only for what is deployed, through the real program: federation records only with federation on, the
websocket host on bare metal; and federationDomain reaches every service."""

from __future__ import annotations

import pytest

from plan.runner import Plan, evaluate
from tests.corpus import good_stacks, project_root

CASES = ("federation-off-federator-listed", "metallb-hosts-without-nginz-ssl", "federation-domain-explicit")
RECORD = "aws:route53/record:Record"
# Not in the good corpus: the render tests would need every federator setting (certificates, client CA) the
# program does not model; for its records the tags are enough.
FEDERATION_ON = """\
config:
  aws:region: eu-central-1
  wire:environment: fed
  wire:production: false
  wire:kubernetes:
    context: wire
  wire:domain: example.com
  wire:serviceCredentials:
    mode: staticKeys
  wire:email:
    mode: ses
    sender: no-reply@example.com
  wire:dns:
    zoneId: Z0123456789EXAMPLE
    target:
      hostname: lb.example.net
    hosts: [nginz-https, nginz-ssl, webapp, federator]
  wire:extraValues:
    wireServer:
      tags:
        federation: true
"""


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Plan]:
    stacks = {case: path for case, path in good_stacks().items() if case in CASES}
    root = project_root(tmp_path_factory.mktemp("published"), stacks)
    (root / "Pulumi.federation-on.yaml").write_text(FEDERATION_ON, encoding="utf-8")
    return {case: evaluate(case, root) for case in (*CASES, "federation-on")}


def records(plan: Plan) -> set[str]:
    """The records of the Wire hostnames and federation (not SES's, which SES mode adds)."""
    return {r.inputs["name"] for r in plan.evaluation.resources if r.type == RECORD and not r.name.startswith("ses-")}


def test_no_federation_records_while_federation_is_off(plans: dict[str, Plan]) -> None:
    names = records(plans["federation-off-federator-listed"])
    assert names == {"nginz-https.example.com", "nginz-ssl.example.com", "webapp.example.com"}


def test_federation_on_publishes_the_federator_and_its_srv_record(plans: dict[str, Plan]) -> None:
    names = records(plans["federation-on"])
    assert {"federator.example.com", "_wire-server-federator._tcp.example.com"} <= names
    assert not [w for w in plans["federation-on"].warnings if "federator" in w]


def test_bare_metal_publishes_the_websocket_host(plans: dict[str, Plan]) -> None:
    assert "nginz-ssl.example.com" in records(plans["metallb-hosts-without-nginz-ssl"])


def test_the_federation_domain_reaches_every_service(plans: dict[str, Plan]) -> None:
    wire_server = plans["federation-domain-explicit"].values["wire-server"]
    assert wire_server["brig"]["config"]["optSettings"]["setFederationDomain"] == "example.com"
    assert wire_server["galley"]["config"]["settings"]["federationDomain"] == "example.com"
    assert wire_server["cargohold"]["config"]["settings"]["federationDomain"] == "example.com"
    assert wire_server["background-worker"]["config"]["federationDomain"] == "example.com"
    # The hostnames stay on wire:domain.
    assert wire_server["brig"]["config"]["externalUrls"]["nginz"] == "https://nginz-https.wire.example.com"
