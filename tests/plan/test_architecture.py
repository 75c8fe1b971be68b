"""The architecture picture's derivation on synthetic registrations (the prod copy: tests/plan/test_plan.py)."""

from __future__ import annotations

import json
from typing import Any

from plan.architecture import architecture_mermaid, helm_leaves, uses
from plan.registrations import Registration

ARN = "arn:aws:sqs:eu-central-1:123456789012:"


def _registration(
    type_: str, name: str, *, outputs: dict[str, Any], inputs: Any = None, deps: Any = ()
) -> Registration:
    return Registration(
        urn=f"urn:{type_}::{name}",
        type=type_,
        name=name,
        parent=None,
        dependencies=list(deps),
        custom=True,
        protect=False,
        retain_on_delete=False,
        provider=None,
        inputs=inputs or {},
        outputs=outputs,
    )


QUEUE = _registration("aws:sqs/queue:Queue", "prod-events", outputs={"name": "prod-events", "arn": f"{ARN}prod-events"})
TOPIC = _registration(
    "aws:sns/topic:Topic", "prod-events", outputs={"name": "prod-events", "arn": "arn:sns:prod-events"}
)
ROLE = _registration(
    "aws:iam/role:Role", "prod-gundeck", outputs={"name": "prod-gundeck", "arn": "arn:role/prod-gundeck"}
)
POLICY = _registration(
    "aws:iam/rolePolicy:RolePolicy",
    "prod-gundeck",
    outputs={},
    inputs={"role": "prod-gundeck", "policy": json.dumps({"Statement": [{"Resource": [f"{ARN}prod-events"]}]})},
)
VALUES = {
    "wire-server": {
        "gundeck": {
            "config": {"aws": {"queueName": "prod-events", "region": "eu-central-1"}},
            "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:role/prod-gundeck"}},
        }
    }
}


def test_a_name_two_resources_share_goes_to_the_one_the_services_policy_grants() -> None:
    found = {(use.resource, use.service, use.helm_key) for use in uses([QUEUE, TOPIC, ROLE, POLICY], VALUES)}
    assert found == {
        ("Queue prod-events", "gundeck", "gundeck.config.aws.queueName"),
        ("Role prod-gundeck", "gundeck", r"gundeck.serviceAccount.annotations.eks\.amazonaws\.com/role-arn"),
    }


def test_without_a_policy_both_candidates_stay() -> None:
    found = {use.resource for use in uses([QUEUE, TOPIC], VALUES)}
    assert found == {"Queue prod-events", "Topic prod-events"}


def test_an_identifier_shared_with_a_dependency_is_a_reference_not_its_own() -> None:
    bucket = _registration("aws:s3/bucket:Bucket", "assets", outputs={"bucket": "prod-assets"})
    cors = _registration(
        "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
        "assets-cors",
        outputs={"bucket": "prod-assets"},
        deps=[bucket.urn],
    )
    values = {"wire-server": {"cargohold": {"config": {"aws": {"s3Bucket": "prod-assets"}}}}}
    assert [use.resource for use in uses([bucket, cors], values)] == ["Bucket assets"]


def test_other_releases_are_named_and_short_values_never_match() -> None:
    record = _registration("aws:route53/record:Record", "cname-teams", outputs={"name": "teams.example.com"})
    short = _registration("aws:sqs/queue:Queue", "q", outputs={"name": "eu"})
    values = {"team-settings": {"config": {"externalUrls": {"appHost": "teams.example.com"}}, "x": "eu"}}
    found = uses([record, short], values)
    assert [(use.resource, use.service, use.helm_key) for use in found] == [
        ("Record cname-teams", "team-settings", "team-settings: config.externalUrls.appHost")
    ]
    assert 'r0 -- "team-settings: config.externalUrls.appHost" --> s0' in architecture_mermaid(found)


def test_leaves_use_helm_set_paths() -> None:
    assert list(helm_leaves({"a": {"b.c": [1, {"d": 2}]}})) == [(r"a.b\.c[0]", 1), (r"a.b\.c[1].d", 2)]
