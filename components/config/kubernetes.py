"""Where the wire-server releases go: namespace, kubeconfig context or a cluster stack."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from components.config.base import Hostname, Model


class Kubernetes(Model):
    namespace: Hostname = "wire"
    """Namespace of the wire-server releases (also in the cannon pod names of noProxyList)."""
    context: str | None = None
    """kubeconfig context to deploy to (of `kubeconfig`, else of $KUBECONFIG / ~/.kube/config). A stack that
    deploys releases names its cluster: context, kubeconfig or clusterStack."""
    kubeconfig: str | None = None
    """Path of a kubeconfig file (its current context unless `context` names another)."""
    cluster_stack: str | None = None
    """A cluster stack ("org/project/stack") exporting `kubeconfig` (and optionally `oidcProviderArn`)."""
    releases: bool = True
    """Deploy the helm releases. `false`: AWS (and DNS) only, for helmfile / Argo CD / Flux users, who write the
    values files from the stack outputs with `python -m migrate values`."""
    version: Annotated[str, Field(pattern=r"^1\.[0-9]{2}$")] = "1.33"
    """Kubernetes version (major.minor) of the cluster: the rendered manifests are checked against its schemas."""

    @model_validator(mode="after")
    def _check(self) -> Kubernetes:
        if not self.releases:
            unused = [key for key, value in self._cluster_settings().items() if value]
            if unused:
                raise ValueError(
                    f"{', '.join(unused)} only say where the releases go, and releases is false (AWS only): "
                    "remove them, or set releases: true"
                )
        if self.cluster_stack and (self.context or self.kubeconfig):
            raise ValueError("set either clusterStack or context/kubeconfig, not both")
        if self.cluster_stack and self.cluster_stack.count("/") != 2:
            raise ValueError("clusterStack must be a fully qualified stack name: <org>/<project>/<stack>")
        return self

    def unnamed_cluster_problem(self) -> str | None:
        """The problem of a stack that deploys releases without naming its cluster (None when it names one).

        An explicit Kubernetes provider with neither `context` nor `kubeconfig` uses the current context of
        whatever kubeconfig the machine running `pulumi up` has (pulumi-kubernetes v4.32.0, the tag closest
        to our pin 4.34.2: provider/pkg/provider/provider.go, `Configure`: an empty kubeconfig loads
        client-go's default loading rules, an empty context keeps their current-context), so the same stack
        could deploy to another cluster from another laptop. Checked by load_stack on a configuration that
        validated.
        """
        if not self.releases or any(self._cluster_settings().values()):
            return None
        return (
            "wire:kubernetes: the stack deploys helm releases but names no cluster, so they would go to whatever "
            "kubeconfig context is current on the machine running `pulumi up`; set wire:kubernetes.context (a "
            "context of your kubeconfig: `kubectl config get-contexts`), wire:kubernetes.kubeconfig (a kubeconfig "
            "file) or wire:kubernetes.clusterStack (<org>/<project>/<stack>), or releases: false (AWS only)"
        )

    def _cluster_settings(self) -> dict[str, str | None]:
        return {"context": self.context, "kubeconfig": self.kubeconfig, "clusterStack": self.cluster_stack}
