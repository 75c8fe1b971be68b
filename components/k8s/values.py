"""Helm values of every release, computed from the stack configuration and the AWS outputs.

Pure functions: no Pulumi import, no I/O. `components/k8s/releases.py` resolves the AWS outputs into
one `AwsOutputs` record and calls `release_values`; the offline plan writes the same trees to YAML.

Secrets stay `SecretStr` leaves here (never revealed): the Pulumi layer turns a tree holding any
`SecretStr` into a secret Output, and `redact()` prints them as `[secret]`.

Key paths follow the wire-server chart line 5.29.x, not the guide where the two differ:
`cannon.config.drainOpts`, `brig.config.optSettings.setMaxTeamSize`,
`cargohold.config.aws.s3AddressingStyle` and `<svc>.config.proxy.noProxyList`.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from pydantic import SecretStr

from components import naming
from components.config import (
    CredentialsMode,
    EmailMode,
    IngressMode,
    PushMode,
    StackConfig,
    WireHost,
)
from components.outputs import AwsOutputs, redact

# Release names (helm release = Pulumi resource name) and the `extraValues` key of each.
WIRE_SERVER = "wire-server"
NGINX_INGRESS_SERVICES = "nginx-ingress-services"
TEAM_SETTINGS = "team-settings"
ACCOUNT_PAGES = "account-pages"
INGRESS_NGINX = "ingress-nginx"
METALLB = "metallb"

EXTRA_VALUES_KEY = {
    WIRE_SERVER: "wireServer",
    NGINX_INGRESS_SERVICES: "nginxIngressServices",
    TEAM_SETTINGS: "teamSettings",
    ACCOUNT_PAGES: "accountPages",
    INGRESS_NGINX: "ingressNginx",
    METALLB: "metallb",
}

INGRESS_NAMESPACE = "ingress-nginx"
METALLB_NAMESPACE = "metallb-system"

# cargohold reads the CloudFront signing key from this file; the chart mounts secrets.cloudFront there.
CLOUDFRONT_KEY_PATH = "/etc/wire/cargohold/secrets/cf-pk.pem"

# Services inside the release that talk to each other over plain cluster DNS names: these must never
# go through the outbound proxy. (cannon's pods are added per replica, see no_proxy_list.)
CLUSTER_SERVICES = (
    "brig",
    "cannon",
    "cargohold",
    "galley",
    "gundeck",
    "spar",
    "federator",
    "nginz",
    "proxy",
    "background-worker",
    "legalhold",
)

# Link-preview API keys, in the order the proxy chart's example lists them.
LINK_PREVIEW_KEYS = ("youtube", "googlemaps", "soundcloud", "giphy", "spotify")


# --- helpers ---------------------------------------------------------------------------------------


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` merged into a copy of `base`: maps merge recursively, anything else (lists too) replaces."""
    merged = copy.copy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _with_extra(cfg: StackConfig, release: str, values: dict[str, Any]) -> dict[str, Any]:
    # The operator's raw values win over everything computed here (the escape hatch for unmodelled keys).
    extra = cfg.extra_values.get(EXTRA_VALUES_KEY[release])
    return deep_merge(values, extra) if extra else values


def _set_if(target: dict[str, Any], key: str, value: Any) -> None:
    # Unset secrets and optional outputs are omitted, never written as "" or null: an empty
    # awsKeyId breaks the pods (the chart tests `hasKey`), a null map fails `required`.
    if value is not None:
        target[key] = value


def _host(cfg: StackConfig, host: WireHost | str) -> str:
    return f"{WireHost(host).value}.{cfg.domain}"


def _url(cfg: StackConfig, host: WireHost | str, path: str = "") -> str:
    return f"https://{_host(cfg, host)}{path}"


def websocket_host(cfg: StackConfig) -> str:
    """The hostname clients open websockets on: cannon's own load balancer, or nginz-ssl behind the ingress."""
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.hostname:
        return wslb.hostname
    return _host(cfg, WireHost.NGINZ_SSL)


# --- proxy ----------------------------------------------------------------------------------------


