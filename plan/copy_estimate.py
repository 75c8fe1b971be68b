"""How long the asset copy takes: a cost per object plus a cost per byte, per shard (docs/migration.md).

The two figures are fitted to `make bench` (A1: 400 x 64 KiB and 66 larger objects copied by
`python -m migrate assets --jobs 8` between two S3 servers on one 2-core machine): the small objects
give the per-object cost (requests), the large ones the bytes per second. One shard of the in-cluster
copy is one such process. Shards add up only while the source (minio) and the network keep up: measure
one shard first and scale from it.
"""

from __future__ import annotations

# Fitted to A1's best times on the development machine (2 cores shared with both S3 servers and other users'
# work, load average 9-11): 400 objects / 25 MiB in 4.26 s and 66 objects / 132 MiB in 4.16 s, each a whole
# `python -m migrate assets` process (its start included), rounded to the safe side. A floor for planning,
# not a forecast (docs/migration.md, "Planning the cutover").
SECONDS_PER_OBJECT = 0.009
BYTES_PER_SECOND = 35 * 1024 * 1024


def copy_seconds(
    objects: int,
    size: int,
    shards: int = 1,
    *,
    per_object: float = SECONDS_PER_OBJECT,
    bytes_per_second: float = BYTES_PER_SECOND,
) -> float:
    """t = (objects * per_object + bytes / bytes_per_second) / shards."""
    return (objects * per_object + size / bytes_per_second) / max(shards, 1)


def duration_text(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 1:
        return f"{seconds:.0f} s"
    if minutes < 120:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"


def estimate_text(objects: int, size: int, shards: int | None) -> str:
    gib = size / 1024**3
    one = copy_seconds(objects, size)
    line = f"estimated copy time for {objects} objects ({gib:.1f} GiB): {duration_text(one)} on one machine"
    if shards:
        line += f", {duration_text(copy_seconds(objects, size, shards))} with {shards} shards in the cluster"
    return (
        line + f" (per shard: {SECONDS_PER_OBJECT * 1000:.0f} ms per object + {size_per_second()}; "
        'docs/migration.md, "Planning the cutover")'
    )


def size_per_second() -> str:
    return f"{BYTES_PER_SECOND / 1024**2:.0f} MiB/s"
