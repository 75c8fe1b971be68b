"""The federation domain: one value for every service, `wire:domain` unless `wire:federationDomain` says otherwise.

Wire treats a backend's federation domain as permanent (user ids are qualified with it); brig, galley,
cargohold and background-worker each read it from their own chart key. The program writes the same value to
all four. A different value in `wire:extraValues` would split them silently (a copied example's
`setFederationDomain` after a new `wire:domain`): refused, unless the operator states the federation
domain explicitly with `wire:federationDomain` (e.g. the apex `example.com` for a backend at
`wire.example.com`), which every service then gets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.layered import value_at
from components.config.registry import rule

if TYPE_CHECKING:
    from components.config.stack import StackConfig

# The wire-server chart keys holding the federation domain (templates of charts 5.29.5 and 5.30: brig's,
# galley's and cargohold's configmaps, background-worker's).
FEDERATION_DOMAIN_KEYS = (
    "brig.config.optSettings.setFederationDomain",
    "galley.config.settings.federationDomain",
    "cargohold.config.settings.federationDomain",
    "background-worker.config.federationDomain",
)


def federation_domain(cfg: StackConfig) -> str:
    """The federation domain every service gets."""
    return cfg.federation_domain or cfg.domain


@rule("extra_values", "domain", "federation_domain")
def _one_federation_domain(cfg: StackConfig) -> list[str]:
    wire_server = cfg.extra_values.get("wireServer")
    expected = federation_domain(cfg)
    source = "wire:federationDomain" if cfg.federation_domain else "wire:domain"
    problems = []
    for key in FEDERATION_DOMAIN_KEYS:
        value = value_at(wire_server, key)
        if value is None or value == expected:
            continue
        problems.append(
            f"wire:extraValues.wireServer.{key}: '{value}' differs from the federation domain '{expected}' "
            f"({source}) the other services get; Wire's federation domain is permanent and the same in every "
            "service: remove the key, or, if this backend's federation domain really is "
            f"'{value}', set it for all of them: pulumi config set wire:federationDomain {value}"
        )
    return problems
