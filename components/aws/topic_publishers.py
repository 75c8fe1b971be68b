"""Which AWS services publish to a topic of the stack (no Pulumi here): the grants the topic key must carry.

`components/aws/keys.py` writes the key policy from them, and `verify` checks the live key against them.
"""

from __future__ import annotations

from components.aws import policies
from components.config import EmailMode, PushMode, StackConfig


def topic_publishers(cfg: StackConfig) -> list[str]:
    """The AWS services that publish to a topic of this stack."""
    publishers = []
    if cfg.email.mode == EmailMode.SES:
        publishers.append(policies.SES_PUBLISHER)  # bounce and complaint notifications
    if cfg.push.mode == PushMode.CREATE and cfg.push.apps:
        publishers.append(policies.SNS_PUBLISHER)  # the platform applications' endpoint events
    if cfg.alarms.enabled:
        publishers.append(policies.CLOUDWATCH_PUBLISHER)  # the alarms' notifications
    return publishers
