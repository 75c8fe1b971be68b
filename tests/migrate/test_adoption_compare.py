"""adopt-check's comparisons as pure functions: each difference and its consequence."""

from __future__ import annotations

from typing import Any

from migrate.adoption import (
    RECORD,
    check_resource,
    queue_differences,
    record_differences,
    release_differences,
    topic_differences,
)
from plan.registrations import Registration


def keys(found: list[Any]) -> dict[str, Any]:
    return {difference.key: difference for difference in found}


def test_a_fifo_flag_is_a_replacement_and_numbers_compare_as_numbers() -> None:
    attributes = {"FifoQueue": "false", "VisibilityTimeout": "60", "MessageRetentionPeriod": "345600"}
    inputs = {"fifoQueue": True, "visibilityTimeoutSeconds": 60.0, "messageRetentionSeconds": 345600.0}
    found = keys(
        queue_differences(
            {**attributes, "ReceiveMessageWaitTimeSeconds": "20"}, {**inputs, "receiveWaitTimeSeconds": 20}
        )
    )
    assert found["FifoQueue"].replaces and "VisibilityTimeout" not in found
    assert found["SqsManagedSseEnabled"].program is True and not found["SqsManagedSseEnabled"].replaces


def test_a_customer_key_is_compared_instead_of_sse_sqs() -> None:
    found = keys(
        queue_differences({"KmsMasterKeyId": "alias/old"}, {"kmsMasterKeyId": "arn:aws:kms:eu-west-1:1:key/k"})
    )
    assert "SqsManagedSseEnabled" not in found and found["KmsMasterKeyId"].live == "alias/old"


def test_a_topics_key_made_by_the_stack_is_named_not_made_up() -> None:
    found = topic_differences({}, {"kmsMasterKeyId": "arn:aws:kms:eu-central-1:123456789012:key/made-up"})
    assert found[0].program == "(a KMS key of the stack)" and found[0].live is None


def test_a_release_in_another_namespace_is_a_replacement() -> None:
    inputs = {"chart": "wire-server", "version": "5.29.5", "namespace": "wire"}
    found, problem = release_differences(
        {"chart": "wire-server-5.29.5", "namespace": "default", "status": "deployed"}, inputs
    )
    assert problem is None and [d.key for d in found if d.replaces] == ["namespace"]
    found, problem = release_differences(None, inputs)
    assert problem is not None and "helm list" in problem


def test_a_record_changes_its_values_and_ttl_in_place() -> None:
    live = {"TTL": 300, "ResourceRecords": [{"Value": "old-elb.example.net"}]}
    found = keys(record_differences(live, {"records": ["lb-1234.example.net"], "ttl": 60}))
    assert (found["values"].live, found["values"].program) == (["old-elb.example.net"], ["lb-1234.example.net"])
    assert (found["TTL"].live, found["TTL"].program) == (300, 60)
    assert not any(d.replaces for d in found.values())


class Route53:
    """The one call adopt-check makes, answering from a fixed record set list."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def list_resource_record_sets(self, **_: Any) -> dict[str, Any]:
        return {"ResourceRecordSets": self.records}


def _record(import_id: str) -> Registration:
    inputs = {"name": "webapp.example.com", "type": "CNAME", "records": ["lb.example.net"], "ttl": 300}
    return Registration(
        "urn", RECORD, "webapp.example.com", None, [], True, False, False, None, inputs, import_id=import_id
    )


def test_a_record_is_found_by_name_and_type_or_reported_missing() -> None:
    answer = [
        {"Name": "webapp.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "lb.example.net"}]}
    ]
    found = check_resource(_record("Z1_webapp.example.com_CNAME"), lambda _: Route53(answer), {}, [])
    assert found.differences == [] and not found.refused
    found = check_resource(_record("Z1_webapp.example.com_CNAME"), lambda _: Route53([]), {}, [])
    assert found.refused and "no CNAME record webapp.example.com" in str(found.problem)
