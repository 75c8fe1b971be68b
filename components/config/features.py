"""Optional queues and table: brig's prekey table and the user/team event journals."""

from __future__ import annotations

from components.config.base import Model


class Features(Model):
    prekey_table: bool = False
    """DynamoDB prekey table for brig (sets randomPrekeys: false)."""
    team_events_journal: bool = False
    """galley's team-events FIFO journal."""
    user_journal: bool = False
    """brig's user-events FIFO journal."""
