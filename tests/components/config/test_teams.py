"""The teams section's rules."""

from __future__ import annotations

from tests.components.config.config_support import base, load, problems


def test_team_size_above_the_fanout_limit_is_allowed_with_a_warning() -> None:
    cfg = load(base(teams={"maxTeamSize": 2001}))
    assert any("above 2000 members" in w for w in cfg.warnings())
    assert load(base(teams={"maxTeamSize": 2000})).warnings() == []


def test_conversation_size_stays_within_the_fanout_limit() -> None:
    found = problems(base(teams={"maxConversationSize": 2001}))
    assert found == ["wire:teams.maxConversationSize: Input should be less than or equal to 2000 (got 2001)"]
