"""Leftovers of the shipped examples (warnings) and what must live in aws:region (problems)."""

from __future__ import annotations

from pydantic import SecretStr

from components.config.leftovers import EXAMPLE_VALUES, is_example_domain, leftovers
from tests.components.config.config_support import EXTERNAL, base, load, problems
from tests.corpus import PROGRAM

REAL = "wire.acme.org"
OIDC_EU = "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/5C2D9F"


def real(**overrides: object) -> dict:
    values = base(domain=REAL, email={"mode": "ses", "sender": f"no-reply@{REAL}"})
    values["serviceCredentials"] = {"mode": "irsa", "oidcProviderArn": OIDC_EU}
    values.update(overrides)
    return values


def test_every_example_value_is_one_of_the_shipped_examples() -> None:
    examples = "".join((PROGRAM / f"Pulumi.{stack}.yaml").read_text() for stack in ("prod", "dev"))
    assert [value for value in EXAMPLE_VALUES if value not in examples] == []


def test_reserved_example_domains() -> None:
    for domain in ("example.com", "wire.example.com", "example.org", "wire.test", "a.example", "x.localhost"):
        assert is_example_domain(domain), domain
    for domain in ("acme.org", "example.community", "wire.testing.io", "examples.com"):
        assert not is_example_domain(domain), domain


def test_a_stack_of_a_real_domain_without_leftovers_has_no_warning() -> None:
    assert leftovers(load(real())) == []


def test_addresses_and_ids_of_the_examples_are_named() -> None:
    cfg = load(
        real(
            alarms={"email": "ops@example.com"},
            sso={"contacts": [{"type": "ContactTechnical", "email": "wire-admins@example.com"}]},
            dns={"zoneId": "Z0123456789EXAMPLE", "target": {"hostname": "lb.acme.org"}},
            extraValues={"webapp": {"envVars": {"URL_SUPPORT_BASE": "https://support.example.com/x"}}},
        )
    )
    found = {path: why for path, _, why in leftovers(cfg)}
    assert found == {
        "alarms.email": "on a reserved example domain",
        "sso.contacts[0].email": "on a reserved example domain",
        "dns.zoneId": "a placeholder id of the examples (EXAMPLE)",
        "extraValues.webapp.envVars.URL_SUPPORT_BASE": "on a reserved example domain",
    }
    warning = next(w for w in cfg.warnings() if w.startswith("wire:alarms.email"))
    assert warning == (
        "wire:alarms.email: 'ops@example.com' is on a reserved example domain, left over from the examples while "
        f"wire:domain is '{REAL}'; set this stack's own value"
    )


def test_secrets_are_never_inspected() -> None:
    cfg = load(
        real(linkPreviews={"enabled": True, "giphy": SecretStr("key-EXAMPLE-example.com")}),
        secret_keys={"linkPreviews"},
    )
    assert leftovers(cfg) == []


def test_an_example_stack_is_left_alone() -> None:
    assert leftovers(load(base(alarms={"email": "ops@example.com"}))) == []


def test_the_cluster_and_the_kms_key_must_be_in_aws_region() -> None:
    found = problems(
        real(
            kubernetes={"context": "admin@wire.eu-west-1.eksctl.io"},
            serviceCredentials={
                "mode": "irsa",
                "oidcProviderArn": OIDC_EU.replace("eu-central-1", "eu-west-1"),
                "kmsKeyArn": "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            },
        )
    )
    keys = [problem.split(": ")[0] for problem in found]
    assert keys == [
        "wire:serviceCredentials.oidcProviderArn",
        "wire:serviceCredentials.kmsKeyArn",
        "wire:kubernetes.context",
    ]
    assert all("is in region eu-west-1, but aws:region is eu-central-1" in problem for problem in found)


def test_what_may_be_elsewhere_is_not_refused() -> None:
    # Wire's push account is Wire's; a context named by the operator says no region; same-region ARNs pass.
    cfg = load(
        real(
            push={"mode": "external", "external": {**EXTERNAL, "region": "us-east-1"}},
            kubernetes={"context": "wire"},
        ),
        secret_keys={"push"},
    )
    assert cfg.push.external is not None and cfg.push.external.region == "us-east-1"
    load(real(kubernetes={"context": "arn:aws:eks:eu-central-1:210987654321:cluster/wire"}))
    load(real(kubernetes={"context": "admin@wire.eu-central-1.eksctl.io"}))
