"""cannon: drain options and its optional own websocket load balancer."""

from __future__ import annotations

from typing import Any

from components.config import StackConfig
from components.k8s.values.common import cassandra_endpoint, database_secrets, rabbitmq_endpoint, set_if

# The chart writes `toYaml annotations | indent 4` below annotation keys of its own: an empty map renders as
# a bare `{}` there, which is invalid YAML (helm: "did not find expected key"). One annotation of ours keeps it a map.
EMPTY_ANNOTATIONS_STANDIN = {"wire-infra/annotations": "none-set"}


def cannon_values(cfg: StackConfig) -> dict[str, Any]:
    drain = cfg.cannon.drain
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.cannon,
        "config": {
            "cassandra": cassandra_endpoint(cfg),
            "rabbitmq": rabbitmq_endpoint(cfg),
            # The chart key is cannon.config.drainOpts (the guide's cannon.drainOpts is not read).
            "drainOpts": {
                "gracePeriodSeconds": drain.grace_period_seconds,
                "millisecondsBetweenBatches": drain.milliseconds_between_batches,
                "minBatchSize": drain.min_batch_size,
            },
        },
        # CORS allowlist of cannon's embedded nginz (webapp/teams/account on this domain).
        "nginx_conf": {"external_env_domain": cfg.domain},
        "secrets": database_secrets(cfg, postgres=False),
    }
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled:
        values["service"] = {
            "nginz": {
                "enabled": True,
                "hostname": wslb.hostname,
                "annotations": dict(wslb.annotations) or EMPTY_ANNOTATIONS_STANDIN,
                "externalDNS": {"enabled": wslb.external_dns},
                "certManager": {
                    "enabled": wslb.cert_manager.enabled,
                    "issuer": {"name": wslb.cert_manager.issuer_name, "kind": wslb.cert_manager.issuer_kind},
                },
            }
        }
        nginz_secrets: dict[str, Any] = {}
        if cfg.secrets.zauth_public_keys is not None:
            # The same SecretStr as nginz's and brig's: tokens brig signs must verify at cannon's nginz.
            nginz_secrets["zAuth"] = {"publicKeys": cfg.secrets.zauth_public_keys}
        if not wslb.cert_manager.enabled and wslb.tls is not None:
            tls: dict[str, Any] = {"crt": wslb.tls.crt}
            set_if(tls, "key", wslb.tls.key)
            nginz_secrets["tls"] = tls
        if nginz_secrets:
            values["secrets"]["nginz"] = nginz_secrets
    return values