def no_proxy_list(cfg: StackConfig) -> list[str]:
    """Hosts the services reach directly, never through the outbound proxy; deterministic, no duplicates.

    The guide's list assumes namespace `default` (`cannon-0.cannon.default`) and lists fake-aws hosts;
    here the cannon pod names follow the namespace and replica count, and fake-aws never appears.
    """
    ns = cfg.kubernetes.namespace
    entries = ["localhost", "127.0.0.1"]
    entries += list(CLUSTER_SERVICES)
    entries += [f"{service}.{ns}" for service in CLUSTER_SERVICES]
    entries.append(f".{ns}.svc.cluster.local")
    # cannon is a StatefulSet behind a headless service: gundeck pushes to each pod by name.
    entries += [f"cannon-{index}.cannon.{ns}" for index in range(cfg.replicas.cannon)]
    # Upstreams nginz routes to in other namespaces (e.g. ibis.integrations) are cluster-internal too.
    for upstream, upstream_ns in sorted(cfg.nginz.upstream_namespaces.items()):
        entries += [upstream, f"{upstream}.{upstream_ns}", f".{upstream_ns}.svc.cluster.local"]
    entries += cfg.databases.hosts()
    entries += cfg.proxy.no_proxy
    # fake-aws does not exist with real AWS; a stale entry copied from the guide is dropped.
    return [entry for entry in dict.fromkeys(entries) if not entry.startswith("fake-aws")]


def _proxy_env(cfg: StackConfig) -> dict[str, Any]:
    env: dict[str, Any] = {}
    _set_if(env, "httpProxy", cfg.proxy.http_proxy)
    _set_if(env, "httpsProxy", cfg.proxy.https_proxy)
    env["noProxyList"] = no_proxy_list(cfg)
    return env


def _proxied(cfg: StackConfig, service: str) -> bool:
    return cfg.proxy.enabled and service in cfg.proxy.services


def proxy_config_secret(cfg: StackConfig) -> SecretStr:
    """The proxy service's `proxy.config` (HOCON), built from the link-preview secrets.

    Every key is written (empty when unset) so the file always has the shape the proxy expects; a
    missing key only disables that one preview.
    """
    # The only place a secret is read here: it goes straight back into a SecretStr.
    lines = ["secrets {"]
    for key in LINK_PREVIEW_KEYS:
        secret: SecretStr | None = getattr(cfg.link_previews, key)
        value = secret.get_secret_value() if secret is not None else ""
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'  {key} = "{escaped}"')
    lines.append("}")
    return SecretStr("\n".join(lines))


# --- identity -------------------------------------------------------------------------------------


def _identity(cfg: StackConfig, aws: AwsOutputs, service: str, values: dict[str, Any]) -> None:
    """IRSA role annotation or static access keys for one of brig, galley, gundeck, cargohold."""
    external_push = service == "gundeck" and cfg.push.mode == PushMode.EXTERNAL
    if cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS or external_push:
        # Wire's push account is only reachable with the key Wire sent, even when the rest uses IRSA.
        key = aws.access_keys.get(service)
        if key is None:
            raise ValueError(f"no access key for {service} in the AWS outputs (static keys / external push)")
        secrets = values.setdefault("secrets", {})
        secrets["awsKeyId"] = key.key_id
        secrets["awsSecretKey"] = key.secret
        return
    role = aws.role_arns.get(service)
    if role is None:
        raise ValueError(f"no IAM role for {service} in the AWS outputs (IRSA)")
    values["serviceAccount"] = {"annotations": {"eks.amazonaws.com/role-arn": role}}


# --- databases ------------------------------------------------------------------------------------


def _db(host: str, port: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"host": host}
    _set_if(entry, "port", port)
    return entry


def _cassandra(cfg: StackConfig) -> dict[str, Any]:
    return _db(cfg.databases.cassandra.host, cfg.databases.cassandra.port)


def _rabbitmq(cfg: StackConfig) -> dict[str, Any]:
    return _db(cfg.databases.rabbitmq.host, cfg.databases.rabbitmq.port)


def _postgresql(cfg: StackConfig) -> dict[str, Any]:
    pg = cfg.databases.postgresql
    # The chart renders the port into a libpq connection string: a string, as in its defaults.
    return {"host": pg.host, "port": str(pg.port or 5432), "user": pg.user, "dbname": pg.dbname}


def _rabbitmq_secret(cfg: StackConfig) -> dict[str, Any]:
    secret: dict[str, Any] = {}
    _set_if(secret, "username", cfg.databases.rabbitmq.username)
    _set_if(secret, "password", cfg.databases.rabbitmq.password)
    return secret


