"""`python -m migrate values` writes exactly the plan's values: every stack, nulls included, every secret listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.stackfile import PROJECT_ROOT
from migrate.cli import main
from migrate.values import secret_paths_of, split_secrets
from plan.registrations import reveal_secrets
from plan.runner import evaluate
from tests.migrate.test_layered_secrets import STACK, project

# The cluster add-ons are not Wire's releases: `migrate values` does not write them.
# The cluster add-ons: `migrate values` writes only the Wire releases.
ADDONS = {"cert-manager", "aws-load-balancer-controller", "gateway-crds"}
# An operator removing a chart default with null (helm deletes the key): the release must get the null.
NULLS = """\
  wire:extraValues:
    wireServer:
      brig:
        turnStatic:
          v2: null
"""


def stacks(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    layered = project(tmp_path_factory.mktemp("layered"), STACK + NULLS)
    return [("dev", PROJECT_ROOT), ("prod", PROJECT_ROOT), ("legacy", layered)]


@pytest.mark.parametrize("case", ["dev", "prod", "legacy"])
def test_values_files_and_secret_list_equal_the_plan(
    case: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = dict(stacks(tmp_path_factory))[case]
    stack = case
    plan = evaluate(stack, root)
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(reveal_secrets(plan.evaluation.stack_outputs)))
    out = tmp_path / "values"
    argv = ["values", "--stack", stack, "--outputs", str(outputs), "--out", str(out), "--no-secrets"]
    assert main([*argv, "--stack-dir", str(root)]) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out

    expected_left_out: list[str] = []
    trees: dict[str, Any] = plan.evaluation.result or {}
    for release, tree in sorted(trees.items()):
        if release in ADDONS:
            continue
        public, secret = split_secrets(tree)
        written = yaml.safe_load((out / f"{release}.yaml").read_text())
        assert written == (public or {}), release
        expected_left_out += [f"{release}: {path}" for path in secret_paths_of(secret)] if secret else []
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{r}.yaml" for r in trees if r not in ADDONS)
    assert printed.strip().endswith(", ".join(expected_left_out))
    if case == "legacy":
        wire_server = yaml.safe_load((out / "wire-server.yaml").read_text())
        assert "v2" in wire_server["brig"]["turnStatic"] and wire_server["brig"]["turnStatic"]["v2"] is None
        assert "team-settings: secrets.configJson" in expected_left_out
