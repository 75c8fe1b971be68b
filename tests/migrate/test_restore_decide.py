"""The restore's decision per key, from its versions and delete markers alone (no S3 here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from migrate.restore import RestoreProblem, parse_point
from migrate.restore_bucket import Action, Entry, decide
from migrate.restore_table import TablePlan, TableProblem, check_table_name, restored_name

POINT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return POINT + timedelta(minutes=minutes)


def version(version_id: str, minutes: int, *, latest: bool = False, etag: str = '"e"') -> Entry:
    return Entry("k", version_id, at(minutes), latest, False, 10, etag)


def marker(version_id: str, minutes: int, *, latest: bool = False) -> Entry:
    return Entry("k", version_id, at(minutes), latest, True)


def never_same(_current: Entry, _version: Entry) -> bool:
    return False


def test_untouched_since_the_point_is_unchanged() -> None:
    assert decide([version("v1", -5, latest=True)], POINT, never_same).action == Action.UNCHANGED


def test_deleted_after_the_point_is_undeleted_by_removing_every_later_marker() -> None:
    entries = [marker("m2", 9, latest=True), marker("m1", 5), version("v1", -5)]
    decision = decide(entries, POINT, never_same)
    assert decision.action == Action.UNDELETE
    assert decision.version is not None and decision.version.version_id == "v1"
    assert [m.version_id for m in decision.markers] == ["m2", "m1"]


def test_overwritten_after_the_point_is_copied_back_unless_it_already_was() -> None:
    entries = [version("v2", 5, latest=True), version("v1", -5)]
    decision = decide(entries, POINT, never_same)
    assert (decision.action, decision.version and decision.version.version_id) == (Action.COPY, "v1")
    assert decide(entries, POINT, lambda current, old: True).action == Action.UNCHANGED


def test_overwritten_then_deleted_is_copied_back() -> None:
    entries = [marker("m1", 7, latest=True), version("v2", 5), version("v1", -5)]
    assert decide(entries, POINT, lambda current, old: True).action == Action.COPY


def test_created_after_the_point_is_kept_and_a_lost_version_is_reported() -> None:
    assert decide([version("v1", 5, latest=True)], POINT, never_same).action == Action.KEPT_NEWER
    assert decide([marker("m1", 5, latest=True)], POINT, never_same).action == Action.LOST


def test_deleted_before_the_point_stays_deleted_and_a_later_upload_is_kept() -> None:
    entries = [marker("m1", -1, latest=True), version("v1", -5)]
    assert decide(entries, POINT, never_same).action == Action.UNCHANGED
    entries = [version("v2", 5, latest=True), marker("m1", -1), version("v1", -5)]
    assert decide(entries, POINT, never_same).action == Action.KEPT_NEWER


def test_the_point_needs_a_zone_and_must_have_passed() -> None:
    assert parse_point("2026-12-07T10:00:00+01:00", now=at(60)) == POINT
    assert parse_point("2026-12-07T09:00:00Z", now=at(60)) == POINT
    for text, message in (
        ("2026-12-07T09:00:00", "no time zone"),
        ("9am", "ISO 8601"),
        ("2026-12-07T11:00Z", "future"),
    ):
        with pytest.raises(RestoreProblem, match=message):
            parse_point(text, now=at(60))


def test_the_table_restore_request_and_its_name() -> None:
    assert restored_name("prod-brig-prekeys", POINT) == "prod-brig-prekeys-restored-20261207-090000"
    plan = TablePlan("prod-brig-prekeys", "t", POINT, "arn:aws:kms:eu-central-1:1:key/k")
    assert plan.request()["SSESpecificationOverride"] == {
        "Enabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": "arn:aws:kms:eu-central-1:1:key/k",
    }
    assert "wire:extraValues.wireServer.brig.config.aws.prekeyTable' t -s prod" in plan.switch_lines("prod")[1]
    with pytest.raises(TableProblem, match="not a DynamoDB table name"):
        check_table_name("a b")
