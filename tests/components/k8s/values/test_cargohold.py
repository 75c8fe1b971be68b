"""cargohold: S3 addressing, download endpoint and CloudFront."""

from __future__ import annotations

import pytest

from tests.components.k8s.k8s_support import make_cfg
from tests.components.k8s.values.values_support import ws


@pytest.mark.parametrize("style", ["auto", "path", "virtual"])
def test_cargohold_s3(style: str) -> None:
    cfg = make_cfg(assets={"s3AddressingStyle": style, "downloadEndpoint": "https://dl.example.org"})
    values = ws(cfg)["cargohold"]
    aws = values["config"]["aws"]
    assert aws["s3AddressingStyle"] == style
    assert aws["s3Bucket"] == cfg.bucket_name
    assert aws["s3Endpoint"] == "https://s3.eu-central-1.amazonaws.com"
    assert aws["s3DownloadEndpoint"] == "https://dl.example.org"
    assert "cloudFront" not in aws
    assert "aws" not in values  # the guide's cargohold.aws is outdated
    assert "secrets" not in values  # IRSA without CloudFront: the chart default {} (never null)


def test_cargohold_cloudfront() -> None:
    cfg = make_cfg(assets={"cloudFront": {"enabled": True, "keyPairId": "K123", "privateKey": "pem"}})
    values = ws(cfg)["cargohold"]
    assert values["config"]["aws"]["cloudFront"] == {
        "domain": "d111111abcdef8.cloudfront.net",
        "keyPairId": "K123",
        "privateKeyPath": "/etc/wire/cargohold/secrets/cf-pk.pem",
    }
    assert values["secrets"]["cloudFront"]["cfPrivateKey"].get_secret_value() == "pem"
