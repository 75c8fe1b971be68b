"""wire:assets.migration: the size of the bucket a migrating stack copies its assets from."""

from __future__ import annotations

from tests.components.config.config_support import base, load, problems


def test_a_size_with_a_unit_is_read_in_bytes() -> None:
    cfg = load(base(assets={"migration": {"objects": 10, "size": "3GiB"}}))
    assert cfg.assets.migration is not None
    assert (cfg.assets.migration.size_bytes, cfg.assets.migration.shards) == (3 * 1024**3, 8)


def test_a_size_without_a_known_unit_is_refused_with_the_units() -> None:
    found = problems(base(assets={"migration": {"objects": 10, "size": "3 gigs"}}))
    assert any("wire:assets.migration.size" in p and "750GiB" in p for p in found), found
