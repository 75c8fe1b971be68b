"""Settings that cannot take effect in the chosen mode, answered the same way everywhere (docs/configuration-errors.md).

With `wire:kubernetes.releases: false` the stack deploys nothing into a cluster (helmfile, Argo CD or Flux
apply the values `python -m migrate values` writes). A setting that asks for an action in the cluster is
then refused, as `context`, `kubeconfig` and `clusterStack` are (components/config/kubernetes.py): the
operator expects something to happen that never would. A setting that only shapes what is computed (the
values, the chart versions they are written for, extraValues, layered values) still takes effect and is
accepted. A setting without effect that harms nothing gets a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.config.registry import rule
from components.config.verify import DEFAULT_VERIFY_IMAGE

if TYPE_CHECKING:
    from components.config.stack import StackConfig

_REFUSAL = (
    "and wire:kubernetes.releases is false (AWS only: this stack deploys nothing into a cluster): remove it, or "
    "set releases: true"
)


@rule("kubernetes", "verify", "addons")
def _cluster_actions_need_releases(cfg: StackConfig) -> list[str]:
    if cfg.kubernetes.releases:
        return []
    problems = []
    if cfg.verify.in_cluster:
        problems.append(
            "wire:verify.inCluster: runs verify's Jobs in the cluster after the wire-server release, "
            + _REFUSAL
            + " (`python -m verify --stack <stack> --outputs <file>` checks the AWS side from anywhere)"
        )
    if cfg.addons.cert_manager.install:
        problems.append("wire:addons.certManager.install: installs cert-manager into the cluster, " + _REFUSAL)
    if cfg.addons.aws_load_balancer_controller.install:
        problems.append(
            "wire:addons.awsLoadBalancerController.install: installs the AWS Load Balancer Controller into the "
            "cluster, " + _REFUSAL
        )
    return problems


def cluster_mode_warnings(cfg: StackConfig) -> list[str]:
    """Settings with no effect in this mode that harm nothing."""
    found = []
    if not cfg.kubernetes.releases and cfg.verify.image != DEFAULT_VERIFY_IMAGE:
        found.append(
            "wire:verify.image: with wire:kubernetes.releases false no verify Job runs after a release; the image "
            "is only the default of `python -m verify --in-cluster --print-manifests` (its --image option sets it too)"
        )
    if cfg.web_apps.team_settings_pull_secret is not None and not cfg.web_apps.team_settings:
        found.append(
            "wire:webApps.teamSettingsPullSecret: team-settings is not deployed (wire:webApps.teamSettings is "
            "false), so the pull secret is used nowhere; remove it, or set teamSettings: true"
        )
    return found
