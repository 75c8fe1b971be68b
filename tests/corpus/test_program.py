"""`pulumi up`'s path (`__main__.py`) gives the offline plan's report for the same stack config.

The config is fed the way the language host hands it over (every key as a string, objects as JSON,
secret keys listed; a secure value as the placeholder the offline reader decodes it to), and the program
must stop in `read_stack_config` with the same problems. Only what a runtime cannot see differs: the stack
file's own problems (duplicate keys), the line the plan names before each key, and required secrets not set
yet, which the plan tolerates.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest

from components.config import ConfigError
from components.stackfile import StackFile, parse_stack_file, read_stack_file
from components.stackfile_yaml import StackFileError
from plan.mocks import run_program
from tests.corpus import PROGRAM, bad_stacks, project_root
from tests.corpus.test_bad import reported

BAD = bad_stacks()
# Encrypted values the runtime would decrypt and validate for real (here they are placeholders).
RUNTIME_DECRYPTS = {"encrypted-sender"}


def stack_file(case: str) -> StackFile | None:
    try:
        return parse_stack_file(BAD[case].read_bytes(), name=case, source=BAD[case].name)
    except StackFileError:
        return None


def program_problems(stack: StackFile) -> list[str]:
    def program() -> Any:
        return runpy.run_path(str(PROGRAM / "__main__.py"), run_name="__pulumi_main__")

    with pytest.raises(pulumi.RunError) as caught:
        run_program(program, config=stack.as_pulumi_config(), secret_keys=sorted(stack.secret_keys))
    return reported(str(caught.value))


def plan_problems(stack: StackFile) -> list[str]:
    """The plan's problems without the stack file's line before each key (the runtime reads no file)."""
    with pytest.raises(ConfigError) as caught:
        stack.load()
    prefix = re.compile(rf"^{re.escape(stack.source)} line \d+: (?=[A-Za-z][\w-]*:)")
    return [prefix.sub("", problem) for problem in caught.value.problems]


RUNTIME_CASES = sorted(
    case for case in BAD if case not in RUNTIME_DECRYPTS and (s := stack_file(case)) and not s.problems
)


def test_most_bad_cases_reach_the_program() -> None:
    assert len(RUNTIME_CASES) >= 80


@pytest.mark.parametrize("case", RUNTIME_CASES)
def test_the_program_reports_what_the_plan_reports(case: str) -> None:
    stack = stack_file(case)
    assert stack is not None
    reported_by_program = program_problems(stack)
    missing_secret = " is required; set it: pulumi config set --secret --path "
    assert [problem for problem in reported_by_program if missing_secret not in problem] == plan_problems(stack)


def test_pulumi_up_names_the_lines_of_its_stack_file(tmp_path: Path) -> None:
    """Run from a project holding `Pulumi.<stack>.yaml`, the program reports each key with its line, as the plan."""
    case = "adopt-not-what-the-stack-creates"
    root = project_root(tmp_path, {case: BAD[case]})
    stack = read_stack_file(case, root)

    def program() -> Any:
        return runpy.run_path(str(root / "__main__.py"), run_name="__pulumi_main__")

    with pytest.raises(pulumi.RunError) as caught:
        run_program(program, config=stack.as_pulumi_config(), secret_keys=sorted(stack.secret_keys), stack=case)
    with pytest.raises(ConfigError) as planned:
        stack.load()
    missing_secret = " is required; set it: pulumi config set --secret --path "
    assert [p for p in reported(str(caught.value)) if missing_secret not in p] == planned.value.problems
    assert all(problem.startswith(f"Pulumi.{case}.yaml line ") for problem in planned.value.problems)
