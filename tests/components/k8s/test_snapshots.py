"""Snapshots of the complete helm values of the real dev and prod stacks.

Regenerate after an intended change with

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest -q tests/components/k8s/test_snapshots.py

and review the diff of tests/components/k8s/snapshots/ as a Wire operator would before committing.
The config comes from Pulumi.<stack>.yaml (secrets still to set filled with `[secret]`), the AWS
outputs are fixed (tests/components/k8s/k8s_support.py), and secrets are redacted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from components.k8s.values import release_values, values_yaml
from components.k8s.values.datastores import amazon_root_cas
from components.outputs import map_marked
from tests.components.k8s.k8s_support import aws_outputs, stack_cfg

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


def rendered(stack: str) -> dict[str, str]:
    cfg = stack_cfg(stack)
    return {release: values_yaml(tree) for release, tree in release_values(cfg, aws_outputs(cfg)).items()}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_values_snapshot(stack: str) -> None:
    current = rendered(stack)
    folder = SNAPSHOTS / stack
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.yaml"):
            stale.unlink()
        for release, text in current.items():
            (folder / f"{release}.yaml").write_text(text)
    stored = {path.stem: path.read_text() for path in sorted(folder.glob("*.yaml"))}
    assert sorted(stored) == sorted(current), "releases differ; UPDATE_SNAPSHOTS=1 regenerates after review"
    for release, text in current.items():
        assert text == stored[release], f"{stack}/{release}.yaml differs; UPDATE_SNAPSHOTS=1 regenerates"


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_snapshots_hold_no_secret_and_no_fake_aws(stack: str) -> None:
    for path in (SNAPSHOTS / stack).glob("*.yaml"):
        text = path.read_text()
        assert "fake-aws" not in text
        # Amazon's root CAs (public certificates, gundeck's redis.tlsCa) are the only PEM allowed.
        tree = map_marked(yaml.safe_load(text), str, lambda leaf: "" if leaf == amazon_root_cas() else leaf)
        assert "BEGIN" not in json.dumps(tree) and "PRIVATE KEY" not in text
