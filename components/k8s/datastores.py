"""The Kubernetes side of the managed data stores: the Secret the RabbitMQ clients read Amazon's CAs from.

The chart takes the RabbitMQ CA only from a Secret (`config.rabbitmq.tlsCaSecretRef`, no inline option),
so the program writes one into the Wire namespace before the wire-server release. It holds public
certificates only (components/aws/data/README.md). The namespace must exist (helm creates it with the
first release; a stack created with a managed RabbitMQ needs `kubectl create namespace <ns>` first).
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.config import StackConfig
from components.k8s.values.datastores import CA_SECRET_KEY, CA_SECRET_NAME, amazon_root_cas


def program_secrets(cfg: StackConfig) -> dict[str, set[str]]:
    """The Secrets (name -> keys) this module creates for `cfg`, beside the charts' own."""
    return {CA_SECRET_NAME: {CA_SECRET_KEY}} if cfg.databases.rabbitmq.is_managed else {}


def datastore_secrets(cfg: StackConfig, opts: pulumi.ResourceOptions) -> list[pulumi.Resource]:
    """What the wire-server release needs in the cluster before it starts (none without a managed RabbitMQ)."""
    if not cfg.databases.rabbitmq.is_managed:
        return []
    secret = k8s.core.v1.Secret(
        CA_SECRET_NAME,
        metadata=k8s.meta.v1.ObjectMetaArgs(
            name=CA_SECRET_NAME,
            namespace=cfg.kubernetes.namespace,
            labels={"app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "wire-infra"},
        ),
        type="Opaque",
        string_data={CA_SECRET_KEY: amazon_root_cas()},
        opts=opts,
    )
    return [secret]
