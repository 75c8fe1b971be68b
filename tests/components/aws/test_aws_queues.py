"""Every queue the stack creates: encrypted, with a DLQ it redrives to, long polling, explicit timeouts."""

from __future__ import annotations

import json

from components import naming
from components.aws.queues import (
    DLQ_RETENTION_SECONDS,
    MAX_RECEIVE_COUNT,
    RECEIVE_WAIT_SECONDS,
    RETENTION_SECONDS,
    VISIBILITY_TIMEOUT_SECONDS,
)
from tests.components.aws.aws_support import CMK, QUEUE, config, dev_config, evaluate, push_apps

ALL_FEATURES = {"prekeyTable": True, "userJournal": True, "teamEventsJournal": True}


def queues_by_name(evaluation):
    return {r.inputs["name"]: r for r in evaluation.find(QUEUE)}


def test_every_queue_has_its_dead_letter_queue_and_redrives_to_it() -> None:
    cfg = config(features=ALL_FEATURES, push=push_apps(("wire", "GCM")))
    queues = queues_by_name(evaluate(cfg))
    expected = set(naming.queues(cfg))
    assert expected == {
        "prod-brig-events-internal",
        "prod-gundeck-events",
        "prod-brig-email-events",
        "prod-user-events.fifo",
        "prod-team-events.fifo",
    }
    assert set(queues) == expected | {naming.dead_letter_queue(name) for name in expected}
    for name in expected:
        queue, dlq = queues[name], queues[naming.dead_letter_queue(name)]
        redrive = json.loads(queue.inputs["redrivePolicy"])
        assert redrive == {"deadLetterTargetArn": dlq.outputs["arn"], "maxReceiveCount": MAX_RECEIVE_COUNT}
        assert "redrivePolicy" not in dlq.inputs
        assert queue.inputs["messageRetentionSeconds"] == RETENTION_SECONDS
        assert dlq.inputs["messageRetentionSeconds"] == DLQ_RETENTION_SECONDS
        for registration in (queue, dlq):
            assert registration.inputs["visibilityTimeoutSeconds"] == VISIBILITY_TIMEOUT_SECONDS
            assert registration.inputs["receiveWaitTimeSeconds"] == RECEIVE_WAIT_SECONDS == 20
            assert registration.inputs["sqsManagedSseEnabled"] is True
            assert "kmsMasterKeyId" not in registration.inputs


def test_fifo_queues_have_fifo_dead_letter_queues() -> None:
    queues = queues_by_name(evaluate(config(features=ALL_FEATURES)))
    for name in ("prod-user-events.fifo", "prod-team-events.fifo"):
        dlq_name = naming.dead_letter_queue(name)
        assert dlq_name.endswith("-dlq.fifo")
        assert queues[name].inputs["fifoQueue"] is True
        assert queues[dlq_name].inputs["fifoQueue"] is True
    assert "fifoQueue" not in queues["prod-brig-events-internal"].inputs


def test_a_customer_managed_key_replaces_sse_sqs() -> None:
    cfg = config(serviceCredentials={"mode": "staticKeys", "kmsKeyArn": CMK})
    for queue in evaluate(cfg).find(QUEUE):
        assert queue.inputs["kmsMasterKeyId"] == CMK
        assert "sqsManagedSseEnabled" not in queue.inputs


def test_queues_are_protected_and_retained_in_production_only() -> None:
    prod = evaluate(config()).find(QUEUE)
    assert prod and all(q.protect and q.retain_on_delete for q in prod)
    dev = evaluate(dev_config()).find(QUEUE)
    assert dev and not any(q.protect or q.retain_on_delete for q in dev)


def test_queues_belong_to_their_encrypted_queue_component() -> None:
    evaluation = evaluate(config())
    for queue in evaluation.find(QUEUE):
        parent = evaluation.by_urn(queue.parent)
        assert parent.type == "wire:aws:EncryptedQueue"
        assert queue.inputs["name"].startswith(parent.name.removesuffix(".fifo"))
