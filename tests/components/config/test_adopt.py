"""wire:adopt's own rules: known roles and releases, and ids in the form each provider imports."""

from __future__ import annotations

import pytest

from components.config.adopt import AWS_ROLES, IdKind, id_problem, release_names, split_record_id
from components.k8s.values import (
    ACCOUNT_PAGES,
    INGRESS_NGINX,
    METALLB,
    NGINX_INGRESS_SERVICES,
    TEAM_SETTINGS,
    WEBAPP,
    WIRE_SERVER,
)
from components.k8s.values.addons import AWS_LOAD_BALANCER_CONTROLLER, CERT_MANAGER
from tests.components.config.config_support import base, load, problems

URL = "https://sqs.eu-central-1.amazonaws.com/123456789012/prod-brig-events-internal"


def test_the_known_releases_are_the_programs_release_names() -> None:
    program = {WIRE_SERVER, NGINX_INGRESS_SERVICES, TEAM_SETTINGS, ACCOUNT_PAGES, INGRESS_NGINX, METALLB, WEBAPP}
    assert program | {CERT_MANAGER, AWS_LOAD_BALANCER_CONTROLLER} <= set(release_names())


def test_a_valid_section_loads_and_looks_entries_up() -> None:
    adopt = load(
        base(
            adopt={
                "releases": {"wire-server": "wire/wire-server"},
                "aws": {"brigInternalQueue": URL},
                "dnsRecords": ["Z0123456789EXAMPLE__dmarc.example.com_TXT"],
            }
        )
    ).adopt
    assert adopt.adopting and adopt.step == "import"
    assert adopt.release_id("wire-server") == "wire/wire-server" and adopt.release_id("webapp") is None
    assert adopt.import_id("brigInternalQueue") == URL
    assert adopt.record_id("Z0123456789EXAMPLE", "_dmarc.example.com.", "TXT") is not None
    assert adopt.record_id("Z0123456789EXAMPLE", "_dmarc.example.com", "MX") is None


def test_every_offending_key_is_named_with_the_valid_choices() -> None:
    found = problems(
        base(adopt={"releases": {"wire-servr": "wire/wire-server"}, "aws": {"bucket": "x", "gundeckQueue": "q"}})
    )
    assert len(found) == 3
    assert any(p.startswith("wire:adopt.releases.wire-servr:") and "wire-server" in p for p in found)
    assert any(p.startswith("wire:adopt.aws.bucket:") and "assetsBucket" in p for p in found)
    assert any(p.startswith("wire:adopt.aws.gundeckQueue:") and "queue URL" in p for p in found)


def test_an_unknown_step_is_refused() -> None:
    assert any("wire:adopt.step" in p for p in problems(base(adopt={"step": "later"})))


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (IdKind.QUEUE, URL),
        (IdKind.QUEUE, "http://127.0.0.1:4566/123456789012/prod-team-events.fifo"),
        (IdKind.BUCKET, "prod-assets-cargohold-1a2b3c4d"),
        (IdKind.TABLE, "prod-brig-prekeys"),
        (IdKind.TOPIC, "arn:aws:sns:eu-central-1:123456789012:prod-gundeck-events"),
        (IdKind.TOPIC, "arn:aws-cn:sns:cn-north-1:123456789012:prod-gundeck-events"),
        (IdKind.SES_IDENTITY, "example.com"),
        (IdKind.CONFIGURATION_SET, "prod-brig"),
    ],
)
def test_ids_in_the_providers_form_are_accepted(kind: IdKind, value: str) -> None:
    assert id_problem(kind, value) is None


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (IdKind.QUEUE, "prod-brig-events-internal"),
        (IdKind.QUEUE, "arn:aws:sqs:eu-central-1:123456789012:prod-brig-events-internal"),
        (IdKind.QUEUE, "https://sqs.eu-central-1.amazonaws.com/1234/prod-brig-events-internal"),
        (IdKind.QUEUE, "https://sqs.eu-nowhere-1.amazonaws.com/123456789012/q"),
        (IdKind.BUCKET, "Prod_Assets"),
        (IdKind.BUCKET, "arn:aws:s3:::prod-assets"),
        (IdKind.TABLE, "ab"),
        (IdKind.TOPIC, "prod-gundeck-events"),
        (IdKind.TOPIC, "arn:aws:sns:cn-north-1:123456789012:t"),  # a China region is not in partition aws
        (IdKind.TOPIC, "arn:aws-moon:sns:eu-central-1:123456789012:t"),
        (IdKind.SES_IDENTITY, "no-reply@example.com"),
        (IdKind.CONFIGURATION_SET, "prod brig"),
    ],
)
def test_ids_in_another_form_are_refused_with_the_form_expected(kind: IdKind, value: str) -> None:
    assert id_problem(kind, value)


def test_every_role_has_a_type_and_an_id_form() -> None:
    assert all(token.startswith("aws:") and isinstance(kind, IdKind) for token, kind in AWS_ROLES.values())


def test_record_ids_split_where_names_hold_underscores() -> None:
    assert split_record_id("Z0123456789EXAMPLE__dmarc.Example.com._TXT") == (
        "Z0123456789EXAMPLE",
        "_dmarc.example.com",
        "TXT",
    )
