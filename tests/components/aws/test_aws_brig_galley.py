"""brig's queues and prekey table, galley's journal: created only when configured."""

from __future__ import annotations

from tests.components.aws.aws_support import CMK, QUEUE, config, dev_config, evaluate, names

TABLE = "aws:dynamodb/table:Table"


def test_defaults_create_only_the_internal_queue() -> None:
    evaluation = evaluate(config(), dns=False)
    queues = names(evaluation, QUEUE)
    assert "prod-brig-events-internal" in queues
    assert not {"prod-user-events.fifo", "prod-team-events.fifo"} & queues
    assert not evaluation.find(TABLE)
    assert not evaluation.find("wire:aws:TeamEventsJournal")
    record = evaluation.result
    # brig requires a prekey table name even with random prekeys.
    assert record.prekey_table == "prod-brig-prekeys"
    assert record.dynamodb_endpoint is None
    assert record.user_journal_queue is None and record.team_events_queue is None
    assert record.brig_internal_queue == "prod-brig-events-internal"


def test_optional_queues_and_table() -> None:
    evaluation = evaluate(config(features={"prekeyTable": True, "userJournal": True, "teamEventsJournal": True}))
    assert {"prod-user-events.fifo", "prod-team-events.fifo"} <= names(evaluation, QUEUE)
    table = evaluation.one(TABLE, "prod-brig-prekeys")
    assert table.inputs["hashKey"] == "client"
    assert table.inputs["attributes"] == [{"name": "client", "type": "S"}]
    assert table.inputs["billingMode"] == "PAY_PER_REQUEST"
    assert table.inputs["pointInTimeRecovery"] == {"enabled": True}
    assert table.inputs["serverSideEncryption"] == {"enabled": True}
    assert table.inputs["deletionProtectionEnabled"] is True
    assert table.protect and table.retain_on_delete
    record = evaluation.result
    assert record.dynamodb_endpoint == "https://dynamodb.eu-central-1.amazonaws.com"
    assert record.user_journal_queue == "prod-user-events.fifo"
    assert record.team_events_queue == "prod-team-events.fifo"
    outputs = evaluation.stack_outputs
    assert outputs["userJournalQueueName"] == "prod-user-events.fifo"
    assert outputs["teamEventsQueueName"] == "prod-team-events.fifo"
    assert outputs["prekeyTableName"] == "prod-brig-prekeys"


def test_dev_table_is_unprotected_and_a_cmk_encrypts_it() -> None:
    cfg = dev_config(features={"prekeyTable": True}, serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK})
    table = evaluate(cfg).one(TABLE, "dev-brig-prekeys")
    assert table.inputs["deletionProtectionEnabled"] is False
    assert not table.protect and not table.retain_on_delete
    assert table.inputs["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": CMK}
