"""Keys of a section switched off with `enabled: false`: a warning naming them, never a refusal.

Flipping `enabled` is how operators switch a feature off, and they keep its settings for the day they switch
it on again: the keys have no effect meanwhile, and the plan says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel

from components.config.base import set_besides_enabled
from components.config.push import PushMode
from components.config.registry import warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig

# Each section with an `enabled` switch: its wire: key, how to reach it, and what off means.
SWITCHED_SECTIONS: tuple[tuple[str, Callable[[StackConfig], BaseModel], str], ...] = (
    (
        "cannon.websocketLoadBalancer",
        lambda cfg: cfg.cannon.websocket_load_balancer,
        "cannon has no own load balancer; websockets go through the entry point at nginz-ssl.<domain>",
    ),
    ("assets.cloudFront", lambda cfg: cfg.assets.cloud_front, "no CloudFront distribution; assets come from S3"),
    ("linkPreviews", lambda cfg: cfg.link_previews, "no proxy service runs"),
    ("alarms", lambda cfg: cfg.alarms, "no alarm and no alarm topic is created"),
    ("assets.replication", lambda cfg: cfg.assets.replication, "no replica bucket, no replication"),
    ("backup", lambda cfg: cfg.backup, "no AWS Backup plan, no vault"),
)


@warning
def disabled_section_keys(cfg: StackConfig) -> list[str]:
    found = _push_switched_off(cfg)
    for key, section_of, why in SWITCHED_SECTIONS:
        section = section_of(cfg)
        if getattr(section, "enabled", True):
            continue
        leftovers = set_besides_enabled(section)
        if leftovers:
            names = ", ".join(f"wire:{key}.{name}" for name in leftovers)
            found.append(
                f"wire:{key}.enabled is false ({why}): {names} have no effect until it is true; "
                "keep them for then, or remove them"
            )
    return found


def _push_switched_off(cfg: StackConfig) -> list[str]:
    push = cfg.push
    if push.mode != PushMode.DISABLED:
        return []
    kept = [name for name, value in (("apps", push.apps), ("external", push.external)) if value]
    if not kept:
        return []
    names = ", ".join(f"wire:push.{name}" for name in kept)
    return [
        f"wire:push.mode is disabled (no platform application, no push through Wire's account): {names} have no "
        "effect until mode is create (apps) or external (external); keep them for then, or remove them"
    ]
