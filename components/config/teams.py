"""Team and conversation size, bounded by Wire's fan-out limit."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from components.config.base import Model, PositiveWord32

# Wire's backend fans a message out to at most 2000 recipients (guide: "I have a team larger than 500 users").
FANOUT_LIMIT = 2000


class Teams(Model):
    max_team_size: PositiveWord32 | None = None
    """brig's setMaxTeamSize and galley's maxTeamSize, kept equal; the chart default (10000) when unset."""
    max_conversation_size: Annotated[int, Field(gt=0, le=FANOUT_LIMIT)] = 500
    """Maximum conversation size (≤ 2000, the fan-out limit)."""

    def warnings(self) -> list[str]:
        if self.max_team_size is not None and self.max_team_size > FANOUT_LIMIT:
            return [
                f"teams.maxTeamSize is {self.max_team_size}: above {FANOUT_LIMIT} members, clients stop receiving "
                "team update events (e.g. a member joining) live over the websocket; the rest works"
            ]
        return []
