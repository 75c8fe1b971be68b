"""Replica counts of the Wire services (3 for high availability)."""

from __future__ import annotations

from components.config.base import Model, PositiveInt32


class Replicas(Model):
    brig: PositiveInt32 = 3
    """brig replicas."""
    galley: PositiveInt32 = 3
    """galley replicas."""
    gundeck: PositiveInt32 = 3
    """gundeck replicas."""
    cannon: PositiveInt32 = 3
    """cannon replicas (also the cannon pod names in noProxyList)."""
    cargohold: PositiveInt32 = 3
    """cargohold replicas."""
    spar: PositiveInt32 = 3
    """spar replicas."""
    nginz: PositiveInt32 = 3
    """nginz replicas."""
    proxy: PositiveInt32 = 3
    """proxy replicas."""
    background_worker: PositiveInt32 = 1
    """background-worker replicas."""
    webapp: PositiveInt32 = 3
    """webapp, team-settings and account-pages replicas."""
