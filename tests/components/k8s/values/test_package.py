"""The package entry points (release_names, release_values): which releases, extraValues, secrets, no fake-aws."""

from __future__ import annotations

import pytest
import yaml
from pydantic import SecretStr

from components.config import StackConfig
from components.k8s import values as v
from components.k8s.values.dump import values_yaml
from components.k8s.values.entry import metallb_manifests
from components.outputs import REDACTED, has_secret, redact
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from tests.components.k8s.values.values_support import all_configs, walk


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({}, ["wire-server", "nginx-ingress-services", "webapp"]),
        ({"webApps": {"webapp": False}}, ["wire-server", "nginx-ingress-services"]),
        ({"webApps": {"teamSettings": True}}, ["wire-server", "nginx-ingress-services", "webapp", "team-settings"]),
        ({"webApps": {"accountPages": True}}, ["wire-server", "nginx-ingress-services", "webapp", "account-pages"]),
        ({"ingress": {"controller": "awsNlb"}}, ["ingress-nginx", "wire-server", "nginx-ingress-services", "webapp"]),
        (
            {"ingress": {"controller": "metallb", "metallbAddresses": ["203.0.113.0/30"]}},
            ["metallb", "ingress-nginx", "wire-server", "nginx-ingress-services", "webapp"],
        ),
    ],
)
def test_release_values_only_the_deployed_releases(overrides: dict, names: list[str]) -> None:
    cfg = make_cfg(**overrides)
    assert list(v.release_values(cfg, aws_outputs(cfg))) == names


def test_extra_values_merged_last_per_release() -> None:
    cfg = make_cfg(
        webApps={"teamSettings": True, "accountPages": True},
        ingress={"controller": "awsNlb"},
        extraValues={
            "wireServer": {"brig": {"config": {"useSES": "overridden", "optSettings": {"setMaxConvSize": 7}}}},
            "nginxIngressServices": {"fakeS3": {"enabled": "overridden"}},
            "teamSettings": {"envVars": {"IS_SELF_HOSTED": "overridden"}},
            "accountPages": {"envVars": {"EXTRA": "x"}},
            "ingressNginx": {"controller": {"replicaCount": 9}},
        },
    )
    all_values = v.release_values(cfg, aws_outputs(cfg))
    brig = all_values["wire-server"]["brig"]["config"]
    assert brig["useSES"] == "overridden"
    assert brig["optSettings"]["setMaxConvSize"] == 7
    assert brig["optSettings"]["setFederationDomain"] == "example.org"  # merged, not replaced
    assert all_values["nginx-ingress-services"]["fakeS3"]["enabled"] == "overridden"
    assert all_values["team-settings"]["envVars"]["IS_SELF_HOSTED"] == "overridden"
    assert all_values["account-pages"]["envVars"] == {"IS_SELF_HOSTED": "true", "EXTRA": "x"}
    assert all_values["ingress-nginx"]["controller"]["replicaCount"] == 9


@pytest.mark.parametrize(
    "cfg", all_configs(), ids=lambda c: f"{c.service_credentials.mode}-{c.push.mode}-{c.email.mode}"
)
def test_secret_leaves_are_secretstr_and_redacted(cfg: StackConfig) -> None:
    all_values = v.release_values(cfg, aws_outputs(cfg))
    tree = all_values["wire-server"]
    assert has_secret(tree)
    secret_paths = {path for path, leaf in walk(tree) if isinstance(leaf, SecretStr)}
    for expected in ("brig.secrets.zAuth.privateKeys", "nginz.secrets.zAuth.publicKeys", "brig.secrets.turn.secret"):
        assert expected in secret_paths
    redacted = redact(all_values)
    text = yaml.safe_dump(redacted)
    for plain in ("zauth-private", "zauth-public", "rabbit-pw", "pg-pw", "secret-brig", "wire-push-secret"):
        assert plain not in text
    assert REDACTED in text
    # Nothing but SecretStr may carry a secret value: no plain string equals one.
    plain_leaves = {leaf for _, leaf in walk(all_values) if isinstance(leaf, str)}
    assert not plain_leaves & {"zauth-private", "zauth-public", "turn", "rabbit-pw", "pg-pw"}


@pytest.mark.parametrize(
    "cfg", all_configs(), ids=lambda c: f"{c.service_credentials.mode}-{c.push.mode}-{c.ingress.controller}"
)
def test_no_fake_aws_anywhere(cfg: StackConfig) -> None:
    all_values = v.release_values(cfg, aws_outputs(cfg))
    assert "fake-aws" not in all_values
    assert "fake-aws" not in values_yaml(all_values)
    assert "fake-aws" not in str(metallb_manifests(cfg))
