"""The assets section's rules."""

from __future__ import annotations

import pytest

from tests.components.config.config_support import base, problems


@pytest.mark.parametrize("name", ["My_Bucket", "ab", "192.168.1.1", "a..b"])
def test_invalid_bucket_names_are_rejected(name: str) -> None:
    assert any("wire:assets" in p for p in problems(base(assets={"bucketName": name})))
