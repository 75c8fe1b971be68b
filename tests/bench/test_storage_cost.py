"""What versioning and the replica add, from the storage the operator states and the price table."""

from __future__ import annotations

import pytest

from bench.prices import load_prices
from bench.storage_cost import storage_cost, storage_lines

PRICES = load_prices()
ESTIMATE = {"objects": 2_000_000, "gib": 500, "changedPercentPerMonth": 10, "noncurrentDays": 30, "replica": None}


def test_versions_hold_the_data_changed_within_noncurrent_days() -> None:
    cost = storage_cost(ESTIMATE, PRICES)
    assert cost.noncurrent_gib == 50
    assert cost.versions_usd == pytest.approx(50 * PRICES["s3_standard_gb"].usd, abs=0.01)
    assert cost.replica_gib is None
    assert storage_cost({**ESTIMATE, "noncurrentDays": 7}, PRICES).noncurrent_gib == pytest.approx(11.67, abs=0.01)


def test_the_replica_stores_everything_again_and_pays_transfer_and_requests() -> None:
    estimate = {**ESTIMATE, "replica": {"region": "eu-west-1", "storageClass": "STANDARD_IA"}}
    cost = storage_cost(estimate, PRICES)
    assert cost.replica_gib == 550
    assert cost.replica_storage_usd == pytest.approx(550 * PRICES["s3_standard_ia_gb"].usd, abs=0.01)
    assert cost.transfer_usd == pytest.approx(50 * PRICES["s3_inter_region_gb"].usd, abs=0.01)
    assert cost.requests == 200_000
    assert cost.requests_usd == pytest.approx(200 * PRICES["s3_put_1000"].usd, abs=0.01)
    (_, versions, replica) = storage_lines(estimate, PRICES)
    assert "versions kept 30 days: 50.0 GiB" in versions and "replica in eu-west-1 (STANDARD_IA)" in replica


def test_without_stated_storage_the_summary_says_how_to_see_it() -> None:
    (line,) = storage_lines({**ESTIMATE, "objects": 0, "gib": 0}, PRICES)
    assert "wire:assets.expectedStorage" in line
    assert storage_lines(None, PRICES) == []


def test_usage_prices_are_never_idle_costs() -> None:
    assert PRICES["s3_put_1000"].unit == "each" and PRICES["s3_put_1000"].monthly == 0
