"""Chart sources: each helm chart from a repository at a pinned version, or a local path."""

from __future__ import annotations

import re

from pydantic import Field, model_validator

from components.config.base import Model, Url


class ChartSource(Model):
    """A helm chart from a repository (pinned version) or a local path."""

    chart: str
    """Chart name."""
    repo: Url | None = None
    """Helm repository URL."""
    version: str | None = None
    """Pinned chart version."""
    path: str | None = None
    """Local chart path instead of repo+version."""

    @model_validator(mode="after")
    def _check(self) -> ChartSource:
        if self.path is None and not (self.repo and self.version):
            raise ValueError(f"chart '{self.chart}' needs repo and a pinned version, or a local path")
        if self.path is not None and (self.repo or self.version):
            raise ValueError(f"chart '{self.chart}': set either path or repo+version, not both")
        return self

    @property
    def major_minor(self) -> tuple[int, int] | None:
        """(major, minor) of the pinned version (`v1.16.3`, `5.32.0-pre.3`); None for a local chart."""
        return major_minor(self.version or "")


def major_minor(version: str) -> tuple[int, int] | None:
    """(major, minor) of a chart version, None when it has none."""
    match = re.match(r"^v?(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _released(key: str) -> ChartSource:
    """The chart a release sets, from the newest release manifest (wire:release picks another, see stack.py)."""
    from components.config.wire_builds import release_chart_sources

    return ChartSource(**release_chart_sources(None)[key])


class Charts(Model):
    """Every chart the stack deploys. Wire's charts and cert-manager come from the `wire:release` manifest
    (components/config/wire_builds.py); an entry here overrides one of them. ingress-nginx, metallb and the
    AWS Load Balancer Controller are not part of Wire's releases: the program pins them."""

    wire_server: ChartSource = Field(default_factory=lambda: _released("wireServer"))
    """wire-server umbrella chart (default: the release's)."""
    nginx_ingress_services: ChartSource = Field(default_factory=lambda: _released("nginxIngressServices"))
    """nginx-ingress-services chart (default: the release's)."""
    team_settings: ChartSource = Field(default_factory=lambda: _released("teamSettings"))
    """team-settings chart (default: the release's, from Wire's charts-webapp repository)."""
    account_pages: ChartSource = Field(default_factory=lambda: _released("accountPages"))
    """account-pages chart (default: the release's, from Wire's charts-webapp repository)."""
    ingress_nginx: ChartSource = Field(
        default_factory=lambda: ChartSource(
            chart="ingress-nginx", repo="https://kubernetes.github.io/ingress-nginx", version="4.12.1"
        )
    )
    """ingress-nginx controller chart (ingress.controller awsNlb/metallb)."""
    metallb: ChartSource = Field(
        default_factory=lambda: ChartSource(chart="metallb", repo="https://metallb.github.io/metallb", version="0.14.9")
    )
    """metallb chart (ingress.controller metallb)."""
    cert_manager: ChartSource = Field(default_factory=lambda: _released("certManager"))
    """cert-manager chart (addons.certManager.install; default: jetstack's chart of the release's cert-manager)."""
    # The controller's IAM policy (components/aws/data/) is the one AWS publishes for this controller
    # version (chart 1.17.1 = controller v2.17.1): update both together.
    aws_load_balancer_controller: ChartSource = Field(
        default_factory=lambda: ChartSource(
            chart="aws-load-balancer-controller", repo="https://aws.github.io/eks-charts", version="1.17.1"
        )
    )
    """AWS Load Balancer Controller chart (addons.awsLoadBalancerController.install); its IAM policy matches 1.17.1."""
    webapp: ChartSource = Field(default_factory=lambda: _released("webapp"))
    """Wire webapp chart (default: the release's, from Wire's charts-webapp repository)."""
