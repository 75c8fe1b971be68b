"""Shared helpers: a service's AWS identity (IRSA or static keys), the proxy environment, deep_merge."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from components.k8s.values.common import deep_merge, no_proxy_list
from components.k8s.values.wire_server import wire_server_values
from tests.components.k8s.k8s_support import ACCOUNT, aws_outputs, make_cfg
from tests.components.k8s.values.values_support import EXTERNAL_PUSH, PROXY, walk, ws


@pytest.mark.parametrize("service", ["brig", "galley", "gundeck", "cargohold"])
def test_irsa_annotates_role_and_has_no_key_entries_at_all(service: str) -> None:
    cfg = make_cfg()
    values = ws(cfg)[service]
    assert values["serviceAccount"]["annotations"]["eks.amazonaws.com/role-arn"] == (
        f"arn:aws:iam::{ACCOUNT}:role/staging-{service}"
    )
    # An empty awsKeyId makes the Deployment reference a missing secret key: the keys must be absent.
    assert "awsKeyId" not in values.get("secrets", {})
    assert "awsSecretKey" not in values.get("secrets", {})


def test_irsa_tree_contains_no_aws_key_anywhere() -> None:
    paths = [path for path, _ in walk(ws(make_cfg()))]
    assert not [path for path in paths if "awsKeyId" in path or "awsSecretKey" in path]


@pytest.mark.parametrize("service", ["brig", "galley", "gundeck", "cargohold"])
def test_static_keys_are_secret_and_no_role_annotation(service: str) -> None:
    cfg = make_cfg(serviceCredentials={"mode": "staticKeys", "oidcProviderArn": None})
    values = ws(cfg)[service]
    assert values["secrets"]["awsKeyId"] == f"AKIA{service.upper()}"
    assert isinstance(values["secrets"]["awsSecretKey"], SecretStr)
    assert values["secrets"]["awsSecretKey"].get_secret_value() == f"secret-{service}"
    assert "serviceAccount" not in values


@pytest.mark.parametrize("mode", ["irsa", "staticKeys"])
def test_external_push_uses_wires_key_for_gundeck_in_any_mode(mode: str) -> None:
    creds = {"mode": mode, "oidcProviderArn": None} if mode == "staticKeys" else {}
    cfg = make_cfg(push=EXTERNAL_PUSH, serviceCredentials=creds)
    values = ws(cfg)
    assert values["gundeck"]["secrets"]["awsKeyId"] == "AKIAWIREPUSH"
    assert values["gundeck"]["secrets"]["awsSecretKey"].get_secret_value() == "wire-push-secret"
    assert "serviceAccount" not in values["gundeck"]
    if mode == "irsa":
        assert "awsKeyId" not in values["brig"]["secrets"]


def test_missing_identity_output_is_an_error() -> None:
    cfg = make_cfg()
    record = aws_outputs(cfg)
    broken = type(record)(**{**record.__dict__, "role_arns": {}})
    with pytest.raises(ValueError, match="IAM role for brig"):
        wire_server_values(cfg, broken)


@pytest.mark.parametrize("replicas", [1, 3])
def test_no_proxy_list_in_non_default_namespace(replicas: int) -> None:
    cfg = make_cfg(
        kubernetes={"namespace": "chat"}, replicas={"cannon": replicas}, proxy={**PROXY, "noProxy": ["10.0.0.0/8"]}
    )
    entries = no_proxy_list(cfg)
    assert entries[:2] == ["localhost", "127.0.0.1"]
    for service in ("brig", "cargohold", "galley", "gundeck", "proxy", "spar", "federator", "cannon", "nginz"):
        assert service in entries and f"{service}.chat" in entries
    assert "background-worker" in entries
    assert ".chat.svc.cluster.local" in entries
    cannon_pods = [entry for entry in entries if entry.startswith("cannon-")]
    assert cannon_pods == [f"cannon-{index}.cannon.chat" for index in range(replicas)]
    assert not [entry for entry in entries if entry.endswith(".default")]
    for host in cfg.databases.hosts():
        assert host in entries
    assert entries[-1] == "10.0.0.0/8"
    assert len(entries) == len(set(entries))
    assert entries == no_proxy_list(cfg)


def test_no_proxy_list_drops_fake_aws_and_duplicates() -> None:
    cfg = make_cfg(proxy={**PROXY, "noProxy": ["fake-aws-sqs", "brig", "localhost", "10.0.0.0/8"]})
    entries = no_proxy_list(cfg)
    assert not [entry for entry in entries if "fake-aws" in entry]
    assert entries.count("brig") == 1 and entries.count("localhost") == 1


@pytest.mark.parametrize(
    "services", [["brig", "gundeck"], ["proxy"], ["brig", "galley", "gundeck", "cargohold", "spar"]]
)
def test_proxy_env_only_for_chosen_services(services: list[str]) -> None:
    cfg = make_cfg(proxy={**PROXY, "services": services}, linkPreviews={"enabled": True})
    values = ws(cfg)
    for service in ("brig", "galley", "gundeck", "cargohold", "spar"):
        proxy = values[service]["config"].get("proxy")
        if service in services:
            assert proxy["httpProxy"] == proxy["httpsProxy"] == "http://proxy:8080"
            assert proxy["noProxyList"] == no_proxy_list(cfg)
        else:
            assert proxy is None
    assert ("config" in values["proxy"]) is ("proxy" in services)
    # cannon, background-worker and nginz have no proxy keys in the chart.
    assert "proxy" not in values["cannon"]["config"]


def test_no_proxy_env_without_a_proxy() -> None:
    values = ws(make_cfg())
    assert not [path for path, _ in walk(values) if ".proxy.httpProxy" in path or "noProxyList" in path]


def test_deep_merge_replaces_lists_and_does_not_mutate() -> None:
    base = {"a": {"b": [1, 2], "c": 1}}
    merged = deep_merge(base, {"a": {"b": [3]}})
    assert merged == {"a": {"b": [3], "c": 1}}
    assert base == {"a": {"b": [1, 2], "c": 1}}
