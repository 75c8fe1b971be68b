"""The managed data stores reach every service that reads them, at the keys the real charts read.

Runs on every stack of tests/render/variants.py; `variant:managed-datastores` (and the good corpus stack
`datastores-managed`) have all four stores managed, the others none: both sides are asserted.
"""

from __future__ import annotations

import base64
import json

import pytest

from components.k8s.values.datastores import CA_SECRET_KEY, CA_SECRET_NAME, amazon_root_cas
from tests.components.k8s.k8s_support import STORE_HOSTS
from tests.render.render_support import STACK_IDS, Manifests, pod_spec, rendered, stack_cfg, values_of

RABBITMQ_CLIENTS = ("brig", "gundeck", "cannon", "background-worker")


def host(store: str, stack_id: str) -> str:
    cfg = stack_cfg(stack_id)
    return STORE_HOSTS[store].format(env=cfg.environment, region=cfg.region)


def job_args(manifests: Manifests, name: str) -> list[str]:
    return manifests.containers("Job", name)[0]["args"]


def arg_after(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args else None


def secret_volumes(manifests: Manifests, kind: str, name: str) -> dict[str, str]:
    volumes = pod_spec(manifests.get(kind, name)).get("volumes") or []
    return {item["name"]: item["secret"]["secretName"] for item in volumes if "secret" in item}


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_managed_postgresql(stack_id: str) -> None:
    cfg, manifests = stack_cfg(stack_id), rendered(stack_id)
    pg = cfg.databases.postgresql
    expected_host = host("postgresql", stack_id) if pg.is_managed else pg.host
    for service in ("brig", "galley", "background-worker"):
        config = manifests.service_config(service)
        settings = config["postgresql"]
        assert settings["host"] == expected_host
        assert str(settings["port"]) == ("5432" if pg.is_managed else str(pg.port or 5432))
        assert (settings["user"], settings["dbname"]) == (pg.user, pg.dbname)
        assert settings.get("sslmode") == ("require" if pg.is_managed else None)
        assert config["postgresqlPassword"].endswith("/secrets/pgPassword")
        assert "pgPassword" in manifests.secret_keys(service)
    if pg.is_managed:
        assert (pg.user, pg.dbname) == ("wire_server", "wire_server")
    # The index job copies users from PostgreSQL: never the chart's fallback host `postgresql` by accident.
    args = job_args(manifests, "brig-index-migrate-data")
    pg_settings = json.loads(arg_after(args, "--pg-settings") or "{}")
    assert pg_settings["host"] == expected_host
    with_credentials = cfg.databases.elasticsearch.is_managed or cfg.databases.elasticsearch.password is not None
    assert ("--pg-password-file" in args) == with_credentials
    if with_credentials:
        assert "pgPassword" in manifests.secret_keys("elasticsearch-index")


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_managed_redis(stack_id: str) -> None:
    cfg, manifests = stack_cfg(stack_id), rendered(stack_id)
    redis = manifests.service_config("gundeck")["redis"]
    managed = cfg.databases.redis.is_managed
    env = manifests.env("Deployment", "gundeck")
    if not managed:
        assert redis["enableTls"] is False and "tlsCa" not in redis
        assert ("REDIS_PASSWORD" in env) == (cfg.databases.redis.password is not None)
        return
    assert redis == {
        "host": host("redis", stack_id),
        "port": 6379,
        "connectionMode": "master",
        "enableTls": True,
        "insecureSkipVerifyTls": False,
        "tlsCa": "/etc/wire/gundeck/redis-ca/ca.pem",
    }
    ca = manifests.get("Secret", "gundeck-redis-ca")["data"]["ca.pem"]
    assert base64.b64decode(ca).decode() == amazon_root_cas()
    assert secret_volumes(manifests, "Deployment", "gundeck")["redis-ca"] == "gundeck-redis-ca"
    assert "redisPassword" in manifests.secret_keys("gundeck")
    assert env["REDIS_PASSWORD"]["secretKeyRef"]["key"] == "redisPassword"


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_managed_rabbitmq(stack_id: str) -> None:
    cfg, manifests = stack_cfg(stack_id), rendered(stack_id)
    managed = cfg.databases.rabbitmq.is_managed
    workloads = {"cannon": "StatefulSet"}
    for service in RABBITMQ_CLIENTS:
        rabbitmq = manifests.service_config(service)["rabbitmq"]
        if not managed:
            assert rabbitmq["enableTls"] is False and "caCert" not in rabbitmq
            continue
        assert (rabbitmq["host"], rabbitmq["port"]) == (host("rabbitmq", stack_id), 5671)
        assert (rabbitmq["vHost"], rabbitmq["enableTls"], rabbitmq["insecureSkipVerifyTls"]) == ("/", True, False)
        assert rabbitmq["caCert"] == f"/etc/wire/{service}/rabbitmq-ca/{CA_SECRET_KEY}"
        kind = workloads.get(service, "Deployment")
        assert secret_volumes(manifests, kind, service)["rabbitmq-ca"] == CA_SECRET_NAME
        assert {"rabbitmqUsername", "rabbitmqPassword"} <= manifests.secret_keys(service)
    if managed:
        # The management API: rendered only with federation, set for when it is on.
        worker = manifests.service_config("background-worker")["rabbitmq"]
        assert worker.get("adminPort", 443) == 443
        assert values_of(cfg)["wire-server"]["background-worker"]["config"]["rabbitmq"]["adminPort"] == 443


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_managed_opensearch(stack_id: str) -> None:
    cfg, manifests = stack_cfg(stack_id), rendered(stack_id)
    es = cfg.databases.elasticsearch
    brig = manifests.service_config("brig")["elasticsearch"]
    create = job_args(manifests, "elasticsearch-index-create")
    migrate = job_args(manifests, "brig-index-migrate-data")
    if not es.is_managed:
        assert brig["url"] == f"http://{es.host}:{es.port or 9200}"
        assert ("credentials" in brig) == (es.password is not None)
        return
    url = f"https://{host('elasticsearch', stack_id)}:443"
    assert brig["url"] == url
    assert brig["credentials"] == "/etc/wire/brig/secrets/elasticsearch-credentials.yaml"
    assert brig["insecureSkipVerifyTls"] is False
    assert "elasticsearch-credentials.yaml" in manifests.secret_keys("brig")
    for args in (create, migrate):
        assert url in args
        assert "--elasticsearch-credentials" in args
    assert "elasticsearch-credentials.yaml" in manifests.secret_keys("elasticsearch-index")
