"""Route53 records for the Wire hostnames, per kind of target."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from components.aws.dns import record_type_for
from components.aws.infrastructure import AwsInfrastructure, create_aws
from components.config import ConfigError
from tests.components.aws.aws_support import RECORD, config, evaluate, run

ZONE = "Z0123456789EXAMPLE"
FEDERATION_ON = {"wireServer": {"tags": {"federation": True}}}


def dns(target: dict, **extra) -> dict:
    return {"zoneId": ZONE, "target": target, **extra}


def host_records(evaluation) -> dict[tuple[str, str], dict]:
    return {
        (r.inputs["name"], r.inputs["type"]): r.inputs for r in evaluation.find(RECORD) if not r.name.startswith("ses-")
    }


def test_hostname_target_gives_cnames_for_every_host() -> None:
    evaluation = evaluate(config(dns=dns({"hostname": "lb.example.net"}, ttl=120)))
    records = host_records(evaluation)
    expected = ["nginz-https", "nginz-ssl", "webapp", "account", "teams"]
    assert set(records) == {(f"{h}.example.com", "CNAME") for h in expected}
    for inputs in records.values():
        assert inputs["records"] == ["lb.example.net"]
        assert inputs["ttl"] == 120
        assert inputs["zoneId"] == ZONE
        assert inputs["allowOverwrite"] is False
    assert evaluation.stack_outputs["dnsRecords"] == [f"{h}.example.com" for h in expected]


def test_alias_target() -> None:
    records = host_records(
        evaluate(
            config(dns=dns({"hostname": "nlb.elb.amazonaws.com", "aliasZoneId": "Z215JYRZR1TBD5"}, hosts=["webapp"]))
        )
    )
    inputs = records[("webapp.example.com", "A")]
    assert inputs["aliases"] == [
        {"name": "nlb.elb.amazonaws.com", "zoneId": "Z215JYRZR1TBD5", "evaluateTargetHealth": True}
    ]
    assert "ttl" not in inputs and "records" not in inputs


def test_bare_metal_ips() -> None:
    records = host_records(
        evaluate(config(dns=dns({"ips": ["203.0.113.10", "203.0.113.11"]}, hosts=["webapp", "teams"])))
    )
    assert records[("teams.example.com", "A")]["records"] == ["203.0.113.10", "203.0.113.11"]
    assert len(records) == 2


def test_ingress_controller_hostname_comes_from_the_k8s_layer() -> None:
    evaluation = evaluate(
        config(dns=dns({"fromIngressController": True}, hosts=["webapp"]), ingress={"controller": "awsNlb"}),
        ingress=pulumi.Output.from_input("from-k8s.elb"),
    )
    assert host_records(evaluation)[("webapp.example.com", "CNAME")]["records"] == ["from-k8s.elb"]


def test_load_balancer_addresses_that_are_ips_get_a_records() -> None:
    # e.g. the ingress controller's Service on metallb, or a cloud load balancer that hands out IPs.
    controller = evaluate(
        config(dns=dns({"fromIngressController": True}, hosts=["webapp"]), ingress={"controller": "awsNlb"}),
        ingress=pulumi.Output.from_input("203.0.113.10"),
    )
    record = host_records(controller)[("webapp.example.com", "A")]
    assert record["records"] == ["203.0.113.10"]
    cfg = config(dns=dns({"hostname": "lb.example.net"}, hosts=["webapp"]), cannon={"websocketLoadBalancer": WSLB})
    own = host_records(evaluate(cfg, websocket=pulumi.Output.from_input("2001:db8::7")))
    assert own[("ws.example.com", "AAAA")]["records"] == ["2001:db8::7"]


def test_record_type_for_an_address() -> None:
    assert record_type_for("203.0.113.10") == "A"
    assert record_type_for("2001:db8::1") == "AAAA"
    assert record_type_for("k8s-ingress-abc.elb.eu-central-1.amazonaws.com") == "CNAME"


def test_ingress_controller_target_needs_the_hostname() -> None:
    with pytest.raises(Exception, match="fromIngressController"):
        evaluate(config(dns=dns({"fromIngressController": True}), ingress={"controller": "awsNlb"}), ingress=None)


@pytest.mark.parametrize("controller", ["none", "metallb"])
def test_ingress_controller_target_needs_an_aws_load_balancer(controller: str) -> None:
    """Refused by validation, before anything is registered (it used to raise halfway through the program)."""
    ingress = {"controller": controller} | (
        {"metallbAddresses": ["203.0.113.10/32"]} if controller == "metallb" else {}
    )
    with pytest.raises(ConfigError, match=r"wire:dns\.target\.fromIngressController: reads the hostname"):
        config(dns=dns({"fromIngressController": True}), ingress=ingress)


WSLB = {"enabled": True, "hostname": "ws.example.com", "certManager": {"enabled": True}}


def test_cannon_host_points_only_at_its_own_load_balancer_never_at_the_main_target() -> None:
    cfg = config(dns=dns({"hostname": "lb.example.net"}, hosts=["webapp"]), cannon={"websocketLoadBalancer": WSLB})
    own = host_records(evaluate(cfg, websocket=pulumi.Output.from_input("cannon.elb")))
    assert own[("ws.example.com", "CNAME")]["records"] == ["cannon.elb"]
    # No cannon load balancer deployed (kubernetes.releases: false): the ingress does not serve these values'
    # websockets, so no record points there.
    assert not [name for name, _ in host_records(evaluate(cfg)) if name == "ws.example.com"]


def test_cannon_host_is_left_to_external_dns_when_it_manages_it() -> None:
    cfg = config(
        dns=dns({"hostname": "lb.example.net"}, hosts=["webapp"]),
        cannon={"websocketLoadBalancer": {**WSLB, "externalDns": True}},
    )
    assert ("ws.example.com", "CNAME") not in host_records(evaluate(cfg))


def test_federator_srv_and_extra_records() -> None:
    extra = [
        {"name": "sftd", "type": "A", "values": ["203.0.113.5"], "ttl": 60},
        {"name": "turn01.example.com", "type": "A", "values": ["203.0.113.6"]},
    ]
    cfg = config(
        dns=dns({"hostname": "lb.example.net"}, hosts=["nginz-https", "federator"], extraRecords=extra),
        extraValues=FEDERATION_ON,
    )
    records = host_records(evaluate(cfg))
    assert records[("federator.example.com", "CNAME")]["records"] == ["lb.example.net"]
    assert records[("_wire-server-federator._tcp.example.com", "SRV")]["records"] == ["0 10 443 federator.example.com"]
    assert records[("sftd.example.com", "A")]["records"] == ["203.0.113.5"]
    assert records[("sftd.example.com", "A")]["ttl"] == 60
    assert records[("turn01.example.com", "A")]["ttl"] == 300


def test_no_srv_without_federator_or_when_disabled() -> None:
    without = host_records(evaluate(config(dns=dns({"hostname": "lb.example.net"}))))
    assert not [key for key in without if key[1] == "SRV"]
    disabled = host_records(
        evaluate(
            config(
                dns=dns({"hostname": "lb.example.net"}, hosts=["federator"], federationSrv=False),
                extraValues=FEDERATION_ON,
            )
        )
    )
    assert not [key for key in disabled if key[1] == "SRV"]


def test_no_federation_records_while_federation_is_off() -> None:
    cfg = config(dns=dns({"hostname": "lb.example.net"}, hosts=["nginz-https", "federator"]))
    assert set(host_records(evaluate(cfg))) == {("nginz-https.example.com", "CNAME")}
    assert any("has federator, but federation is off" in w for w in cfg.warnings())


def test_bare_metal_publishes_the_websocket_host_the_entry_point_serves() -> None:
    metal = {"controller": "envoyGateway", "loadBalancer": "metallb", "metallbAddresses": ["203.0.113.10/32"]}
    for ingress in (metal, {"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]}):
        cfg = config(dns=dns({"ips": ["203.0.113.10"]}, hosts=["nginz-https", "webapp"]), ingress=ingress)
        records = host_records(evaluate(cfg))
        assert records[("nginz-ssl.example.com", "A")]["records"] == ["203.0.113.10"]
        assert any("nginz-ssl.example.com: its record is made too" in w for w in cfg.warnings())


def test_no_dns_section_no_records() -> None:
    evaluation = evaluate(config())
    assert not evaluation.find(RECORD)
    assert not evaluation.find("wire:aws:DnsRecords")
    assert "dnsRecords" not in evaluation.stack_outputs


def test_records_are_not_release_dependencies() -> None:
    holder: dict[str, AwsInfrastructure] = {}
    run(lambda: holder.setdefault("infra", create_aws(config(dns=dns({"hostname": "lb.example.net"})))))
    dependencies = holder["infra"].release_dependencies
    assert dependencies
    assert not [
        r for r in dependencies if isinstance(r, aws.route53.Record) or type(r).__module__.startswith("pulumi_aws.ses")
    ]


def _address_record(target: dict):
    evaluation = evaluate(config(dns=dns(target, hosts=["webapp"])))
    return next(r for r in evaluation.find(RECORD) if r.inputs["name"] == "webapp.example.com")


def test_a_type_change_updates_the_same_record_in_place() -> None:
    """CNAME → A keeps the URN (named by host): the provider updates `type` in place (only name and zone_id
    force a replacement), so `delete_before_replace` would never fire and is not set."""
    cname = _address_record({"hostname": "lb.example.net"})
    a = _address_record({"ips": ["203.0.113.10"]})
    assert (cname.inputs["type"], a.inputs["type"]) == ("CNAME", "A")
    assert cname.urn == a.urn and cname.name == "webapp.example.com"
    assert {key: cname.inputs[key] for key in ("name", "zoneId")} == {key: a.inputs[key] for key in ("name", "zoneId")}
    assert not cname.delete_before_replace and not a.delete_before_replace
    # Records of earlier versions were named `<type>-<fqdn>`: adopted, not recreated.
    assert sorted(a.alias_names) == ["a-webapp.example.com", "cname-webapp.example.com"]


def test_records_of_other_types_keep_their_type_in_the_name() -> None:
    extra = [{"name": "webapp", "type": "TXT", "values": ["hello"]}]
    evaluation = evaluate(
        config(
            dns=dns({"hostname": "lb.example.net"}, hosts=["webapp", "federator"], extraRecords=extra),
            extraValues=FEDERATION_ON,
        )
    )
    names = sorted(r.name for r in evaluation.find(RECORD) if not r.name.startswith("ses-"))
    assert names == [
        "federator.example.com",
        "srv-_wire-server-federator._tcp.example.com",
        "txt-webapp.example.com",
        "webapp.example.com",
    ]


def test_no_record_carries_delete_before_replace() -> None:
    extra = [
        {"name": "status", "type": "A", "values": ["203.0.113.20"]},
        {"name": "www", "type": "TXT", "values": ["x"]},
    ]
    evaluation = evaluate(
        config(
            dns=dns({"fromIngressController": True}, hosts=["webapp", "federator"], extraRecords=extra),
            ingress={"controller": "awsNlb"},
        ),
        ingress=pulumi.Output.from_input("from-k8s.elb"),
    )
    records = evaluation.find(RECORD)
    assert records
    assert not [record.name for record in records if record.delete_before_replace]