def _database_secrets(cfg: StackConfig, *, postgres: bool) -> dict[str, Any]:
    secrets: dict[str, Any] = {}
    rabbitmq = _rabbitmq_secret(cfg)
    if rabbitmq:
        secrets["rabbitmq"] = rabbitmq
    if postgres:
        _set_if(secrets, "pgPassword", cfg.databases.postgresql.password)
    return secrets


# --- wire-server services ---------------------------------------------------------------------------


def brig_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    es = cfg.databases.elasticsearch
    aws_config: dict[str, Any] = {
        "region": aws.region,
        "sqsEndpoint": aws.sqs_endpoint,
        "internalQueue": aws.brig_internal_queue,
        # brig's config parser requires prekeyTable even with random prekeys: never empty.
        "prekeyTable": aws.prekey_table or naming.prekey_table(cfg.environment),
    }
    use_table = cfg.features.prekey_table
    if use_table:
        aws_config["dynamoDBEndpoint"] = aws.dynamodb_endpoint or cfg.endpoint("dynamodb")
    use_ses = cfg.email.mode == EmailMode.SES
    if use_ses:
        if not aws.ses_queue:
            raise ValueError("SES mode needs the SES feedback queue in the AWS outputs (brig.config.aws.sesQueue)")
        aws_config["sesQueue"] = aws.ses_queue
        aws_config["sesEndpoint"] = aws.ses_endpoint
    _set_if(aws_config, "userJournalQueue", aws.user_journal_queue)

    opt_settings: dict[str, Any] = {
        "setFederationDomain": cfg.domain,
        "setMaxConvSize": cfg.teams.max_conversation_size,
    }
    _set_if(opt_settings, "setMaxTeamSize", cfg.teams.max_team_size)

    account = _url(cfg, WireHost.ACCOUNT)
    teams = _url(cfg, WireHost.TEAMS)
    webapp = _url(cfg, WireHost.WEBAPP)
    external_urls: dict[str, Any] = {
        "nginz": _url(cfg, WireHost.NGINZ_HTTPS),
        "teamCreatorWelcome": f"{teams}/login" if cfg.web_apps.team_settings else f"{webapp}/",
        "teamMemberWelcome": f"{webapp}/",
    }
    if cfg.web_apps.team_settings:
        external_urls["teamSettings"] = teams

    config: dict[str, Any] = {
        "cassandra": _cassandra(cfg),
        "elasticsearch": _db(es.host, es.port),
        "rabbitmq": _rabbitmq(cfg),
        "postgresql": _postgresql(cfg),
        "aws": aws_config,
        "randomPrekeys": not use_table,
        # Always explicit: the chart defaults to true, which demands an SES queue even in SMTP mode.
        "useSES": use_ses,
        "externalUrls": external_urls,
        "optSettings": opt_settings,
        "emailSMS": {
            "general": {"emailSender": cfg.email.sender},
            # Links in the emails brig sends point at account-pages.
            "user": {
                "passwordResetUrl": f"{account}/reset/?key=${{key}}&code=${{code}}",
                "activationUrl": f"{account}/verify/?key=${{key}}&code=${{code}}",
                "smsActivationUrl": f"{account}/v/${{code}}",
                "deletionUrl": f"{account}/d/?key=${{key}}&code=${{code}}",
                "invitationUrl": f"{account}/i/${{code}}",
            },
        },
    }
    secrets: dict[str, Any] = {}
    zauth: dict[str, Any] = {}
    _set_if(zauth, "publicKeys", cfg.secrets.zauth_public_keys)
    _set_if(zauth, "privateKeys", cfg.secrets.zauth_private_keys)
    if zauth:
        secrets["zAuth"] = zauth
    if cfg.secrets.turn_secret is not None:
        secrets["turn"] = {"secret": cfg.secrets.turn_secret}
    secrets.update(_database_secrets(cfg, postgres=True))

    if cfg.email.mode == EmailMode.SMTP and cfg.email.smtp is not None:
        smtp = cfg.email.smtp
        config["smtp"] = {"host": smtp.host, "port": smtp.port, "connType": smtp.conn_type}
        if smtp.username:
            # The chart renders smtpCredentials (and reads the password file) only with a username.
            config["smtp"]["username"] = smtp.username
            _set_if(secrets, "smtpPassword", smtp.password)
    if _proxied(cfg, "brig"):
        config["proxy"] = _proxy_env(cfg)

    values: dict[str, Any] = {"replicaCount": cfg.replicas.brig, "config": config, "secrets": secrets}
    _identity(cfg, aws, "brig", values)
    return values


