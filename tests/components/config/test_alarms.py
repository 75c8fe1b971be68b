"""The alarms section's rules."""

from __future__ import annotations

from tests.components.config.config_support import base, load, problems


def test_alarms_are_on_by_default_with_thresholds_below_ses_review() -> None:
    alarms = load(base()).alarms
    assert alarms.enabled is True and alarms.email is None
    assert alarms.ses_bounce_rate < 0.05 and alarms.ses_complaint_rate < 0.001


def test_ses_thresholds_must_stay_below_the_rates_at_which_ses_reviews_the_account() -> None:
    found = problems(base(alarms={"sesBounceRate": 0.05, "sesComplaintRate": 0.002}))
    assert found == [
        "wire:alarms.sesBounceRate: Input should be less than 0.05 (got 0.05)",
        "wire:alarms.sesComplaintRate: Input should be less than 0.001 (got 0.002)",
    ]


def test_period_is_whole_minutes_and_email_is_an_address() -> None:
    found = problems(base(alarms={"periodSeconds": 90, "email": "ops"}))
    assert "wire:alarms.email: 'ops' is not an email address" in found
    assert "wire:alarms.periodSeconds: Input should be a multiple of 60 (got 90)" in found


def test_an_email_for_disabled_alarms_is_kept_with_a_warning() -> None:
    cfg = load(base(alarms={"enabled": False, "email": "ops@wire.example.org"}))
    assert [w for w in cfg.warnings() if "wire:alarms.enabled is false" in w] == [
        "wire:alarms.enabled is false (no alarm and no alarm topic is created): wire:alarms.email have no effect "
        "until it is true; keep them for then, or remove them"
    ]
