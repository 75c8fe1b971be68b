"""Shared configurations and tree helpers of the helm-value tests."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.k8s.values.wire_server import wire_server_values
from tests.components.k8s.k8s_support import aws_outputs, make_cfg

EXTERNAL_PUSH = {
    "mode": "external",
    "external": {
        "account": "098765432109",
        "region": "eu-west-1",
        "queueName": "acme-gundeck-events",
        "arnEnv": "acme",
        "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
        "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
        "awsKeyId": "AKIAWIREPUSH",
        "awsSecretKey": "wire-push-secret",
    },
}


SMTP = {"mode": "smtp", "sender": "no-reply@example.org", "smtp": {"host": "smtp.example.org", "port": 465}}


WSLB = {
    "websocketLoadBalancer": {
        "enabled": True,
        "hostname": "nginz-ssl.example.org",
        "certManager": {"enabled": True, "issuerName": "le", "issuerKind": "Issuer"},
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
        "externalDns": True,
    }
}


PROXY = {"httpProxy": "http://proxy:8080", "httpsProxy": "http://proxy:8080"}


def ws(cfg: StackConfig) -> dict[str, Any]:
    return wire_server_values(cfg, aws_outputs(cfg))


def walk(tree: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (dotted path, leaf) of a tree."""
    if isinstance(tree, dict):
        return [item for key, value in tree.items() for item in walk(value, f"{path}.{key}" if path else key)]
    if isinstance(tree, list):
        return [item for index, value in enumerate(tree) for item in walk(value, f"{path}[{index}]")]
    return [(path, tree)]


def all_configs() -> list[StackConfig]:
    return [
        make_cfg(),
        make_cfg(serviceCredentials={"mode": "staticKeys", "oidcProviderArn": None}),
        make_cfg(push=EXTERNAL_PUSH),
        make_cfg(email=SMTP),
        make_cfg(cannon=WSLB, proxy=PROXY, linkPreviews={"enabled": True, "giphy": "g"}),
        make_cfg(ingress={"controller": "awsNlb"}, webApps={"teamSettings": True, "accountPages": True}),
        make_cfg(ingress={"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]}),
    ]
