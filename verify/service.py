"""`--as-service SVC`: with the service's own credentials, every call it makes is authorised and others are denied.

The probes themselves live in `verify/probes.py` (shared with the in-cluster Job); this module turns
what the stack should have (`Expected`) into the service's `ServiceSpec`.
"""

from __future__ import annotations

import re

from components import naming
from verify import probes
from verify.aws import Aws
from verify.expected import Expected
from verify.probes import QueueProbe, ServiceSpec
from verify.results import Result, ok, warn

SERVICES = naming.SERVICES


def principal_name(service: str, expected: Expected) -> str:
    role_arn = expected.service_role_arns.get(service)
    return role_arn.rsplit("/", 1)[-1] if role_arn else naming.service_role(expected.environment, service)


def principal(check: str, arn: str, service: str, expected: Expected) -> Result:
    """IRSA callers are `assumed-role/<env>-<svc>/...`, static keys `user/<env>-<svc>`."""
    name = principal_name(service, expected)
    if re.search(rf"(assumed-role|role|user)/{re.escape(name)}(/|$)", arn):
        return ok(check, arn, f"running as {service}'s principal {name}")
    return warn(check, arn, f"not {service}'s role or user {name}: the results show this principal's permissions")


def spec(service: str, expected: Expected, endpoints: dict[str, str] | None = None) -> ServiceSpec:
    """What `service` calls in this stack (components/aws/policies.py grants exactly these)."""
    queues: list[QueueProbe] = []
    common = {
        "service": service,
        "region": expected.region,
        "endpoints": dict(endpoints or {}),
        "principal": principal_name(service, expected),
    }
    if service == "brig":
        queues.append(QueueProbe(expected.brig_internal_queue, send=True, receive=True))
        if expected.ses:
            queues.append(QueueProbe(expected.ses.queue, receive=True))
        if expected.user_journal_queue:
            queues.append(QueueProbe(expected.user_journal_queue, send=True))
        return ServiceSpec(
            **common,
            queues=queues,
            prekey_table=expected.prekey_table,
            email_sender=expected.ses.sender if expected.ses else None,
        )
    if service == "galley":
        if expected.team_events_queue:
            queues.append(QueueProbe(expected.team_events_queue, send=True))
        return ServiceSpec(**common, queues=queues)
    if service == "gundeck":
        push = expected.push
        if push is None:
            return ServiceSpec(**common)
        external = push.sqs_endpoint is not None
        queues.append(
            QueueProbe(
                push.queue,
                receive=True,
                region=push.region if external else None,
                endpoint=push.sqs_endpoint,
            )
        )
        return ServiceSpec(**common, queues=queues, apps=push.app_arns, sns_region=push.region)
    if service == "cargohold":
        return ServiceSpec(**common, bucket=expected.bucket, addressing_style=expected.addressing_style)
    raise ValueError(f"unknown service {service}; one of {', '.join(SERVICES)}")


def run(service: str, expected: Expected, aws: Aws) -> list[Result]:
    return probes.run(spec(service, expected), aws)
