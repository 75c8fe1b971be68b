"""Reading a written plan directory back: `plan.json` and its per-release values files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from components import yaml_text


def load_plan(plan_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """`plan.json` and its values files (release -> tree) from a plan directory."""
    plan = json.loads((plan_dir / "plan.json").read_text())
    values = {
        release: yaml_text.load((plan_dir / path).read_text())
        for release, path in (plan.get("values") or {}).items()
        if (plan_dir / path).exists()
    }
    return plan, values
