"""Every module that registers a rule or a warning is imported by all_rules.py, so none is silently skipped."""

from __future__ import annotations

from pathlib import Path

from components.config import all_rules

CONFIG = Path(all_rules.__file__).parent


def test_every_registering_module_is_in_all_rules() -> None:
    registering = {
        path.stem for path in CONFIG.glob("*.py") if "@rule(" in path.read_text() or "@warning\n" in path.read_text()
    }
    assert registering <= {module.__name__.rsplit(".", 1)[-1] for module in all_rules.MODULES}
