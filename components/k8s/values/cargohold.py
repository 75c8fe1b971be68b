"""cargohold: the assets bucket, its download endpoint and CloudFront signing."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.config.federation import federation_domain
from components.k8s.values.common import service_identity, set_if, set_proxy_env
from components.outputs import AwsOutputs

# cargohold reads the CloudFront signing key from this file; the chart mounts secrets.cloudFront there.
CLOUDFRONT_KEY_PATH = "/etc/wire/cargohold/secrets/cf-pk.pem"


def cargohold_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    aws_config: dict[str, Any] = {
        "region": aws.region,
        "s3Bucket": aws.bucket,
        "s3Endpoint": aws.s3_endpoint,
        # The chart key is under config.aws (the guide's `cargohold.aws` is outdated).
        "s3AddressingStyle": cfg.assets.s3_addressing_style,
    }
    set_if(aws_config, "s3DownloadEndpoint", aws.s3_download_endpoint)
    secrets: dict[str, Any] = {}
    cloud_front = cfg.assets.cloud_front
    if cloud_front.enabled:
        if not aws.cloudfront_domain:
            raise ValueError("CloudFront is enabled but the AWS outputs have no distribution domain")
        aws_config["cloudFront"] = {
            "domain": aws.cloudfront_domain,
            "keyPairId": cloud_front.key_pair_id,
            "privateKeyPath": CLOUDFRONT_KEY_PATH,
        }
        if cloud_front.private_key is not None:
            secrets["cloudFront"] = {"cfPrivateKey": cloud_front.private_key}
    config: dict[str, Any] = {"aws": aws_config, "settings": {"federationDomain": federation_domain(cfg)}}
    set_proxy_env(cfg, "cargohold", config)
    # With IRSA and no CloudFront, `secrets` stays absent: the chart default {} passes its `required`.
    values: dict[str, Any] = {"replicaCount": cfg.replicas.cargohold, "config": config}
    if secrets:
        values["secrets"] = secrets
    service_identity(cfg, aws, "cargohold", values)
    return values
