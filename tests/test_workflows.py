"""The GitHub workflows: every action pinned to a commit, and the stack list preview/deploy run on."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")


def test_every_action_is_pinned_to_a_commit_with_its_tag() -> None:
    uses = [
        (path.name, match[1], match[2])
        for path in WORKFLOWS
        for line in path.read_text().splitlines()
        if (match := USES.match(line))
    ]
    assert uses
    for workflow, action, comment in uses:
        if action.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{workflow}: {action} is not pinned to a SHA"
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{workflow}: {action} lacks its `# vX.Y.Z` tag"


def stacks(tmp_path: Path, value: str, files: tuple[str, ...] = ("dev", "prod")) -> subprocess.CompletedProcess[str]:
    for stack in files:
        (tmp_path / f"Pulumi.{stack}.yaml").write_text("config: {}\n")
    env = {key: val for key, val in os.environ.items() if key != "GITHUB_OUTPUT"} | {"PULUMI_STACKS": value}
    script = ROOT / ".github" / "scripts" / "stacks.sh"
    return subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("prod", '["prod"]'), ("prod dev", '["prod","dev"]'), (" dev, prod ", '["dev","prod"]'), ("", "[]")],
)
def test_stacks_become_a_matrix_in_order(tmp_path: Path, value: str, expected: str) -> None:
    done = stacks(tmp_path, value)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == f"stacks={expected}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("prod staging", "no Pulumi.staging.yaml in the repository"),
        ("prod;rm", "'prod;rm' is not a stack name"),
        ('dev"]', "is not a stack name"),
    ],
)
def test_a_stack_without_its_file_or_a_bad_name_fails_the_run(tmp_path: Path, value: str, message: str) -> None:
    done = stacks(tmp_path, value)
    assert done.returncode == 1
    assert "::error::PULUMI_STACKS:" in done.stdout and message in done.stdout
    assert "stacks=" not in done.stdout
