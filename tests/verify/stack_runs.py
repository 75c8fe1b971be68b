"""A test stack provisioned in moto and `python -m verify` run against it, for the tests of verify's checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.moto_support import provisioned
from tests.verify import verify_stack as vs
from verify.cli import main


@dataclass
class Stack:
    url: str
    root: Path
    name: str
    created: vs.Created
    capsys: pytest.CaptureFixture[str]

    @property
    def env(self) -> str:
        return self.created.cfg.environment

    def client(self, service: str, region: str = vs.REGION) -> Any:
        return vs.client(self.url, service, region)

    def verify(self, *args: str) -> tuple[int, list[dict[str, str]]]:
        self.capsys.readouterr()
        code = main(["--stack", self.name, "--stack-dir", str(self.root), "--json", *args])
        return code, json.loads(self.capsys.readouterr().out)


def failures(results: list[dict[str, str]]) -> list[dict[str, str]]:
    return [result for result in results if result["status"] == "fail"]


def only_failure(results: list[dict[str, str]]) -> dict[str, str]:
    found = failures(results)
    assert len(found) == 1, json.dumps(found, indent=1)
    return found[0]


def make_stack(url: str, root: Path, capsys: pytest.CaptureFixture[str], *, dns: bool, **changes: Any) -> Stack:
    """The test stack (verify_stack.values with `changes`) provisioned correctly in moto, with its stack file.

    Built once per server and restored for every later test of the same stack (tests/moto_support.provisioned).
    """

    def build() -> tuple[dict[str, Any], vs.Created]:
        wire = vs.values(zone_id=vs.hosted_zone(url) if dns else None, **changes)
        return wire, vs.provision(url, vs.config(wire))

    wire, created = provisioned(url, "stack:" + json.dumps([dns, changes], sort_keys=True), build)
    return Stack(url, root, vs.write_stack(root, wire, url), created, capsys)
