"""DNS rules that span sections: what the records would otherwise break only at `pulumi up`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.components.config.config_support import base, load, problems

ZONE = "Z0123456789EXAMPLE"


def with_dns(target: dict[str, Any], **dns: Any) -> dict[str, Any]:
    return {"zoneId": ZONE, "target": target, **dns}


@pytest.mark.parametrize(
    "ingress", [None, {"controller": "none"}, {"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]}]
)
def test_from_ingress_controller_needs_the_aws_nlb_controller(ingress: dict | None) -> None:
    values = base(dns=with_dns({"fromIngressController": True}))
    if ingress is not None:
        values["ingress"] = ingress
    assert any("fromIngressController: reads the hostname of the AWS NLB" in p for p in problems(values))
    load(base(dns=with_dns({"fromIngressController": True}), ingress={"controller": "awsNlb"}))


def test_extra_records_may_not_duplicate_or_collide() -> None:
    extra = [
        {"name": "www", "type": "TXT", "values": ["a"]},
        {"name": "www.example.com", "type": "TXT", "values": ["b"]},
        {"name": "webapp", "type": "A", "values": ["203.0.113.1"]},
        {"name": "_dmarc", "type": "TXT", "values": ["v=DMARC1; p=none"]},
        {"name": "status", "type": "CNAME", "values": ["x.example.net"]},
        {"name": "status", "type": "TXT", "values": ["c"]},
    ]
    found = problems(base(dns=with_dns({"hostname": "lb.example.net"}, hosts=["webapp"], extraRecords=extra)))
    assert any("dns.extraRecords[1] (TXT www.example.com) duplicates dns.extraRecords[0]" in p for p in found)
    assert any(
        "dns.extraRecords[2] (A webapp.example.com) collides with the record of a Wire hostname" in p for p in found
    )
    assert any("dns.extraRecords[3] (TXT _dmarc.example.com) duplicates a record of SES mode" in p for p in found)
    assert any("status.example.com has a CNAME and other records (TXT)" in p for p in found)


def test_cannon_hostname_may_not_be_a_wire_host_record_too() -> None:
    cannon = {
        "websocketLoadBalancer": {"enabled": True, "hostname": "webapp.example.com", "certManager": {"enabled": True}}
    }
    found = problems(base(cannon=cannon, dns=with_dns({"hostname": "lb.example.net"}, hosts=["webapp"])))
    assert any(
        "cannon.websocketLoadBalancer.hostname 'webapp.example.com' is also one of dns.hosts" in p for p in found
    )


def test_different_types_of_one_extra_name_are_fine() -> None:
    extra = [
        {"name": "www", "type": "TXT", "values": ["a"]},
        {"name": "www", "type": "MX", "values": ["10 mx.example.net"]},
    ]
    load(base(dns=with_dns({"hostname": "lb.example.net"}, extraRecords=extra)))
