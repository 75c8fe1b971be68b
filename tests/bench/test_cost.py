"""Idle cost (bench P4) on synthetic plans, and the dated price table."""

from __future__ import annotations

from typing import Any

import pytest

from bench.cost import idle_cost, load_balancer_cost, release_load_balancers
from bench.prices import HOURS_PER_MONTH, PriceTable, load_prices, parse_prices

PRICES = load_prices()
NLB = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
}


def res(type_: str, name: str, inputs: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:t::wire::{type_}::{name}",
        "type": type_,
        "name": name,
        "parent": None,
        "dependencies": [],
        "custom": True,
        "read": False,
        "inputs": inputs or {},
    } | extra


def plan(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "resources": list(resources), "values": {}}


def test_the_price_table_is_dated_for_the_region_and_complete() -> None:
    assert (PRICES.dated, PRICES.region) == ("2026-11", "eu-central-1")
    for key in ("nlb", "clb", "public_ipv4", "kms_key", "hosted_zone", "dynamodb_rcu", "dynamodb_wcu", "cloudfront"):
        assert key in PRICES.prices
    assert PRICES["kms_key"].monthly == 1.0
    assert PRICES["nlb"].monthly == pytest.approx(PRICES["nlb"].usd * HOURS_PER_MONTH)
    assert PRICES["cloudfront"].monthly == 0


def test_price_table_parse_errors_are_loud() -> None:
    header = "- **Dated:** 2026-11\n- **Region:** eu-central-1\n"
    assert parse_prices(header + "| `x` | thing | 2 | month | n |\n").prices["x"].monthly == 2
    with pytest.raises(ValueError, match="unit"):
        parse_prices(header + "| `x` | thing | 2 | week | n |\n")
    with pytest.raises(ValueError, match="number"):
        parse_prices(header + "| `x` | thing | two | month | n |\n")
    with pytest.raises(ValueError, match="dated"):
        parse_prices("| `x` | thing | 2 | month | n |\n")


def test_storage_and_request_resources_cost_nothing_idle() -> None:
    cost = idle_cost(
        plan(
            res("aws:s3/bucket:Bucket", "b"),
            res("aws:sqs/queue:Queue", "q"),
            res("aws:sns/topic:Topic", "t"),
            res("aws:dynamodb/table:Table", "on-demand", {"billingMode": "PAY_PER_REQUEST"}),
            res("aws:cloudfront/distribution:Distribution", "cdn"),
            res("aws:sesv2/emailIdentity:EmailIdentity", "example.com"),
            res("aws:route53/record:Record", "r"),
            res("aws:iam/role:Role", "role"),
            res("pulumi:providers:aws", "aws"),
            res("wire:aws:AssetStorage", "component", custom=False),
        ),
        {},
        PRICES,
    )
    assert cost.idle == []
    assert cost.unpriced == []
    assert cost.usage_only["cloudfront"] == 1
    assert cost.usage_only["dynamodb_on_demand"] == 1


def test_idle_resources_are_listed_with_prices_and_not_asked_for_by_config() -> None:
    cost = idle_cost(
        plan(
            res("aws:kms/key:Key", "k"),
            res("aws:route53/zone:Zone", "z"),
            res("aws:ec2/natGateway:NatGateway", "nat"),
            res("aws:lb/loadBalancer:LoadBalancer", "nlb", {"loadBalancerType": "network"}),
            res("aws:kinesis/stream:Stream", "s", {"shardCount": 2}),
        ),
        {},
        PRICES,
    )
    by_kind = {item.kind: item for item in cost.idle}
    assert set(by_kind) == {"kms_key", "hosted_zone", "nat_gateway", "nlb", "kinesis_shard"}
    assert by_kind["kinesis_shard"].monthly_usd == pytest.approx(2 * PRICES["kinesis_shard"].monthly, abs=0.01)
    assert not any(item.asked_for_by_config for item in cost.idle)
    assert len(cost.unrequested) == 5
    assert cost.monthly(asked_for_by_config=False) == pytest.approx(sum(i.monthly_usd or 0 for i in cost.idle))


def test_dynamodb_without_billing_mode_is_provisioned_capacity() -> None:
    table = res(
        "aws:dynamodb/table:Table",
        "t",
        {"readCapacity": 5, "writeCapacity": 5, "globalSecondaryIndexes": [{"readCapacity": 1, "writeCapacity": 1}]},
    )
    (item,) = idle_cost(plan(table), {}, PRICES).idle
    expected = 6 * PRICES["dynamodb_rcu"].monthly + 6 * PRICES["dynamodb_wcu"].monthly
    assert item.monthly_usd == pytest.approx(expected, abs=0.01)


def test_unknown_resource_types_are_reported_not_ignored() -> None:
    cost = idle_cost(plan(res("aws:redshift/cluster:Cluster", "warehouse")), {}, PRICES)
    assert cost.unpriced == ["urn:pulumi:t::wire::aws:redshift/cluster:Cluster::warehouse"]


