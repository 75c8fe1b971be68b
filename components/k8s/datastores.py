"""The Kubernetes side of the data stores: the Secret the RabbitMQ clients read Amazon's CAs from, and cannon's
restart when its RabbitMQ credentials change.

The chart takes the RabbitMQ CA only from a Secret (`config.rabbitmq.tlsCaSecretRef`, no inline option),
so the program writes one into the Wire namespace before the wire-server release. It holds public
certificates only (components/aws/data/README.md). The Secret comes before any release, so before helm's
`create_namespace`: the program makes sure the namespace exists with a `NamespacePatch`, a server-side apply
that creates it when it is missing and, on a cluster Wire already runs on, only adds a label to it. A patch
never owns the object: destroying the stack leaves the namespace (and whatever else runs in it) in place.
Since pulumi-kubernetes 4.29 a plain `Namespace` would fail with AlreadyExists on such a cluster
(pulumi-kubernetes CHANGELOG 4.29.0, #2926: client-side create for new resources).
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


# The namespace gets only this label: it may be the operator's, managed by something else.
PART_OF_WIRE_INFRA = {"app.kubernetes.io/part-of": "wire-infra"}


def datastore_secrets(cfg: StackConfig, opts: pulumi.ResourceOptions) -> list[pulumi.Resource]:
    """What the wire-server release needs in the cluster before it starts (none without a managed RabbitMQ)."""
    if not cfg.databases.rabbitmq.is_managed:
        return []
    namespace = k8s.core.v1.NamespacePatch(
        "wire-namespace",
        metadata=k8s.meta.v1.ObjectMetaPatchArgs(name=cfg.kubernetes.namespace, labels=PART_OF_WIRE_INFRA),
        opts=opts,
    )
    secret = k8s.core.v1.Secret(
        CA_SECRET_NAME,
        metadata=k8s.meta.v1.ObjectMetaArgs(
            name=CA_SECRET_NAME,
            namespace=cfg.kubernetes.namespace,
            labels={"app.kubernetes.io/managed-by": "pulumi", **PART_OF_WIRE_INFRA},
        ),
        type="Opaque",
        string_data={CA_SECRET_KEY: amazon_root_cas()},
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[namespace])),
    )
    return [namespace, secret]


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
