"""galley's optional team-events journal."""

from __future__ import annotations

import pulumi

from components import naming
from components.aws.common import child
from components.aws.queues import EncryptedQueue
from components.config import StackConfig


class TeamEventsJournal(pulumi.ComponentResource):
    """The FIFO queue galley journals team events to (group `team.events`, explicit dedup ids)."""

    queue: EncryptedQueue
    queue_name: str

    def __init__(self, name: str, cfg: StackConfig, *, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("wire:aws:TeamEventsJournal", name, None, opts)
        self.queue_name = naming.team_events_queue(cfg.environment)
        self.queue = EncryptedQueue(self.queue_name, cfg, component="galley", role="teamEvents", opts=child(self))
        self.register_outputs({"queueName": self.queue_name, "queueUrl": self.queue.url})
