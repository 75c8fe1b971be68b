"""The cannon section's rules: draining and the separate websocket load balancer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.components.config.config_support import base, load, problems


def test_default_drain_matches_the_guide() -> None:
    drain = load(base()).cannon.drain
    assert drain.min_rate_per_second == 400
    assert drain.drained_within_grace == 10000
    assert drain.summary() == "cannon drains at least 400 connections/s, 10000 within the 25 s grace period"
    assert drain.warnings() == []


@pytest.mark.parametrize("field", ["gracePeriodSeconds", "millisecondsBetweenBatches", "minBatchSize"])
@pytest.mark.parametrize("value", [0, -5])
def test_drain_options_are_positive_integers(field: str, value: int) -> None:
    assert any(f"wire:cannon.drain.{field}" in p for p in problems(base(cannon={"drain": {field: value}})))


def test_grace_period_over_a_day_is_rejected() -> None:
    found = problems(base(cannon={"drain": {"gracePeriodSeconds": 86401}}))
    assert found == ["wire:cannon.drain.gracePeriodSeconds: Input should be less than or equal to 86400 (got 86401)"]


def test_the_guides_fastest_extreme_warns_about_reconnect_storms() -> None:
    cfg = load(base(cannon={"drain": {"gracePeriodSeconds": 1, "minBatchSize": 100000}}))
    assert any("severs (nearly) all websockets at once" in w for w in cfg.warnings())


def test_the_guides_slowest_extreme_warns_about_long_rollouts() -> None:
    drain = {"gracePeriodSeconds": 86400, "millisecondsBetweenBatches": 86400000, "minBatchSize": 1}
    cfg = load(base(cannon={"drain": drain}))
    assert any("replacing one cannon pod takes up to that long" in w for w in cfg.warnings())
    assert "86400 s grace period" in cfg.cannon.drain.summary()


def test_websocket_load_balancer_needs_a_hostname() -> None:
    found = problems(base(cannon={"websocketLoadBalancer": {"enabled": True, "certManager": {"enabled": True}}}))
    assert "hostname: is required with enabled: true" in found[0]


@pytest.mark.parametrize(
    "tls_choice",
    [{}, {"certManager": {"enabled": True}, "tls": {"crt": "CERT"}}],
    ids=["neither", "both"],
)
def test_websocket_load_balancer_needs_cert_manager_or_tls(tls_choice: dict[str, Any]) -> None:
    lb = {"enabled": True, "hostname": "ws.example.com", **tls_choice}
    assert (
        "either certManager.enabled: true or a tls certificate"
        in problems(base(cannon={"websocketLoadBalancer": lb}))[0]
    )


@pytest.mark.parametrize(
    ("drain", "rate"),
    [
        ({"millisecondsBetweenBatches": 1, "minBatchSize": 2000}, "2000000"),
        ({"millisecondsBetweenBatches": 86400000, "minBatchSize": 1}, "0.000012"),
        ({"millisecondsBetweenBatches": 3, "minBatchSize": 20}, "6666.666667"),
    ],
)
def test_the_drain_rate_is_printed_in_plain_digits(drain: dict[str, int], rate: str) -> None:
    summary = load(base(cannon={"drain": drain})).cannon.drain.summary()
    assert f"at least {rate} connections/s" in summary and "e+" not in summary
