"""Which layout the pinned wire-server chart has: the values it reads differ between chart lines.

Found by diffing the templates of wire-server 5.29.5 and of the 5.30 line (develop at df05bca, the layout of
the 5.30+ releases; `../shared/charts/README.md`): the only difference is the proxy. At 5.29.x its templates
sit in the umbrella chart and always render (`proxy.replicaCount` 0 runs no pods, the `proxy` Secret is
written regardless); from 5.30 it is a subchart again behind `tags.proxy`, default false (wire-server #5161):
without `tags.proxy: true` no proxy, no `proxy.config` secret, no link previews. Every other template, and
nginx-ingress-services, is the same in both; the proxy's own value paths (`proxy.*`) are unchanged.
"""

from __future__ import annotations

from enum import StrEnum

from components.config import ChartSource

# The first chart line with the proxy as a subchart behind tags.proxy.
PROXY_SUBCHART_SINCE = (5, 30)


class WireServerLayout(StrEnum):
    INLINE_PROXY = "5.29"
    """wire-server up to 5.29.x: proxy templates in the umbrella chart, no tags.proxy."""
    PROXY_SUBCHART = "5.30"
    """wire-server 5.30+: the proxy subchart, deployed only with tags.proxy: true."""


def wire_server_layout(source: ChartSource) -> WireServerLayout | None:
    """The layout of a pinned wire-server chart; None for a local chart (its version is not known here)."""
    version = source.major_minor
    if version is None:
        return None
    return WireServerLayout.PROXY_SUBCHART if version >= PROXY_SUBCHART_SINCE else WireServerLayout.INLINE_PROXY
