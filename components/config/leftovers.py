"""Values left over from the shipped examples (Pulumi.prod.yaml, Pulumi.dev.yaml) in a stack of a real domain.

An operator copies an example and changes the domain and region; what else the example held (its OIDC
provider, cluster, zone, CloudFront key pair, APNs ids, network, the `ops@example.com` of Let's Encrypt and the
alarms, the SSO contact) plans without complaint and breaks later, or mails nobody. A stack whose
`wire:domain` is a reserved example domain (RFC 2606 / RFC 6761: example.com, .net, .org, .test, .example,
.invalid, .localhost) is an example or a test itself, and is left alone; any other stack gets one warning per
leftover key. Secret values are never inspected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from components.config.registry import warning

if TYPE_CHECKING:
    from components.config.stack import StackConfig

_EXAMPLE_DOMAIN_RE = re.compile(
    r"(?:^|[.@/])(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:test|example|invalid|localhost))(?=$|[:/])"
)
# AWS's documentation placeholders: ids with EXAMPLE in them, and the example account.
_EXAMPLE_ID_RE = re.compile(r"EXAMPLE")
EXAMPLE_ACCOUNT = "123456789012"

EXAMPLE_VALUES = {
    "arn:aws:eks:eu-central-1:123456789012:cluster/wire-prod": "the prod example's cluster context",
    "wire-prod": "the prod example's cluster name",
    "K2JCJMDEHXQW5F": "the prod example's CloudFront key pair id",
    "2X9R4HXF34": "the prod example's APNs key id",
    "9JA89QQLNQ": "the prod example's Apple team id",
    "com.example.wire": "the prod example's iOS bundle id",
    "wireexample": "the prod example's FCM project id",
    "vpc-0a1b2c3d4e5f60718": "the prod example's VPC",
    "subnet-0a1b2c3d4e5f60711": "a subnet of the prod example",
    "subnet-0a1b2c3d4e5f60722": "a subnet of the prod example",
    "subnet-0a1b2c3d4e5f60733": "a subnet of the prod example",
    "sg-0a1b2c3d4e5f60799": "the prod example's security group",
    "http://proxy.internal:8080": "the prod example's outbound proxy",
}
"""The environment-specific values of the shipped examples (tests/components/config/test_leftovers.py keeps
this in step with Pulumi.prod.yaml and Pulumi.dev.yaml)."""

# Not the operator's environment: the charts' sources, the release, and what the checks above compare against.
_NOT_CHECKED = {"domain", "region", "release", "charts", "layered_values"}


def is_example_domain(domain: str) -> bool:
    return bool(_EXAMPLE_DOMAIN_RE.search(domain))


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")


def _why(value: str) -> str | None:
    if value in EXAMPLE_VALUES:
        return EXAMPLE_VALUES[value]
    if _EXAMPLE_ID_RE.search(value):
        return "a placeholder id of the examples (EXAMPLE)"
    if EXAMPLE_ACCOUNT in value:
        return f"in the examples' AWS account {EXAMPLE_ACCOUNT}"
    if _EXAMPLE_DOMAIN_RE.search(value.lower()):
        return "on a reserved example domain"
    return None


def leftovers(cfg: StackConfig) -> list[tuple[str, str, str]]:
    """(wire: key, value, why) of every value left over from the examples; none in a stack of an example domain."""
    if is_example_domain(cfg.domain):
        return []
    data = cfg.model_dump(by_alias=True, exclude=_NOT_CHECKED, exclude_none=True)
    return [(path, value, why) for path, value in _strings(data, "") if (why := _why(value))]


@warning
def leftover_warnings(cfg: StackConfig) -> list[str]:
    return [
        f"wire:{path}: '{value}' is {why}, left over from the examples while wire:domain is '{cfg.domain}'; "
        "set this stack's own value"
        for path, value, why in leftovers(cfg)
    ]
