"""nginz upstreams (guide: "Control nginz upstreams", "Routing traffic to other namespaces via nginz")."""

from __future__ import annotations

from pydantic import model_validator

from components.config.base import Hostname, Model

DEFAULT_UPSTREAMS = ("brig", "cannon", "cargohold", "galley", "gundeck", "spar")
EXTRA_UPSTREAMS = ("ibis", "galeb", "calling-test", "proxy")


class Nginz(Model):
    ignored_upstreams: list[str] = []
    """Default upstreams to disable: brig, cannon, cargohold, galley, gundeck, spar."""
    extra_upstreams: list[str] = []
    """Optional upstreams to enable: ibis, galeb, calling-test, proxy."""
    upstream_namespaces: dict[str, Hostname] = {}
    """upstream -> namespace it runs in (guide: "Routing traffic to other namespaces via nginz")."""

    @model_validator(mode="after")
    def _check(self) -> Nginz:
        bad = sorted(set(self.ignored_upstreams) - set(DEFAULT_UPSTREAMS))
        if bad:
            raise ValueError(f"ignoredUpstreams {bad} are not default upstreams; allowed: {list(DEFAULT_UPSTREAMS)}")
        bad = sorted(set(self.extra_upstreams) - set(EXTRA_UPSTREAMS))
        if bad:
            raise ValueError(f"extraUpstreams {bad} are not optional upstreams; allowed: {list(EXTRA_UPSTREAMS)}")
        enabled = (set(DEFAULT_UPSTREAMS) - set(self.ignored_upstreams)) | set(self.extra_upstreams)
        for upstream in self.upstream_namespaces:
            if upstream not in enabled:
                raise ValueError(
                    f"upstreamNamespaces names '{upstream}', which is not an enabled upstream; "
                    "add it to extraUpstreams or remove it from ignoredUpstreams"
                )
        return self
