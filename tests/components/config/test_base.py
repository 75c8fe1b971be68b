"""The `Model` base: importing the config package builds no validator (they are built on first use)."""

from __future__ import annotations

import subprocess
import sys

from components.stackfile import PROJECT_ROOT

# A fresh interpreter: in this one other tests have long validated configurations.
_PROBE = """
import components.config
from components.config.base import Model

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

models = sorted({m.__name__ for m in subclasses(Model)})
built = sorted(m.__name__ for m in subclasses(Model) if m.__pydantic_complete__)
print(len(models), ",".join(built))
"""


def test_importing_the_config_package_builds_no_validator() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    count, built = done.stdout.split(" ", 1)
    assert int(count) > 20
    # A section default written as an instance (`x: X = X()`) builds X's validator at import: use
    # `x: X = Field(default_factory=X)`.
    assert built.strip() == ""


def test_cross_field_rules_still_run_when_a_field_of_the_section_fails() -> None:
    from tests.components.config.config_support import EXTERNAL, base, problems

    external = {**EXTERNAL, "snsEndpoint": "not a url", "arnEnv": "acme"}
    found = problems(base(push={"mode": "external", "external": external}))
    assert found[0] == "wire:push.external.snsEndpoint: 'not a url' is not an http(s) URL"
    assert found[1].startswith("wire:push.external.queueName: 'staging-gundeck-events' must start with 'acme-'")
    assert len(found) == 2  # push's own rule (external required in mode external) reads the failed field: skipped


def test_a_rule_reading_a_field_that_failed_is_skipped_not_guessed() -> None:
    from tests.components.config.config_support import base, problems

    # cannon's rule needs certManager, which fails: it must not claim "neither certManager nor tls".
    wslb = {"enabled": True, "hostname": "ws.example.com", "certManager": {"enabled": True, "issuer": "x"}}
    found = problems(base(cannon={"websocketLoadBalancer": wslb}))
    assert len(found) == 1 and "certManager.issuer: is not a known key" in found[0]
