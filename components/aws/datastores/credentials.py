"""Passwords and tokens of the managed stores: the operator's when set, else generated once by Pulumi `random`.

A generated value lives in the stack's state as a secret and never changes by itself (no keepers): Wire
reads each password once at start, so rotation is an operator's change of the config, which rolls the
services that read it (docs/datastores.md).
"""

from __future__ import annotations

import pulumi
from pydantic import SecretStr

from components.aws.common import secret_input


def random_provider(opts: pulumi.ResourceOptions) -> pulumi.ProviderResource:
    """The stack's one explicit `random` provider (default providers are disabled in Pulumi.yaml)."""
    import pulumi_random

    return pulumi_random.Provider("random", opts=pulumi.ResourceOptions(parent=opts.parent))


def store_password(
    parent: pulumi.Resource,
    name: str,
    given: SecretStr | None,
    *,
    length: int,
    specials: str = "",
) -> pulumi.Output[str]:
    """`given` as a secret, or a generated password of letters, digits and `specials` (at least one of each class)."""
    if given is not None:
        return secret_input(given)
    import pulumi_random

    generated = pulumi_random.RandomPassword(
        name,
        length=length,
        special=bool(specials),
        override_special=specials or None,
        min_upper=1,
        min_lower=1,
        min_numeric=1,
        min_special=1 if specials else 0,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return pulumi.Output.secret(generated.result)
