"""The Wire webapp's values as data: hosts and CSP sources computed from the stack (chart: wireapp/wire-webapp)."""

from __future__ import annotations

import pytest

from components.k8s.values.webapp import asset_origins, webapp_values
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from tests.components.k8s.values.values_support import WSLB


def webapp(**overrides):
    cfg = make_cfg(**overrides)
    return webapp_values(cfg, aws_outputs(cfg))


def csp(values: dict, name: str) -> list[str]:
    return values["envVars"][f"CSP_EXTRA_{name}_SRC"].split(", ")


def test_hosts_follow_the_domain_and_replicas() -> None:
    values = webapp(replicas={"webapp": 2})
    assert values["replicaCount"] == 2
    assert values["config"]["externalUrls"] == {
        "backendRest": "nginz-https.example.org",
        "backendWebsocket": "nginz-ssl.example.org",
        "backendDomain": "example.org",
        "appHost": "webapp.example.org",
    }
    # nginx-ingress-services routes webapp.<domain>: the chart's own ingress and TLS stay off.
    assert values["ingress"] == {"enabled": False} and values["tls"] == {"enabled": False}
    assert "URL_TEAMS_BASE" not in values["envVars"] and "URL_ACCOUNT_BASE" not in values["envVars"]


def test_links_to_the_deployed_web_apps() -> None:
    values = webapp(webApps={"teamSettings": True, "accountPages": True})
    env = values["envVars"]
    assert env["URL_TEAMS_BASE"] == env["URL_TEAMS_CREATE"] == "https://teams.example.org"
    assert env["URL_ACCOUNT_BASE"] == "https://account.example.org"
    assert values["config"]["externalUrls"]["backendTeamSettings"] == "teams.example.org"


def test_csp_names_backend_websocket_and_asset_hosts_only() -> None:
    values = webapp(cannon=WSLB)
    connect = csp(values, "CONNECT")
    assert connect[:2] == ["https://nginz-https.example.org", "wss://nginz-ssl.example.org"]
    assert not [source for source in connect if "*" in source]
    # Default addressing `auto`: virtual-hosted bucket URLs on AWS, path style as the fallback.
    bucket = "staging-example-org-wire-assets"
    assert connect[2:] == [f"https://{bucket}.s3.eu-central-1.amazonaws.com", "https://s3.eu-central-1.amazonaws.com"]
    assert csp(values, "IMG")[1:] == connect[2:]
    assert csp(values, "MEDIA") == connect[2:]


@pytest.mark.parametrize(
    ("assets", "expected"),
    [
        ({"s3AddressingStyle": "path"}, ["https://s3.eu-central-1.amazonaws.com"]),
        ({"s3AddressingStyle": "virtual"}, ["https://staging-example-org-wire-assets.s3.eu-central-1.amazonaws.com"]),
        (
            {"s3AddressingStyle": "path", "downloadEndpoint": "https://files.example.org/x"},
            ["https://files.example.org"],
        ),
        ({"cloudFront": {"enabled": True, "keyPairId": "K1"}}, ["https://d111111abcdef8.cloudfront.net"]),
    ],
)
def test_asset_download_host(assets: dict, expected: list[str]) -> None:
    cfg = make_cfg(assets=assets)
    assert asset_origins(cfg, aws_outputs(cfg)) == expected
    assert csp(webapp_values(cfg, aws_outputs(cfg)), "MEDIA") == expected


def test_extra_values_win() -> None:
    values = webapp(extraValues={"webapp": {"envVars": {"FEATURE_ENABLE_SSO": "true"}}})
    assert values["envVars"]["FEATURE_ENABLE_SSO"] == "true"
    assert values["envVars"]["APP_NAME"] == "Webapp"