def galley_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "federationDomain": cfg.domain,
        "maxConvSize": cfg.teams.max_conversation_size,
        # Conversation guest links open on account-pages; the chart needs this (or multiIngress).
        "conversationCodeURI": _url(cfg, WireHost.ACCOUNT, "/conversation-join/"),
    }
    # Kept equal to brig's setMaxTeamSize: the two services check the limit independently.
    _set_if(settings, "maxTeamSize", cfg.teams.max_team_size)
    config: dict[str, Any] = {
        "cassandra": _cassandra(cfg),
        "rabbitmq": _rabbitmq(cfg),
        "postgresql": _postgresql(cfg),
        "settings": settings,
        "aws": {"region": aws.region},
    }
    if aws.team_events_queue:
        config["journal"] = {"queueName": aws.team_events_queue, "endpoint": aws.sqs_endpoint}
    if _proxied(cfg, "galley"):
        config["proxy"] = _proxy_env(cfg)
    # galley's awsKeyId/awsSecretKey render into its own Secret `galley-aws`.
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.galley,
        "config": config,
        "secrets": _database_secrets(cfg, postgres=True),
    }
    _identity(cfg, aws, "galley", values)
    return values


def gundeck_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    push = aws.push
    redis = cfg.databases.redis
    config: dict[str, Any] = {
        "cassandra": _cassandra(cfg),
        "redis": _db(redis.host, redis.port),
        "rabbitmq": _rabbitmq(cfg),
        # All six keys in every push mode: gundeck resolves its queue at boot, even with push disabled.
        "aws": {
            # A string: gundeck splices it into SNS ARNs, and YAML would read 012345678901 as a number.
            "account": str(push.account),
            "region": push.region,
            "arnEnv": push.arn_env,
            "queueName": push.queue_name,
            "sqsEndpoint": push.sqs_endpoint,
            "snsEndpoint": push.sns_endpoint,
        },
    }
    if _proxied(cfg, "gundeck"):
        config["proxy"] = _proxy_env(cfg)
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.gundeck,
        "config": config,
        "secrets": _database_secrets(cfg, postgres=False),
    }
    _identity(cfg, aws, "gundeck", values)
    return values


def cargohold_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    aws_config: dict[str, Any] = {
        "region": aws.region,
        "s3Bucket": aws.bucket,
        "s3Endpoint": aws.s3_endpoint,
        # The chart key is under config.aws (the guide's `cargohold.aws` is outdated).
        "s3AddressingStyle": cfg.assets.s3_addressing_style,
    }
    _set_if(aws_config, "s3DownloadEndpoint", aws.s3_download_endpoint)
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
    config: dict[str, Any] = {"aws": aws_config, "settings": {"federationDomain": cfg.domain}}
    if _proxied(cfg, "cargohold"):
        config["proxy"] = _proxy_env(cfg)
    # With IRSA and no CloudFront, `secrets` stays absent: the chart default {} passes its `required`.
    values: dict[str, Any] = {"replicaCount": cfg.replicas.cargohold, "config": config}
    if secrets:
        values["secrets"] = secrets
    _identity(cfg, aws, "cargohold", values)
    return values


