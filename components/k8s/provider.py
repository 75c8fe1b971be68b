"""The Kubernetes provider the releases are deployed with, from `cfg.kubernetes`."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.config import StackConfig


def kubernetes_provider(cfg: StackConfig, opts: pulumi.ResourceOptions | None = None) -> k8s.Provider:
    """A provider for the configured cluster: a cluster stack's kubeconfig, or a context / kubeconfig path.

    The stack always names one (load_stack refuses a stack that deploys releases without: see
    `Kubernetes.unnamed_cluster_problem`), so the provider never takes the machine's current context.
    """
    kube = cfg.kubernetes
    kubeconfig: pulumi.Input[str] | None = None
    if kube.cluster_stack:
        cluster = pulumi.StackReference(kube.cluster_stack, opts=opts)
        # The cluster stack's kubeconfig holds credentials: keep it secret whatever the stack marked.
        kubeconfig = pulumi.Output.secret(cluster.require_output("kubeconfig"))
    elif kube.kubeconfig:
        # The provider accepts a path as well as the file's contents.
        kubeconfig = kube.kubeconfig
    return k8s.Provider(
        "kubernetes",
        kubeconfig=kubeconfig,
        context=kube.context,
        # Namespaced objects without a namespace land in the Wire namespace, never in `default`.
        namespace=kube.namespace,
        opts=opts,
    )
