"""galley: the team-events journal."""

from __future__ import annotations

import pytest

from tests.components.k8s.k8s_support import make_cfg
from tests.components.k8s.values.values_support import ws


@pytest.mark.parametrize("journal", [True, False])
def test_galley_journal(journal: bool) -> None:
    config = ws(make_cfg(features={"teamEventsJournal": journal}))["galley"]["config"]
    assert config["aws"] == {"region": "eu-central-1"}
    if journal:
        assert config["journal"] == {
            "queueName": "staging-team-events.fifo",
            "endpoint": "https://sqs.eu-central-1.amazonaws.com",
        }
    else:
        assert "journal" not in config
