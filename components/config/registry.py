"""Where the rules that read the whole stack register: cross-section problems and warnings.

Kept apart from `StackConfig` (stack.py) and from the rule modules, so that neither imports the other:
the rule modules import this registry and (for their types) `StackConfig`; stack.py imports only this
registry. `components/config/all_rules.py` imports every rule module, so that they are registered before
a configuration is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

# The helm releases the program deploys, by their key in extraValues and layeredValues.
RELEASES = (
    "wireServer",
    "nginxIngressServices",
    "teamSettings",
    "accountPages",
    "ingressNginx",
    "metallb",
    "webapp",
    "envoyGateway",
    "gatewayCrds",
)

Check = TypeVar("Check", bound=Callable[[Any], list[str]])


@dataclass(frozen=True)
class CrossSectionRule:
    needs: tuple[str, ...]
    """StackConfig field names the rule reads."""
    check: Callable[[Any], list[str]]


CROSS_SECTION_RULES: list[CrossSectionRule] = []
"""Problems: loading runs each rule over the sections that validated, when all of its `needs` did."""
WARNING_RULES: list[Callable[[Any], list[str]]] = []
"""Warnings over a valid configuration (`StackConfig.warnings`): what has no effect or should be checked."""


def rule(*needs: str) -> Callable[[Check], Check]:
    """Register a cross-section rule reading the StackConfig fields `needs`."""

    def register(check: Check) -> Check:
        CROSS_SECTION_RULES.append(CrossSectionRule(needs, check))
        return check

    return register


def warning(check: Check) -> Check:
    """Register a warning rule over a valid StackConfig."""
    WARNING_RULES.append(check)
    return check
