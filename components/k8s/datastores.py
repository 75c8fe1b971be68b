"""The Kubernetes side of the data stores: the Secret the RabbitMQ clients read Amazon's CAs from, and cannon's
restart when its RabbitMQ credentials change.

The chart takes the RabbitMQ CA only from a Secret (`config.rabbitmq.tlsCaSecretRef`, no inline option),
so the program writes one into the Wire namespace before the wire-server release. It holds public
certificates only (components/aws/data/README.md). The namespace must exist (helm creates it with the
first release; a stack created with a managed RabbitMQ needs `kubectl create namespace <ns>` first).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.config import StackConfig
from components.k8s.values.datastores import CA_SECRET_KEY, CA_SECRET_NAME, amazon_root_cas
from components.outputs import AwsOutputs


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


# The pod-template annotation that rolls cannon when its RabbitMQ credentials change.
CANNON_CREDENTIALS_ANNOTATION = "wire-infra/rabbitmq-credentials"


def rabbitmq_credentials_digest(cfg: StackConfig, aws: AwsOutputs) -> str:
    """A digest of the RabbitMQ user and password cannon reads (never the values): changes exactly with them."""
    managed = aws.stores.get("rabbitmq")
    if managed is not None:
        user, password = managed.username or "", managed.password.get_secret_value()
    else:
        rabbitmq = cfg.databases.rabbitmq
        user = rabbitmq.username.get_secret_value() if rabbitmq.username else ""
        password = rabbitmq.password.get_secret_value() if rabbitmq.password else ""
    return hashlib.sha256(f"{user}\0{password}".encode()).hexdigest()


def roll_cannon_on_credentials(
    cfg: StackConfig,
    aws: pulumi.Output[AwsOutputs],
    wire_server: pulumi.Resource,
    opts: pulumi.ResourceOptions,
) -> k8s.apps.v1.StatefulSetPatch:
    """cannon's StatefulSet has no checksum of its Secret (chart 5.29.5): a changed RabbitMQ password would
    reach its pods only at their next restart. This annotation on its pod template restarts them with it."""
    digest: pulumi.Output[Any] = pulumi.Output.secret(
        aws.apply(lambda record: rabbitmq_credentials_digest(cfg, record))
    )
    return k8s.apps.v1.StatefulSetPatch(
        "cannon-credentials",
        metadata=k8s.meta.v1.ObjectMetaPatchArgs(name="cannon", namespace=cfg.kubernetes.namespace),
        spec=k8s.apps.v1.StatefulSetSpecPatchArgs(
            template=k8s.core.v1.PodTemplateSpecPatchArgs(
                metadata=k8s.meta.v1.ObjectMetaPatchArgs(annotations={CANNON_CREDENTIALS_ANNOTATION: digest})
            )
        ),
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[wire_server])),
    )
