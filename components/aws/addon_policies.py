"""IAM policies of the cluster add-ons (pure, no Pulumi): cert-manager's DNS-01 access to the stack's zone, and
the AWS Load Balancer Controller's policy as AWS publishes it (components/aws/data/README.md).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from components.aws.policies import Document, allow, document

LB_CONTROLLER_POLICY_FILE = Path(__file__).resolve().parent / "data" / "aws-load-balancer-controller-iam-policy.json"
# The partition the stored copy is written for.
_STORED_PARTITION = "arn:aws:"


def hosted_zone_arn(zone_id: str, partition: str = "aws") -> str:
    return f"arn:{partition}:route53:::hostedzone/{zone_id}"


def cert_manager_dns01_policy(*, zone_id: str, partition: str = "aws") -> Document:
    """What cert-manager's Route53 solver calls for a ClusterIssuer that names its hostedZoneID.

    cert-manager's Route53 guide lists GetChange, Change/ListResourceRecordSets and ListHostedZonesByName;
    the last one only finds the zone when no hostedZoneID is given, and ours always gives it, so it is
    left out. Changes are limited to TXT records named `_acme-challenge.*` in this one zone.
    """
    zone = hosted_zone_arn(zone_id, partition)
    return document(
        [
            allow("WaitForChanges", ["route53:GetChange"], [f"arn:{partition}:route53:::change/*"]),
            allow("ReadChallengeRecords", ["route53:ListResourceRecordSets"], [zone]),
            allow(
                "WriteChallengeRecords",
                ["route53:ChangeResourceRecordSets"],
                [zone],
                {
                    "ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]},
                    "ForAllValues:StringLike": {
                        "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"]
                    },
                },
            ),
        ]
    )


@cache
def _stored_lb_controller_policy() -> str:
    return LB_CONTROLLER_POLICY_FILE.read_text(encoding="utf-8")


def aws_load_balancer_controller_policy(partition: str = "aws") -> Document:
    """AWS's published policy of the controller version pinned in charts.py, for the stack's partition."""
    text = _stored_lb_controller_policy()
    return json.loads(text.replace(f'"{_STORED_PARTITION}', f'"arn:{partition}:'))
