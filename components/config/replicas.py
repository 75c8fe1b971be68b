"""Replica counts of the Wire services (3 for high availability)."""

from __future__ import annotations

from components.config.base import Model, PositiveInt


class Replicas(Model):
    brig: PositiveInt = 3
    """brig replicas."""
    galley: PositiveInt = 3
    """galley replicas."""
    gundeck: PositiveInt = 3
    """gundeck replicas."""
    cannon: PositiveInt = 3
    """cannon replicas (also the cannon pod names in noProxyList)."""
    cargohold: PositiveInt = 3
    """cargohold replicas."""
    spar: PositiveInt = 3
    """spar replicas."""
    nginz: PositiveInt = 3
    """nginz replicas."""
    proxy: PositiveInt = 3
    """proxy replicas."""
    background_worker: PositiveInt = 1
    """background-worker replicas."""
    webapp: PositiveInt = 3
    """webapp, team-settings and account-pages replicas."""
