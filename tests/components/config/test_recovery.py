"""The recovery settings: versions kept, the replica, AWS Backup, the storage the operator expects."""

from __future__ import annotations

import pytest

from components.config.recovery_rules import storage_estimate
from tests.components.config.config_support import base, load, problems


def test_versions_are_kept_30_days_in_production_and_7_otherwise() -> None:
    assert load(base()).noncurrent_days == 30
    assert load(base(production=False)).noncurrent_days == 7
    assert load(base(assets={"versions": {"noncurrentDays": 90}})).noncurrent_days == 90


@pytest.mark.parametrize("days", [0, 366])
def test_versions_kept_out_of_range_name_the_privacy_reason(days: int) -> None:
    (problem,) = problems(base(assets={"versions": {"noncurrentDays": days}}))
    assert problem.startswith("wire:assets.versions.noncurrentDays: ") and "privacy" in problem


def test_the_replica_is_named_after_the_bucket_and_must_be_elsewhere() -> None:
    cfg = load(base(assets={"replication": {"enabled": True, "region": "eu-west-1"}}))
    assert cfg.replica_bucket_name == "prod-example-com-wire-assets-replica"
    found = problems(base(assets={"replication": {"enabled": True, "region": "eu-central-1"}}))
    assert found == [
        "wire:assets.replication.region: 'eu-central-1' is the stack's own region (aws:region): a replica survives "
        "a regional outage only in another region; choose another, e.g. eu-west-1"
    ]


def test_a_derived_replica_name_too_long_for_s3_asks_for_one() -> None:
    name = f"acme-{'w' * 55}"
    replication = {"enabled": True, "region": "eu-west-1"}
    (problem,) = problems(base(assets={"bucketName": name, "replication": replication}))
    assert problem.startswith("wire:assets.replication.bucketName: the derived name")


def test_every_problem_of_the_section_is_reported_at_once() -> None:
    found = problems(
        base(
            assets={"replication": {"enabled": True, "region": "eu-west-1", "bucketName": "Bad_Name"}},
            backup={"enabled": True, "schedule": "nightly", "retentionDays": 0},
        )
    )
    keys = sorted(problem.split(":", 2)[0] + ":" + problem.split(":", 2)[1] for problem in found)
    assert keys == [
        "wire:assets.replication.bucketName",
        "wire:backup.retentionDays",
        "wire:backup.schedule",
    ]


def test_settings_of_a_disabled_replica_or_backup_are_kept_with_a_warning() -> None:
    cfg = load(base(assets={"replication": {"storageClass": "STANDARD_IA"}}, backup={"retentionDays": 7}))
    assert [w.split(" (")[0] for w in cfg.warnings() if "enabled is false" in w] == [
        "wire:assets.replication.enabled is false",
        "wire:backup.enabled is false",
    ]
    assert any("wire:assets.replication.storageClass have no effect" in w for w in cfg.warnings())
    assert any("wire:backup.retentionDays have no effect" in w for w in cfg.warnings())


def test_the_storage_estimate_carries_what_the_summary_prices() -> None:
    cfg = load(
        base(
            assets={
                "replication": {"enabled": True, "region": "eu-west-1", "storageClass": "STANDARD_IA"},
                "expectedStorage": {"objects": 1000, "gib": 2.5},
            }
        )
    )
    assert storage_estimate(cfg) == {
        "objects": 1000,
        "gib": 2.5,
        "changedPercentPerMonth": 10,
        "noncurrentDays": 30,
        "replica": {"region": "eu-west-1", "storageClass": "STANDARD_IA"},
    }
