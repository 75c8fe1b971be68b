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
