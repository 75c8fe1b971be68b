"""What versioning and the replica add to the assets bucket's monthly bill, from the storage the operator states
(`wire:assets.expectedStorage`, plan.json `assetStorage`) and the price table (bench/prices.md).

The steady state of a versioned bucket: what was deleted, overwritten or expired in the last `noncurrentDays`
is kept as noncurrent versions. The replica holds the current and the noncurrent data again (in its storage
class), and each month's changed data crosses regions once, one replication PUT per changed object. AWS bills
a GB as 2^30 bytes, so the stated GiB are priced as they are. Objects that existed before replication was
turned on are not counted (S3 Batch Replication copies them once, at its own price).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bench.prices import PriceTable

DAYS_PER_MONTH = 30
STORAGE_PRICES = {"STANDARD": "s3_standard_gb", "STANDARD_IA": "s3_standard_ia_gb"}


@dataclass(frozen=True)
class StorageCost:
    noncurrent_gib: float
    versions_usd: float
    # None without a replica.
    replica_gib: float | None = None
    replica_storage_usd: float = 0.0
    transfer_gib: float = 0.0
    transfer_usd: float = 0.0
    requests: int = 0
    requests_usd: float = 0.0

    @property
    def replica_usd(self) -> float:
        return round(self.replica_storage_usd + self.transfer_usd + self.requests_usd, 2)


def storage_cost(estimate: Mapping[str, Any], prices: PriceTable) -> StorageCost:
    gib = float(estimate.get("gib") or 0)
    changed = gib * float(estimate.get("changedPercentPerMonth") or 0) / 100
    noncurrent = changed * int(estimate.get("noncurrentDays") or 0) / DAYS_PER_MONTH
    versions = noncurrent * prices["s3_standard_gb"].usd
    replica = estimate.get("replica")
    if not replica:
        return StorageCost(round(noncurrent, 2), round(versions, 2))
    stored = gib + noncurrent
    storage = stored * prices[STORAGE_PRICES[str(replica.get("storageClass") or "STANDARD")]].usd
    requests = round(int(estimate.get("objects") or 0) * float(estimate.get("changedPercentPerMonth") or 0) / 100)
    return StorageCost(
        round(noncurrent, 2),
        round(versions, 2),
        replica_gib=round(stored, 2),
        replica_storage_usd=round(storage, 2),
        transfer_gib=round(changed, 2),
        transfer_usd=round(changed * prices["s3_inter_region_gb"].usd, 2),
        requests=requests,
        requests_usd=round(requests / 1000 * prices["s3_put_1000"].usd, 2),
    )


def storage_lines(estimate: Mapping[str, Any] | None, prices: PriceTable, plain: Any = str) -> list[str]:
    """The plan summary's lines (besides the idle cost: storage is paid with use)."""
    if not estimate:
        return []
    if not estimate.get("gib") and not estimate.get("objects"):
        return [
            "Versions (and a replica) add storage: state what the bucket holds in wire:assets.expectedStorage "
            "(objects, gib) to see how much"
        ]
    cost = storage_cost(estimate, prices)
    lines = [
        f"Assets storage added by recovery (wire:assets.expectedStorage: {estimate.get('objects')} objects, "
        f"{plain(estimate.get('gib'))} GiB, {plain(estimate.get('changedPercentPerMonth'))} % changed a month; "
        f"AWS list prices {prices.region}, dated {prices.dated}):",
        f"  versions kept {estimate.get('noncurrentDays')} days: {plain(cost.noncurrent_gib)} GiB, "
        f"{plain(cost.versions_usd)} USD/month",
    ]
    replica = estimate.get("replica")
    if replica and cost.replica_gib is not None:
        lines.append(
            f"  replica in {replica.get('region')} ({replica.get('storageClass')}): {plain(cost.replica_gib)} GiB "
            f"{plain(cost.replica_storage_usd)} USD + {plain(cost.transfer_gib)} GiB across regions "
            f"{plain(cost.transfer_usd)} USD + {cost.requests} replication requests {plain(cost.requests_usd)} USD "
            f"= {plain(cost.replica_usd)} USD/month (its key: in the idle cost)"
        )
    return lines
