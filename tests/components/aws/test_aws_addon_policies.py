"""The add-ons' IAM policies: cert-manager's DNS-01 policy is scoped to the zone; the LB controller's is AWS's
published document, parsed, for the stack's partition. Actions are checked against botocore's service models."""

from __future__ import annotations

import functools
import json

import botocore.session
import pytest

from components.aws import addon_policies
from tests.components.aws.aws_support import actions, statement

ZONE = "Z0123456789EXAMPLE"
# IAM service prefix -> botocore service whose operations are the IAM actions.
_BOTOCORE_SERVICE = {"elasticloadbalancing": "elbv2"}
# IAM permissions with no API operation of their own (SetWebAcl authorises a WAF association on an ALB).
PERMISSION_ONLY = {"elasticloadbalancing:SetWebAcl"}


@functools.cache
def _operations(prefix: str) -> set[str]:
    # Once per service: EC2's model alone is megabytes of JSON.
    model = botocore.session.get_session().get_service_model(_BOTOCORE_SERVICE.get(prefix, prefix))
    return set(model.operation_names)


def _unknown_actions(document: dict) -> list[str]:
    unknown = []
    for action in sorted(actions(document)):
        prefix, name = action.split(":", 1)
        if name not in _operations(prefix) and action not in PERMISSION_ONLY:
            unknown.append(action)
    return unknown


def _resources(item: dict) -> list[str]:
    value = item["Resource"]
    return [value] if isinstance(value, str) else value


def test_dns01_policy_writes_only_challenge_txt_records_in_the_zone() -> None:
    document = addon_policies.cert_manager_dns01_policy(zone_id=ZONE)
    zone = f"arn:aws:route53:::hostedzone/{ZONE}"
    assert document["Version"] == "2012-10-17"
    write = statement(document, "WriteChallengeRecords")
    assert write["Action"] == ["route53:ChangeResourceRecordSets"]
    assert write["Resource"] == [zone]
    assert write["Condition"]["ForAllValues:StringEquals"] == {"route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]}
    assert write["Condition"]["ForAllValues:StringLike"] == {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"]
    }
    assert statement(document, "ReadChallengeRecords") == {
        "Sid": "ReadChallengeRecords",
        "Effect": "Allow",
        "Action": ["route53:ListResourceRecordSets"],
        "Resource": [zone],
    }
    assert statement(document, "WaitForChanges")["Resource"] == ["arn:aws:route53:::change/*"]


def test_dns01_policy_grants_nothing_beyond_the_zone() -> None:
    document = addon_policies.cert_manager_dns01_policy(zone_id=ZONE)
    assert actions(document) == {
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:GetChange",
    }
    for item in document["Statement"]:
        assert item["Effect"] == "Allow"
        assert "*" not in _resources(item), item
        # Only GetChange takes change ids (unknown in advance); everything else is the one zone.
        if item["Action"] != ["route53:GetChange"]:
            assert _resources(item) == [f"arn:aws:route53:::hostedzone/{ZONE}"]
    assert _unknown_actions(document) == []


def test_dns01_policy_in_another_partition() -> None:
    document = addon_policies.cert_manager_dns01_policy(zone_id=ZONE, partition="aws-cn")
    assert statement(document, "ReadChallengeRecords")["Resource"] == [f"arn:aws-cn:route53:::hostedzone/{ZONE}"]
    assert statement(document, "WaitForChanges")["Resource"] == ["arn:aws-cn:route53:::change/*"]


def test_lb_controller_policy_is_the_stored_document_parsed() -> None:
    stored = json.loads(addon_policies.LB_CONTROLLER_POLICY_FILE.read_text())
    document = addon_policies.aws_load_balancer_controller_policy()
    assert document == stored
    assert document["Version"] == "2012-10-17"
    assert len(document["Statement"]) == 16
    assert all(item["Effect"] == "Allow" for item in document["Statement"])
    # Every action is a real operation of its service (botocore's models), so a typo cannot hide here.
    assert _unknown_actions(document) == []


def test_lb_controller_policy_keeps_awss_tag_conditions_on_every_mutation_of_existing_resources() -> None:
    document = addon_policies.aws_load_balancer_controller_policy()
    deletes = [item for item in document["Statement"] if "ec2:DeleteSecurityGroup" in item["Action"]]
    assert deletes and all(
        item["Condition"]["Null"]["aws:ResourceTag/elbv2.k8s.aws/cluster"] == "false" for item in deletes
    )
    created = [item for item in document["Statement"] if "elasticloadbalancing:CreateLoadBalancer" in item["Action"]]
    assert created and all("aws:RequestTag/elbv2.k8s.aws/cluster" in item["Condition"]["Null"] for item in created)
    linked = statement_with(document, "iam:CreateServiceLinkedRole")
    assert linked["Condition"] == {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}


def statement_with(document: dict, action: str) -> dict:
    (found,) = [item for item in document["Statement"] if action in item["Action"]]
    return found


@pytest.mark.parametrize("partition", ["aws", "aws-us-gov", "aws-cn"])
def test_lb_controller_policy_uses_the_stacks_partition(partition: str) -> None:
    document = addon_policies.aws_load_balancer_controller_policy(partition)
    arns = [r for item in document["Statement"] for r in _resources(item) if r != "*"]
    assert arns and all(r.startswith(f"arn:{partition}:") for r in arns)


def test_the_stored_controller_policy_is_byte_identical_to_the_pinned_controller_release() -> None:
    from components.config.charts import Charts
    from tests.reference_support import reference_or_skip

    # Chart 1.17.1 is controller v2.17.1 (the chart's appVersion); the policy is that tag's
    # docs/install/iam_policy.json, kept byte for byte in ../shared/reference/aws-load-balancer-controller/.
    assert Charts().aws_load_balancer_controller.version == "1.17.1"
    published = reference_or_skip("aws-load-balancer-controller/iam_policy-v2.17.1.json")
    assert addon_policies.LB_CONTROLLER_POLICY_FILE.read_bytes() == published.read_bytes()
