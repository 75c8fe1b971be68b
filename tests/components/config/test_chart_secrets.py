"""Which values keys are secrets: read from the charts' Secret templates, and recorded in the repository."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from components.config.chart_secrets import DATA, derive, secret_keys_in, secret_prefixes


def test_the_recorded_list_is_what_the_packaged_charts_hold() -> None:
    folder = os.environ.get("WIRE_CHARTS_DIR")
    if not folder:
        if os.environ.get("CI"):
            pytest.fail("set WIRE_CHARTS_DIR: the recorded secret keys are checked against the packaged charts")
        pytest.skip("set WIRE_CHARTS_DIR=<folder of packaged charts> to check the recorded secret keys against them")
    recorded = json.loads(DATA.read_text(encoding="utf-8"))["releases"]
    assert recorded == derive(Path(folder)), "run: python -m components.config.chart_secrets --write $WIRE_CHARTS_DIR"


def test_the_secrets_an_operator_keeps_in_secrets_yaml_are_known() -> None:
    wire_server = secret_prefixes()["wireServer"]
    for prefix in ("brig.secrets", "galley.secrets", "nginz.secrets", "cannon.secrets", "proxy.secrets"):
        assert prefix in wire_server
    assert secret_prefixes()["teamSettings"] == ("secrets",)


def test_secret_keys_are_found_where_a_file_sets_them() -> None:
    tree = {
        "brig": {"secrets": {"zAuth": {"privateKeys": "k"}}, "config": {"optSettings": {"setMaxTeamSize": 500}}},
        "galley": {"secrets": {}},  # an empty block sets nothing
        "nginz": {"secrets": {"basicAuth": None}},  # nor does a null
        "federator": {"clientPrivateKeyContents": "-----BEGIN PRIVATE KEY-----"},
    }
    assert secret_keys_in("wireServer", tree) == [
        (("brig", "secrets", "zAuth", "privateKeys"), "brig.secrets"),
        (("federator", "clientPrivateKeyContents"), "federator.clientPrivateKeyContents"),
    ]
    assert secret_keys_in("webapp", {"secrets": {"x": "y"}}) == []


def _chart(tmp_path: Path, name: str, files: dict[str, str]) -> None:
    with tarfile.open(tmp_path / f"{name}.tgz", "w:gz") as tar:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_derived_from_secret_templates_only(tmp_path: Path) -> None:
    secret = "kind: Secret\ndata:\n  a: {{ .Values.secrets.zAuth.privateKeys }}\n  ca: {{ .Values.config.tlsCa }}\n"
    indexed = (
        '{{- $bw := index .Values "background-worker" }}\nkind: Secret\ndata:\n  p: {{ $bw.secrets.pgPassword }}\n'
        "  s: {{ .Values.tls.useSharedFederatorSecret }}\n  k: {{ .Values.tlsKey }}\n"
    )
    _chart(
        tmp_path,
        "wire-server-5.29.5",
        {
            "wire-server/charts/brig/templates/secret.yaml": secret,
            "wire-server/charts/brig/templates/tests/secret.yaml": "kind: Secret\n{{ .Values.testOnly.key }}\n",
            "wire-server/templates/background-worker/secret.yaml": indexed,
            "wire-server/charts/brig/templates/configmap.yaml": "kind: ConfigMap\n{{ .Values.config.password }}\n",
        },
    )
    _chart(tmp_path, "unrelated-1.0.0", {"unrelated/templates/secret.yaml": secret})
    assert derive(tmp_path) == {"wireServer": ["background-worker.secrets", "brig.secrets", "tlsKey"]}
