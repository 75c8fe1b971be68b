"""A migrating stack (wire:assets.migration) gets the expected duration of its asset copy in the plan summary."""

from __future__ import annotations

from pathlib import Path

import yaml

from plan.copy_estimate import copy_seconds, duration_text
from plan.summary import summary


def test_the_plan_of_a_migrating_stack_says_how_long_the_copy_takes(tmp_path: Path) -> None:
    from plan.runner import evaluate
    from tests.corpus import good_stacks, project_root

    source = good_stacks()["minimal-irsa-ses"]
    document = yaml.safe_load(source.read_text())
    assets = dict(document["config"].get("wire:assets") or {})
    assets["migration"] = {"objects": 2_000_000, "size": "750GiB", "shards": 8}
    document["config"]["wire:assets"] = assets
    stack = tmp_path / "migrating.yaml"
    stack.write_text(yaml.safe_dump(document, sort_keys=False))
    plan = evaluate("migrating", project_root(tmp_path / "root", {"migrating": stack})).document()

    one = duration_text(copy_seconds(2_000_000, 750 * 1024**3))
    eight = duration_text(copy_seconds(2_000_000, 750 * 1024**3, 8))
    assert f"{one} on one machine, {eight} with 8 shards in the cluster" in plan["assetCopy"]
    text = summary(plan)
    assert "Asset copy (wire:assets.migration): estimated copy time for 2000000 objects (750.0 GiB)" in text


def test_a_stack_that_does_not_migrate_has_no_estimate(tmp_path: Path) -> None:
    from plan.runner import evaluate
    from tests.corpus import good_stacks, project_root

    plan = evaluate("plain", project_root(tmp_path, {"plain": good_stacks()["minimal-irsa-ses"]})).document()
    assert "assetCopy" not in plan and "Asset copy" not in summary(plan)
