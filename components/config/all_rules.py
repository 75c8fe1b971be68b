"""Every module that registers rules or warnings (registry.py), imported so that all of them are registered.

A new rule module goes here; loading.py imports this module before it runs the rules.
"""

from __future__ import annotations

from components.config import (
    addon_rules,
    cluster_mode,
    datastore_rules,
    disabled,
    entry_point,
    federation,
    leftovers,
    network_policy_rules,
    published,
    recovery_rules,
    region_rules,
    rules,
)
from components.config.registry import CROSS_SECTION_RULES, WARNING_RULES

MODULES = (
    rules,
    addon_rules,
    cluster_mode,
    entry_point,
    datastore_rules,
    disabled,
    published,
    federation,
    region_rules,
    leftovers,
    network_policy_rules,
    recovery_rules,
)

__all__ = ["CROSS_SECTION_RULES", "MODULES", "WARNING_RULES"]
