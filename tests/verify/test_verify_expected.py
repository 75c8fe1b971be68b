"""What verify expects, computed offline from the config and the outputs (no AWS, no moto)."""

from __future__ import annotations

from components import naming
from tests.verify import verify_stack as vs
from verify.aws import stack_endpoints
from verify.expected import AppTarget, Record, expected
from verify.results import Status, exit_code, fail, ok, warn


def test_names_come_from_naming_and_outputs_win() -> None:
    cfg = vs.config(vs.values())
    exp = expected(cfg, {}, "123456789012")
    assert exp.brig_internal_queue == naming.brig_internal_queue("dev")
    assert exp.push and exp.push.queue == naming.gundeck_queue("dev")
    assert exp.push.app_arns["dev-wiretest"] == "arn:aws:sns:eu-west-1:123456789012:app/GCM/dev-wiretest"
    assert AppTarget("dev-wiretest", exp.push.app_arns["dev-wiretest"], "GCM") in exp.push.apps
    assert exp.push.topic_arn == "arn:aws:sns:eu-west-1:123456789012:dev-gundeck-events"
    assert exp.ses and exp.ses.identity == "wire.test" and exp.ses.queue == "dev-brig-email-events"
    assert exp.bucket == cfg.bucket_name and exp.prekey_table == "dev-brig-prekeys"

    outputs = {"awsAccountId": "111122223333", "assetsBucketName": "other", "prekeyTableName": "t"}
    exp = expected(cfg, outputs, "123456789012")
    assert exp.account == "111122223333" and exp.bucket == "other" and exp.prekey_table == "t"
    assert exp.push and exp.push.topic_arn and ":111122223333:" in exp.push.topic_arn


def test_external_push_is_wires_queue_and_account() -> None:
    external = vs.external_push()
    cfg = vs.config(vs.values(push={"mode": "external", "external": external}))
    # In external mode the program exports Wire's account as awsAccountId: not ours.
    exp = expected(cfg, {"awsAccountId": "210987654321"}, "123456789012")
    assert exp.account == "123456789012"
    push = exp.push
    assert push and (push.account, push.region, push.queue) == ("210987654321", "eu-central-1", "acme-gundeck-events")
    assert push.apps == () and push.topic_arn is None
    assert push.sqs_endpoint == "https://sqs.eu-central-1.amazonaws.com"


def test_disabled_features_are_not_expected() -> None:
    cfg = vs.config(
        vs.values(
            push={"mode": "disabled"},
            features={},
            email={"mode": "smtp", "sender": "a@wire.test", "smtp": {"host": "smtp"}},
        )
    )
    exp = expected(cfg, {}, "123456789012")
    assert exp.push is None and exp.ses is None and exp.prekey_table is None
    assert exp.user_journal_queue is None and exp.team_events_queue is None


def test_dns_records_follow_the_target() -> None:
    wire = vs.values(zone_id="ZABC123")
    wire["dns"] = {"zoneId": "ZABC123", "target": {"ips": ["203.0.113.7"]}, "hosts": ["webapp", "federator"]}
    exp = expected(vs.config(wire), {"dnsRecords": ["extra.wire.test."]}, None)
    assert exp.records == (
        Record("webapp.wire.test", ("A",), ("203.0.113.7",)),
        Record("federator.wire.test", ("A",), ("203.0.113.7",)),
        Record("_wire-server-federator._tcp.wire.test", ("SRV",), ("federator.wire.test",)),
        Record("extra.wire.test", ()),
    )
    # No federator host: the program creates no SRV record, so none is expected.
    wire["dns"] = {"zoneId": "ZABC123", "target": {"fromIngressController": True}, "hosts": ["webapp"]}
    wire["ingress"] = {"controller": "awsNlb"}
    exp = expected(vs.config(wire), {}, None)
    assert exp.records == (Record("webapp.wire.test", ("A", "AAAA", "CNAME")),)


def test_stack_endpoints_and_exit_code() -> None:
    assert stack_endpoints([{"sqs": "http://localhost:4566"}, {"s3": "http://s3"}]) == {
        "sqs": "http://localhost:4566",
        "s3": "http://s3",
    }
    assert stack_endpoints(None) == {}
    assert exit_code([ok("a", "r", "m"), warn("b", "r", "m")]) == 0
    assert exit_code([ok("a", "r", "m"), fail("b", "r", "m")]) == 1
    assert fail("c", "r", "m").line() == "✘ c: r - m" and Status.WARN.value == "warn"


def test_outputs_name_the_applications_that_exist() -> None:
    """The exported "<PLATFORM>/<app>" keys win; an app the config does not list keeps no platform."""
    cfg = vs.config(vs.values())
    arns = {
        "GCM/wiretest": "arn:aws:sns:eu-west-1:123456789012:app/APNS/dev-wiretest",
        "GCM/other": "arn:aws:sns:eu-west-1:123456789012:app/GCM/other",
    }
    exp = expected(cfg, {"pushPlatformApplicationArns": arns}, "123456789012")
    assert exp.push is not None
    apps = {app.name: app for app in exp.push.apps}
    assert apps["dev-wiretest"] == AppTarget("dev-wiretest", arns["GCM/wiretest"], "GCM")
    assert apps["other"] == AppTarget("other", arns["GCM/other"], None)
    # The same name on two platforms: the labels tell them apart.
    both = vs.config(vs.values(push={"mode": "create", "apps": [*vs.APPS, {"name": "wiretest", "platform": "APNS"}]}))
    labels = expected(both, {}, "123456789012").push.app_arns  # type: ignore[union-attr]
    assert {"dev-wiretest (GCM)", "dev-wiretest (APNS)", "dev-com.wire.test"} == set(labels)
