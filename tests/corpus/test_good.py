"""Every good stack of the corpus plans through the real CLI entry, and __main__ accepts its config."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.config import PLACEHOLDER
from plan.__main__ import main as plan_main
from plan.mock_outputs import stack_output_placeholder
from plan.registrations import redact_secrets
from plan.runner import evaluate
from tests.corpus import good_stacks, project_root

GOOD = good_stacks()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_root(tmp_path_factory.mktemp("good"), GOOD)


def test_the_good_corpus_covers_the_variant_matrix() -> None:
    assert len(GOOD) >= 15


@pytest.mark.parametrize("case", sorted(GOOD))
def test_good_stack_plans(root: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = plan_main(["--stack", case, "--root", str(root), "--out", str(root / "out" / case), "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert (root / "out" / case / "plan.json").exists()


def test_a_cluster_stack_is_answered_with_marked_placeholders(root: Path) -> None:
    plan = evaluate("cluster-stack", root)
    reference = plan.evaluation.one("pulumi:pulumi:StackReference")
    assert reference.read and reference.name == "acme/eks/prod"
    assert reference.outputs["outputs"]["kubeconfig"] == stack_output_placeholder("acme/eks/prod", "kubeconfig")
    provider = plan.evaluation.one("pulumi:providers:kubernetes")
    assert redact_secrets(provider.inputs["kubeconfig"]) == PLACEHOLDER


def test_yaml_is_read_as_the_cli_reads_it(root: Path) -> None:
    plan = evaluate("yaml12-scalars", root)
    assert plan.config.environment == "on"
    assert plan.config.dns is not None and plan.config.dns.ttl == 300
    assert plan.config.dns.extra_records[0].values == ["2024-01-01", "no"]


def test_a_section_left_out_keeps_its_defaults_under_the_placeholders(root: Path) -> None:
    plan = evaluate("databases-readme-secrets", root)
    assert plan.config.databases.rabbitmq.host == "rabbitmq-external"
    assert "databases.rabbitmq.password" in plan.secrets_to_set
    assert "databases.rabbitmq.username" not in plan.secrets_to_set