def test_load_balancer_kind_and_public_addresses_from_annotations() -> None:
    kind, _, monthly = load_balancer_cost(NLB, PRICES, azs=3)
    assert kind == "nlb"
    assert monthly == pytest.approx(PRICES["nlb"].monthly + 3 * PRICES["public_ipv4"].monthly, abs=0.01)
    internal = {**NLB, "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}
    assert load_balancer_cost(internal, PRICES)[2] == pytest.approx(PRICES["nlb"].monthly, abs=0.01)
    # No annotation: the in-tree controller's internet-facing classic load balancer.
    kind, _, monthly = load_balancer_cost({}, PRICES, azs=2)
    assert kind == "clb"
    assert monthly == pytest.approx(PRICES["clb"].monthly + 2 * PRICES["public_ipv4"].monthly, abs=0.01)


def test_release_values_load_balancers_are_asked_for_by_config() -> None:
    ingress = {"controller": {"service": {"type": "LoadBalancer", "annotations": NLB}}}
    items = release_load_balancers("ingress-nginx", "ingress-nginx", ingress, PRICES)
    assert [(i.source, i.kind, i.asked_for_by_config) for i in items] == [
        ("release ingress-nginx: controller.service", "nlb", True)
    ]
    # wire-server's chart hard-codes the type: the switch in the values is what asks for it.
    cannon = {"cannon": {"service": {"nginz": {"enabled": True, "annotations": NLB}}}}
    assert [i.source for i in release_load_balancers("wire-server", "wire-server", cannon, PRICES)] == [
        "release wire-server: cannon.service.nginz"
    ]
    off = {"cannon": {"service": {"nginz": {"enabled": False}}}}
    assert release_load_balancers("wire-server", "wire-server", off, PRICES) == []
    assert release_load_balancers("webapp", "webapp", {"service": {"type": "ClusterIP"}}, PRICES) == []


def test_idle_cost_reads_values_files_by_release_name_then_inputs() -> None:
    wire = res("kubernetes:helm.sh/v3:Release", "wire-server", {"name": "wire-server", "chart": "wire-server"})
    ingress = res(
        "kubernetes:helm.sh/v3:Release",
        "ingress",
        {
            "name": "ingress-nginx",
            "chart": "ingress-nginx",
            "values": {"controller": {"service": {"type": "LoadBalancer"}}},
        },
    )
    values = {"wire-server": {"cannon": {"service": {"nginz": {"enabled": True, "annotations": NLB}}}}}
    cost = idle_cost(plan(wire, ingress), values, PRICES)
    assert sorted(i.source for i in cost.idle) == [
        "release ingress-nginx: controller.service",
        "release wire-server: cannon.service.nginz",
    ]
    assert cost.unrequested == []
    assert cost.monthly(asked_for_by_config=True) > 0


def test_services_read_by_the_program_cost_nothing_created_ones_do() -> None:
    spec = {"spec": {"type": "LoadBalancer"}, "metadata": {"annotations": NLB}}
    read = res("kubernetes:core/v1:Service", "read", spec, read=True)
    created = res("kubernetes:core/v1:Service", "created", spec)
    cost = idle_cost(plan(read, created), {}, PRICES)
    assert [i.source.rsplit("::", 1)[-1] for i in cost.idle] == ["created"]


def test_envoy_gateways_load_balancer_is_priced_from_its_envoy_proxy() -> None:
    def proxy(service: dict[str, Any]) -> dict[str, Any]:
        spec = {"spec": {"provider": {"type": "Kubernetes", "kubernetes": {"envoyService": service}}}}
        return res("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "envoyproxy-wire", spec)

    cost = idle_cost(plan(proxy({"type": "LoadBalancer", "annotations": NLB})), {}, PRICES)
    (item,) = cost.idle
    assert item.kind == "nlb" and item.asked_for_by_config and "Envoy Gateway" in item.description
    assert item.monthly_usd == load_balancer_cost(NLB, PRICES)[2]
    assert idle_cost(plan(proxy({"type": "ClusterIP"})), {}, PRICES).idle == []
    # Bare metal: metallb gives the address, no AWS load balancer is created.
    metallb = res("kubernetes:helm.sh/v3:Release", "metallb", {"name": "metallb", "chart": "metallb"})
    assert idle_cost(plan(metallb, proxy({"type": "LoadBalancer"})), {}, PRICES).idle == []


def test_an_empty_table_means_unknown_prices_fail_loudly() -> None:
    empty = PriceTable(dated="2026-11", region="eu-central-1", prices={})
    with pytest.raises(KeyError):
        idle_cost(plan(res("aws:kms/key:Key", "k")), {}, empty)


def test_alarms_and_their_topic_key_are_asked_for_by_config() -> None:
    under_alarms = "urn:pulumi:t::wire::wire:aws:Alarms${type}::{name}"
    alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", "a")
    alarm["urn"] = under_alarms.format(type=alarm["type"], name="a")
    key = res("aws:kms/key:Key", "k")
    key["urn"] = under_alarms.format(type=key["type"], name="k")
    other_key = res("aws:kms/key:Key", "ses")
    cost = idle_cost(plan(alarm, key, other_key), {}, PRICES)
    assert [(i.kind, i.monthly_usd, i.asked_for_by_config) for i in cost.idle] == [
        ("cloudwatch_alarm", 0.1, True),
        ("kms_key", 1.0, True),
        ("kms_key", 1.0, False),
    ]
    # An alarm outside the Alarms component has no verdict: it must be priced deliberately.
    assert idle_cost(plan(res("aws:cloudwatch/metricAlarm:MetricAlarm", "x")), {}, PRICES).unpriced


def test_managed_stores_are_priced_per_class_and_node() -> None:
    rds = res(
        "aws:rds/instance:Instance", "pg", {"instanceClass": "db.m7g.xlarge", "multiAz": True, "allocatedStorage": 100}
    )
    mq = res("aws:mq/broker:Broker", "mq", {"hostInstanceType": "mq.m5.large", "deploymentMode": "CLUSTER_MULTI_AZ"})
    odd = res(
        "aws:elasticache/replicationGroup:ReplicationGroup", "r", {"nodeType": "cache.r7g.16xlarge", "engine": "redis"}
    )
    items = {item.source.rsplit("::", 1)[1]: item for item in idle_cost(plan(rds, mq, odd), {}, PRICES).idle}
    expected_rds = 2 * (PRICES["rds_pg_db_m7g_xlarge"].monthly + 100 * PRICES["rds_gp3_gb"].monthly)
    assert items["pg"].monthly_usd == pytest.approx(expected_rds, abs=0.01) and items["pg"].asked_for_by_config
    assert items["mq"].monthly_usd == pytest.approx(3 * PRICES["mq_rabbitmq_mq_m5_large"].monthly, abs=0.01)
    # A class the table lacks is listed with no amount, never guessed.
    assert items["r"].monthly_usd is None


# --- which region's prices (issue 27.7) ------------------------------------------------------------------------


def aws_provider(region: str) -> dict[str, Any]:
    return res("pulumi:providers:aws", "aws", {"region": region})


def test_the_stack_region_is_the_aws_providers() -> None:
    from bench.prices import stack_region

    assert stack_region(plan(aws_provider("us-east-1"))) == "us-east-1"
    assert stack_region({"resources": [], "outputs": {"awsRegion": "eu-west-1"}}) == "eu-west-1"
    assert stack_region(plan()) is None


def test_the_price_data_holds_one_region_and_says_so() -> None:
    """bench/prices.md is the only table: every other region is priced as eu-central-1, and the line says it."""
    from bench.prices import load_price_tables, prices_for

    assert set(load_price_tables()) == {"eu-central-1"}
    own = prices_for("eu-central-1")
    assert not own.borrowed and own.label() == "AWS list prices dated 2026-11 for eu-central-1"
    borrowed = prices_for("us-east-1")
    assert borrowed.borrowed and borrowed.table.region == "eu-central-1"
    assert borrowed.label().startswith(
        "priced as eu-central-1: the price data (bench/prices.md) has no prices for us-east-1"
    )


def test_a_region_with_its_own_table_is_priced_with_it(tmp_path) -> None:
    from bench.prices import load_price_tables, prices_for

    (tmp_path / "prices.md").write_text(
        "- **Dated:** 2026-11\n- **Region:** eu-central-1\n| `nlb` | NLB | 0.027 | hour | |\n"
    )
    (tmp_path / "prices-us-east-1.md").write_text(
        "- **Dated:** 2026-10\n- **Region:** us-east-1\n| `nlb` | NLB | 0.0225 | hour | |\n"
    )
    tables = load_price_tables(tmp_path)
    priced = prices_for("us-east-1", tables)
    assert not priced.borrowed and priced.table["nlb"].usd == 0.0225
    assert priced.label() == "AWS list prices dated 2026-10 for us-east-1"
    with pytest.raises(ValueError, match="second price table"):
        (tmp_path / "prices-again.md").write_text("- **Dated:** 2026-12\n- **Region:** us-east-1\n")
        load_price_tables(tmp_path)


def test_the_summary_names_the_borrowed_region() -> None:
    from plan.summary import cost_lines

    document = plan(aws_provider("us-east-1"), res("aws:kms/key:Key", "k"))
    document["outputs"] = {}
    (line, *_) = cost_lines(document, {})
    assert line.startswith("Monthly idle cost: 1 USD (priced as eu-central-1: ")
    assert "no prices for us-east-1" in line
    document["resources"][0]["inputs"]["region"] = "eu-central-1"
    assert cost_lines(document, {})[0] == (
        "Monthly idle cost: 1 USD (AWS list prices dated 2026-11 for eu-central-1; traffic costs extra)"
    )
