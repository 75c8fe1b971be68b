"""What a resource count counts, the same in the plan summary (`make plan`) and in `make review`.

Counted: the resources the stack manages in AWS and Kubernetes (and the passwords it generates): custom
resources that are not providers and not objects only read from the cluster. Not counted: components
(`wire:<area>:<Type>`, groupings with nothing in the cloud), providers, and objects only read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PROVIDER_PREFIX = "pulumi:providers:"
# Said next to every count, so a reader knows what the number means.
WHAT_IS_COUNTED = "AWS and Kubernetes resources; components, providers and objects only read are not counted"


def is_provider(resource: Mapping[str, Any]) -> bool:
    return str(resource.get("type", "")).startswith(PROVIDER_PREFIX)


def is_component(resource: Mapping[str, Any]) -> bool:
    # plan.json says it (`custom`); a document without the flag: components are the program's `wire:` types.
    custom = resource.get("custom")
    return not custom if custom is not None else str(resource.get("type", "")).startswith("wire:")


def counted(resource: Mapping[str, Any]) -> bool:
    """A resource the stack manages in AWS or Kubernetes: not a component, a provider or an object only read."""
    return not (is_component(resource) or is_provider(resource) or resource.get("read"))


@dataclass(frozen=True)
class Counts:
    resources: int
    components: int
    providers: int
    reads: int


def count(resources: Iterable[Mapping[str, Any]]) -> Counts:
    items = list(resources)
    return Counts(
        resources=sum(counted(r) for r in items),
        components=sum(is_component(r) for r in items),
        providers=sum(is_provider(r) for r in items),
        reads=sum(bool(r.get("read")) and not is_component(r) for r in items),
    )
