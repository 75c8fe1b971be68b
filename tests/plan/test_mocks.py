"""The mocks' preview mode answers like a first `pulumi preview`, and notices registrations inside an apply."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from plan.mocks import run_program
from plan.registrations import KNOWN_AFTER_APPLY


def _queue_then_topic_in_apply() -> None:
    queue = aws.sqs.Queue("q", name="q")
    # The anti-pattern the engine tests guard against: a resource created once an output is known.
    queue.arn.apply(lambda arn: aws.sns.Topic("t", name="t", tags={"queue": arn}))
    pulumi.export("url", queue.url)
    pulumi.export("name", queue.name)


def test_a_resource_created_inside_an_apply_is_noted_and_missing_from_a_first_preview() -> None:
    up = run_program(_queue_then_topic_in_apply)
    preview = run_program(_queue_then_topic_in_apply, preview=True)
    assert [r.name for r in up.resources if r.in_apply] == ["t"]
    assert [r.name for r in preview.resources] == ["q"]
    assert not preview.resources[0].in_apply


def test_a_first_preview_knows_inputs_only() -> None:
    preview = run_program(_queue_then_topic_in_apply, preview=True)
    assert preview.stack_outputs == {"url": KNOWN_AFTER_APPLY, "name": "q"}
    up = run_program(_queue_then_topic_in_apply)
    assert up.stack_outputs["url"].startswith("https://sqs.")


def test_a_read_of_an_unknown_id_returns_nothing_in_a_preview() -> None:
    def program() -> None:
        queue = aws.sqs.Queue("q", name="q")
        read = k8s.core.v1.Service.get("svc", queue.url.apply(lambda url: f"wire/{url.rsplit('/', 1)[-1]}"))
        pulumi.export("status", read.status)

    preview = run_program(program, preview=True)
    read = next(r for r in preview.resources if r.read)
    assert read.inputs == {"id": KNOWN_AFTER_APPLY} and read.outputs == {}
    assert preview.stack_outputs["status"] == KNOWN_AFTER_APPLY
    up = run_program(program)
    assert next(r for r in up.resources if r.read).inputs == {"id": "wire/q"}
