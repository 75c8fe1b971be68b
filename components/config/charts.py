"""Chart sources: each helm chart from a repository at a pinned version, or a local path."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ModelWrapValidatorHandler, model_validator

from components.config.all_at_once import all_at_once, raw
from components.config.base import Model

_REPO_RE = re.compile(r"^(https?|oci)://[^\s/$.?#][^\s]*$")


def _repo(value: str) -> str:
    if not _REPO_RE.match(value):
        raise ValueError(f"'{value}' is not a helm repository (an http(s) URL, or oci://<registry>/<path>)")
    return value


# An http(s) chart repository, or an OCI registry path (the chart is `<repo>/<chart>`).
ChartRepo = Annotated[str, AfterValidator(_repo)]

# A chart version as helm publishes it: semver, with a `v` for charts that tag that way (cert-manager).
_PINNED = re.compile(r"^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


def _pinned(value: str) -> str:
    if not _PINNED.match(value):
        raise ValueError(
            f"'{value}' is not a pinned version: helm reads a range or partial version as a constraint and takes "
            "whatever the repository has newest, so the reviewed plan is not what gets deployed; give the exact "
            "version (e.g. 5.29.5; `helm search repo <repo>/<chart> --versions` lists them)"
        )
    return value


class ChartSource(Model):
    """A helm chart from a repository (pinned version) or a local path."""

    chart: str
    """Chart name."""
    repo: ChartRepo | None = None
    """Helm repository URL, or `oci://<registry>/<path>` (the chart is `<repo>/<chart>`)."""
    version: Annotated[str, AfterValidator(_pinned)] | None = None
    """Pinned chart version (exact: `5.29.5`, `v1.16.3`; no range)."""
    path: str | None = None
    """Local chart path instead of repo+version."""

    @model_validator(mode="wrap")
    @classmethod
    def _check(cls, data: Any, handler: ModelWrapValidatorHandler[ChartSource]) -> ChartSource:
        return all_at_once(data, handler, _source_rules)

    @property
    def oci_reference(self) -> str | None:
        """`oci://<registry>/<path>/<chart>` for a chart in an OCI registry (helm takes no --repo for those)."""
        if self.repo is None or not self.repo.startswith("oci://"):
            return None
        return f"{self.repo.rstrip('/')}/{self.chart}"

    @property
    def major_minor(self) -> tuple[int, int] | None:
        """(major, minor) of the pinned version (`v1.16.3`, `5.32.0-pre.3`); None for a local chart."""
        return major_minor(self.version or "")


def _source_rules(data: Mapping[str, Any]) -> list[str]:
    chart, path, repo, version = (raw(data, key) for key in ("chart", "path", "repo", "version"))
    name = f"chart '{chart}'" if isinstance(chart, str) else "the chart"
    if path is None and not (repo and version):
        return [f"{name} needs repo and a pinned version, or a local path"]
    if path is not None and (repo or version):
        return [f"{name}: set either path or repo+version, not both"]
    return []


ENVOY_GATEWAY_VERSION = "v1.9.0"


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
            chart="ingress-nginx", repo="https://kubernetes.github.io/ingress-nginx", version="4.15.1"
        )
    )
    """ingress-nginx controller chart (ingress.controller legacy, or beside envoyGateway during the move); 4.15.1 is
    its final release: ingress-nginx is retired."""
    # Envoy Gateway publishes its charts only to this OCI registry; both are released together.
    envoy_gateway: ChartSource = Field(
        default_factory=lambda: ChartSource(
            chart="gateway-helm", repo="oci://docker.io/envoyproxy", version=ENVOY_GATEWAY_VERSION
        )
    )
    """Envoy Gateway chart (ingress.controller envoyGateway)."""
    gateway_crds: ChartSource = Field(
        default_factory=lambda: ChartSource(
            chart="gateway-crds-helm", repo="oci://docker.io/envoyproxy", version=ENVOY_GATEWAY_VERSION
        )
    )
    """Gateway API and Envoy Gateway CRDs chart (ingress.controller envoyGateway)."""
    metallb: ChartSource = Field(
        default_factory=lambda: ChartSource(chart="metallb", repo="https://metallb.github.io/metallb", version="0.14.9")
    )
    """metallb chart (ingress.loadBalancer metallb)."""
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