def cannon_values(cfg: StackConfig) -> dict[str, Any]:
    drain = cfg.cannon.drain
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.cannon,
        "config": {
            "cassandra": _cassandra(cfg),
            "rabbitmq": _rabbitmq(cfg),
            # The chart key is cannon.config.drainOpts (the guide's cannon.drainOpts is not read).
            "drainOpts": {
                "gracePeriodSeconds": drain.grace_period_seconds,
                "millisecondsBetweenBatches": drain.milliseconds_between_batches,
                "minBatchSize": drain.min_batch_size,
            },
        },
        # CORS allowlist of cannon's embedded nginz (webapp/teams/account on this domain).
        "nginx_conf": {"external_env_domain": cfg.domain},
        "secrets": _database_secrets(cfg, postgres=False),
    }
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled:
        values["service"] = {
            "nginz": {
                "enabled": True,
                "hostname": wslb.hostname,
                "annotations": dict(wslb.annotations),
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
            _set_if(tls, "key", wslb.tls.key)
            nginz_secrets["tls"] = tls
        if nginz_secrets:
            values["secrets"]["nginz"] = nginz_secrets
    return values


def nginz_values(cfg: StackConfig) -> dict[str, Any]:
    nginx_conf: dict[str, Any] = {
        # `prod` keeps internal endpoints closed (staging would also need basic-auth secrets).
        "env": "prod",
        "external_env_domain": cfg.domain,
        "deeplink": {
            "endpoints": {
                "backendURL": _url(cfg, WireHost.NGINZ_HTTPS),
                "backendWSURL": f"https://{websocket_host(cfg)}",
                "teamsURL": _url(cfg, WireHost.TEAMS),
                "accountsURL": _url(cfg, WireHost.ACCOUNT),
                "blackListURL": "https://clientblacklist.wire.com/prod",
                "websiteURL": f"https://{cfg.domain}",
            },
            "title": cfg.domain,
        },
        # Includes cannon when cannon has its own load balancer: no websocket route through the ingress.
        "ignored_upstreams": cfg.nginz_ignored_upstreams,
        "enabled_extra_upstreams": list(cfg.nginz.extra_upstreams),
        "upstream_namespace": dict(sorted(cfg.nginz.upstream_namespaces.items())),
    }
    values: dict[str, Any] = {
        "replicaCount": cfg.replicas.nginz,
        # The ingress controller speaks plain HTTP to nginz; PROXY protocol on the ws port would break it.
        "config": {"ws": {"useProxyProtocol": False}},
        "nginx_conf": nginx_conf,
    }
    if cfg.secrets.zauth_public_keys is not None:
        values["secrets"] = {"zAuth": {"publicKeys": cfg.secrets.zauth_public_keys}}
    return values


def spar_values(cfg: StackConfig) -> dict[str, Any]:
    config: dict[str, Any] = {
        "cassandra": _cassandra(cfg),
        "domain": cfg.domain,
        "appUri": _url(cfg, WireHost.WEBAPP, "/"),
        "ssoUri": _url(cfg, WireHost.NGINZ_HTTPS, "/sso"),
    }
    if _proxied(cfg, "spar"):
        config["proxy"] = _proxy_env(cfg)
    return {"replicaCount": cfg.replicas.spar, "config": config}


def background_worker_values(cfg: StackConfig) -> dict[str, Any]:
    cassandra = _cassandra(cfg)
    return {
        "replicaCount": cfg.replicas.background_worker,
        "config": {
            "federationDomain": cfg.domain,
            "rabbitmq": _rabbitmq(cfg),
            "cassandra": cassandra,
            "cassandraGalley": dict(cassandra),
            "cassandraBrig": dict(cassandra),
            "postgresql": _postgresql(cfg),
        },
        "secrets": _database_secrets(cfg, postgres=True),
    }


def proxy_values(cfg: StackConfig) -> dict[str, Any]:
    values: dict[str, Any] = {"replicaCount": cfg.replicas.proxy}
    if _proxied(cfg, "proxy"):
        values["config"] = {"proxy": _proxy_env(cfg)}
    if cfg.link_previews.enabled:
        values["secrets"] = {"proxy_config": proxy_config_secret(cfg)}
    return values


def wire_server_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    """Values of the wire-server umbrella chart (one release, every service)."""
    es = cfg.databases.elasticsearch
    values: dict[str, Any] = {
        # proxy is an optional subchart: deployed only for link previews.
        "tags": {"proxy": cfg.link_previews.enabled},
        "cassandra-migrations": {
            # A single ephemeral Cassandra node cannot hold 3 replicas; production runs 3 nodes.
            "cassandra": {**_cassandra(cfg), "replicationFactor": 3 if cfg.is_production else 1},
        },
        "elasticsearch-index": {
            "elasticsearch": _db(es.host, es.port),
            "cassandra": _cassandra(cfg),
        },
        "brig": brig_values(cfg, aws),
        "galley": galley_values(cfg, aws),
        "gundeck": gundeck_values(cfg, aws),
        "cargohold": cargohold_values(cfg, aws),
        "cannon": cannon_values(cfg),
        "nginz": nginz_values(cfg),
        "spar": spar_values(cfg),
        "background-worker": background_worker_values(cfg),
        "proxy": proxy_values(cfg),
    }
    return _with_extra(cfg, WIRE_SERVER, values)


# --- the other releases ------------------------------------------------------------------------------


def nginx_ingress_services_values(cfg: StackConfig) -> dict[str, Any]:
    """Ingresses and certificates for nginz, the webapp and the optional web apps."""
    websockets = not cfg.cannon.websocket_load_balancer.enabled
    dns: dict[str, Any] = {"https": _host(cfg, WireHost.NGINZ_HTTPS)}
    if websockets:
        dns["ssl"] = _host(cfg, WireHost.NGINZ_SSL)
    dns["webapp"] = _host(cfg, WireHost.WEBAPP)
    if cfg.web_apps.team_settings:
        dns["teamSettings"] = _host(cfg, WireHost.TEAMS)
    if cfg.web_apps.account_pages:
        dns["accountPages"] = _host(cfg, WireHost.ACCOUNT)
    if cfg.dns is not None and WireHost.FEDERATOR in cfg.dns.hosts:
        dns["federator"] = _host(cfg, WireHost.FEDERATOR)

    cert_manager = cfg.cannon.websocket_load_balancer.cert_manager
    tls: dict[str, Any] = {"enabled": True, "useCertManager": True}
    issuer_settings: dict[str, Any] = {}
    if cert_manager.enabled:
        # Reuse the issuer the cluster already has for cannon's certificate.
        tls["createIssuer"] = False
        tls["issuer"] = {"name": cert_manager.issuer_name, "kind": cert_manager.issuer_kind}
    else:
        # The chart's own Let's Encrypt HTTP-01 Issuer; staging outside production (untrusted
        # certificates, but no rate limits while a test stack is rebuilt).
        tls["createIssuer"] = True
        issuer_settings = {"inTestMode": not cfg.is_production, "certmasterEmail": cfg.email.sender}

    values: dict[str, Any] = {
        "config": {"dns": dns, "ingressClass": cfg.ingress.ingress_class},
        # Assets are served by S3 (or CloudFront) directly: no fake-aws-s3/minio ingress or service.
        "fakeS3": {"enabled": False},
        "service": {"useFakeS3": False},
        # Off when cannon has its own load balancer: nginz-ssl then points there, not at the ingress.
        "websockets": {"enabled": websockets},
        "webapp": {"enabled": True},
        "teamSettings": {"enabled": cfg.web_apps.team_settings},
        "accountPages": {"enabled": cfg.web_apps.account_pages},
        # Federation is not deployed by this stack (tags.federation stays false); the federator
        # hostname above is only kept for when it is enabled through extraValues.
        "federator": {"enabled": False},
        "tls": tls,
    }
    if issuer_settings:
        values["certManager"] = issuer_settings
    return _with_extra(cfg, NGINX_INGRESS_SERVICES, values)


def _web_app_values(cfg: StackConfig, host: WireHost, replicas: int) -> dict[str, Any]:
    return {
        "replicaCount": replicas,
        "config": {
            "externalUrls": {
                "backendRest": _host(cfg, WireHost.NGINZ_HTTPS),
                "backendWebsocket": websocket_host(cfg),
                "backendDomain": cfg.domain,
                "appHost": _host(cfg, host),
            }
        },
        # Explicit either way: since chart 4.15.0 the apps default to self-hosted, so "false" must be said.
        "envVars": {"IS_SELF_HOSTED": "true" if cfg.web_apps.self_hosted else "false"},
    }


def team_settings_values(cfg: StackConfig) -> dict[str, Any]:
    return _with_extra(cfg, TEAM_SETTINGS, _web_app_values(cfg, WireHost.TEAMS, cfg.replicas.webapp))


def account_pages_values(cfg: StackConfig) -> dict[str, Any]:
    return _with_extra(cfg, ACCOUNT_PAGES, _web_app_values(cfg, WireHost.ACCOUNT, cfg.replicas.webapp))


NLB_ANNOTATIONS = {
    # AWS Load Balancer Controller (not the legacy in-tree `nlb` type): an NLB with pod IP targets.
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
    "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
    # PROXY protocol v2 keeps the client address (rate limits in nginz key on it).
    "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": "*",
}


def ingress_nginx_values(cfg: StackConfig) -> dict[str, Any]:
    """ingress-nginx controller: behind an AWS NLB (awsNlb), or a plain LoadBalancer served by metallb."""
    service: dict[str, Any] = {"type": "LoadBalancer", "externalTrafficPolicy": "Local"}
    controller: dict[str, Any] = {
        "replicaCount": 3 if cfg.is_production else 1,
        "ingressClassResource": {"name": cfg.ingress.ingress_class, "default": False},
        "ingressClass": cfg.ingress.ingress_class,
        "service": service,
    }
    if cfg.ingress.controller == IngressMode.AWS_NLB:
        service["annotations"] = dict(NLB_ANNOTATIONS)
        # Must match the NLB annotation above, or every request fails to parse.
        controller["config"] = {"use-proxy-protocol": "true"}
    return _with_extra(cfg, INGRESS_NGINX, {"controller": controller})


def metallb_values(cfg: StackConfig) -> dict[str, Any]:
    """Values of the upstream metallb chart (bare metal).

    Since metallb 0.13 the address pool is configured with custom resources, not chart values
    (`configInline` is gone). The chart installs the CRDs; `metallb_manifests` returns the
    IPAddressPool and L2Advertisement that `WireReleases` creates after the release.
    """
    values: dict[str, Any] = {"crds": {"enabled": True}, "speaker": {"enabled": True}}
    return _with_extra(cfg, METALLB, values)


METALLB_POOL = "wire"


def metallb_manifests(cfg: StackConfig) -> list[dict[str, Any]]:
    """The metallb custom resources announcing cfg.ingress.metallb_addresses on layer 2."""
    metadata = {"name": METALLB_POOL, "namespace": METALLB_NAMESPACE}
    return [
        {
            "apiVersion": "metallb.io/v1beta1",
            "kind": "IPAddressPool",
            "metadata": dict(metadata),
            "spec": {"addresses": list(cfg.ingress.metallb_addresses)},
        },
        {
            "apiVersion": "metallb.io/v1beta1",
            "kind": "L2Advertisement",
            "metadata": dict(metadata),
            "spec": {"ipAddressPools": [METALLB_POOL]},
        },
    ]


def release_names(cfg: StackConfig) -> list[str]:
    """The releases this configuration deploys, in install order (known without the AWS outputs)."""
    names = []
    if cfg.ingress.controller == IngressMode.METALLB:
        names.append(METALLB)
    if cfg.ingress.controller in (IngressMode.AWS_NLB, IngressMode.METALLB):
        names.append(INGRESS_NGINX)
    names += [WIRE_SERVER, NGINX_INGRESS_SERVICES]
    if cfg.web_apps.team_settings:
        names.append(TEAM_SETTINGS)
    if cfg.web_apps.account_pages:
        names.append(ACCOUNT_PAGES)
    return names


def release_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, dict[str, Any]]:
    """Release name -> values, only for the releases this configuration deploys."""
    builders = {
        METALLB: lambda: metallb_values(cfg),
        INGRESS_NGINX: lambda: ingress_nginx_values(cfg),
        WIRE_SERVER: lambda: wire_server_values(cfg, aws),
        NGINX_INGRESS_SERVICES: lambda: nginx_ingress_services_values(cfg),
        TEAM_SETTINGS: lambda: team_settings_values(cfg),
        ACCOUNT_PAGES: lambda: account_pages_values(cfg),
    }
    return {name: builders[name]() for name in release_names(cfg)}


class _ValuesDumper(yaml.SafeDumper):
    """Quotes every string that another YAML parser could read as a number (e.g. an account id)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML leaves 012345678901 plain, but Go's YAML (helm) reads it as a float: quote digit strings.
    style = "'" if value.replace(".", "", 1).replace("_", "").isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ValuesDumper.add_representer(str, _represent_str)


def values_yaml(tree: Any) -> str:
    """A values tree as YAML for files (plan, snapshots): secrets redacted, numeric-looking strings quoted."""
    return yaml.dump(redact(tree), Dumper=_ValuesDumper, sort_keys=False, default_flow_style=False, width=1000)
