"""A stack's namespaced config into the config model: keys the program would never read are reported."""

import pytest

from components.config import ConfigError
from components.stack_loading import aws_provider_keys, load_stack, namespace_problems


def test_the_aws_provider_keys_come_from_the_pinned_provider() -> None:
    assert {"region", "profile", "assumeRoles", "skipCredentialsValidation"} <= aws_provider_keys()
    assert "regoin" not in aws_provider_keys()


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("aws:regoin", "aws:regoin is not a setting of the AWS provider (did you mean aws:region?); fix the spelling"),
        ("asw:profile", "asw:profile: unknown namespace 'asw' (did you mean aws:profile?); fix the namespace"),
        ("wrie:domain", "wrie:domain: the program reads wire:domain (namespace 'wire', the project name)"),
    ],
)
def test_keys_the_program_never_reads_are_named_with_their_fix(key: str, problem: str) -> None:
    [found] = namespace_problems({key: "x"})
    assert found.startswith(problem)


def test_keys_of_the_known_namespaces_are_no_problem() -> None:
    assert namespace_problems({"aws:region": "eu-west-1", "kubernetes:context": "kind", "pulumi:tags": {}}) == []


def test_file_problems_come_first_and_the_config_problems_with_them() -> None:
    with pytest.raises(ConfigError) as caught:
        load_stack({"aws:regoin": "eu-west-1"}, problems=["Pulumi.t.yaml line 3: wire:domain is set twice"])
    problems = caught.value.problems
    assert problems[0] == "Pulumi.t.yaml line 3: wire:domain is set twice"
    assert problems[1].startswith("aws:regoin is not a setting of the AWS provider")
    assert any("wire:environment" in problem for problem in problems[2:])


AWS_ONLY = {
    "aws:region": "eu-central-1",
    "wire:environment": "prod",
    "wire:production": False,
    "wire:domain": "example.com",
    "wire:serviceCredentials": {"mode": "staticKeys"},
    "wire:email": {"mode": "smtp", "sender": "no-reply@example.com", "smtp": {"host": "smtp.example.com"}},
}


def test_a_stack_deploying_releases_without_naming_its_cluster_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError) as caught:
        load_stack({**AWS_ONLY, "wire:kubernetes": {"namespace": "wire"}}, allow_missing_secrets=True)
    [problem] = caught.value.problems
    assert problem.startswith("wire:kubernetes: the stack deploys helm releases but names no cluster")
    assert all(key in problem for key in ("wire:kubernetes.context", "kubeconfig", "clusterStack", "releases: false"))


@pytest.mark.parametrize(
    "kubernetes",
    [
        {"context": "kind-wire"},
        {"kubeconfig": "/home/ops/.kube/wire-prod"},
        {"clusterStack": "acme/eks/prod"},
        {"releases": False},
    ],
)
def test_a_named_cluster_or_no_releases_is_accepted(kubernetes: dict) -> None:
    loaded = load_stack({**AWS_ONLY, "wire:kubernetes": kubernetes}, allow_missing_secrets=True)
    assert loaded.config.kubernetes.unnamed_cluster_problem() is None


def test_the_default_providers_kubernetes_context_is_named_as_the_key_to_move() -> None:
    with pytest.raises(ConfigError) as caught:
        load_stack({**AWS_ONLY, "kubernetes:context": "kind-wire"}, allow_missing_secrets=True)
    [problem] = caught.value.problems
    assert problem.endswith("move kubernetes:context to wire:kubernetes.context)")
