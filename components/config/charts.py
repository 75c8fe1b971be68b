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


WIRE_CHARTS = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"
WIRE_CHART_VERSION = "5.29.5"
# The webapp chart is released from wireapp/wire-webapp with its own version line.
WEBAPP_CHART_VERSION = "0.8.2"


def _wire_chart(name: str) -> ChartSource:
    return ChartSource(chart=name, repo=WIRE_CHARTS, version=WIRE_CHART_VERSION)


class Charts(Model):
    wire_server: ChartSource = Field(default_factory=lambda: _wire_chart("wire-server"))
    """wire-server umbrella chart."""
    nginx_ingress_services: ChartSource = Field(default_factory=lambda: _wire_chart("nginx-ingress-services"))
    """nginx-ingress-services chart."""
    team_settings: ChartSource = Field(
        default_factory=lambda: ChartSource(chart="team-settings", repo=WIRE_CHARTS, version="4.14.0")
    )
    """team-settings chart."""
    account_pages: ChartSource = Field(
        default_factory=lambda: ChartSource(chart="account-pages", repo=WIRE_CHARTS, version="4.14.0")
    )
    """account-pages chart."""
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
    cert_manager: ChartSource = Field(
        default_factory=lambda: ChartSource(chart="cert-manager", repo="https://charts.jetstack.io", version="v1.16.3")
    )
    """cert-manager chart (addons.certManager.install)."""
    # The controller's IAM policy (components/aws/data/) is the one AWS publishes for this controller
    # version (chart 1.7.2 = controller v2.7.2): update both together.
    aws_load_balancer_controller: ChartSource = Field(
        default_factory=lambda: ChartSource(
            chart="aws-load-balancer-controller", repo="https://aws.github.io/eks-charts", version="1.7.2"
        )
    )
    """AWS Load Balancer Controller chart (addons.awsLoadBalancerController.install); its IAM policy matches 1.7.2."""
    webapp: ChartSource = Field(
        default_factory=lambda: ChartSource(chart="webapp", repo=WIRE_CHARTS, version=WEBAPP_CHART_VERSION)
    )
    """Wire webapp chart (wireapp/wire-webapp, charts/webapp)."""
