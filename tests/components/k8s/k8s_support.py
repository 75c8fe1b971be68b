"""Shared builders for the k8s tests: configs, a fixed AwsOutputs record, the real stack files."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, SecretStr

from components import naming
from components.config import CredentialsMode, PushMode, StackConfig
from components.k8s.values import deep_merge
from components.outputs import AccessKey, AwsOutputs, PushOutputs, StoreOutputs
from components.stackfile import StackFile, read_stack_file

ACCOUNT = "012345678901"  # a leading zero: YAML would read it as a number if it were not a string
REGION = "eu-central-1"
OIDC = "arn:aws:iam::012345678901:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC"

BASE: dict[str, Any] = {
    "environment": "staging",
    "production": False,
    "domain": "example.org",
    "region": REGION,
    "kubernetes": {"namespace": "wire"},
    "serviceCredentials": {"mode": "irsa", "oidcProviderArn": OIDC},
    "email": {"mode": "ses", "sender": "no-reply@example.org"},
    "secrets": {"zauthPublicKeys": "zauth-public", "zauthPrivateKeys": "zauth-private", "turnSecret": "turn"},
    "databases": {
        "rabbitmq": {"host": "rabbitmq-external", "username": "wire", "password": "rabbit-pw"},
        "postgresql": {"host": "postgresql-external-rw", "password": "pg-pw"},
    },
}


def make_cfg(**overrides: Any) -> StackConfig:
    """A valid config: BASE with camelCase overrides merged in (a None value removes the key)."""
    data = deep_merge(BASE, overrides)
    data = {key: value for key, value in data.items() if value is not None}
    return StackConfig.model_validate(data)


def aws_outputs(cfg: StackConfig, account: str = ACCOUNT) -> AwsOutputs:
    """What the AWS components would output for `cfg`, deterministic."""
    env, region = cfg.environment, cfg.region
    external = cfg.push.external if cfg.push.mode == PushMode.EXTERNAL else None
    if external is not None:
        push = PushOutputs(
            account=external.account,
            region=external.region,
            arn_env=external.arn_env,
            queue_name=external.queue_name,
            sqs_endpoint=external.sqs_endpoint,
            sns_endpoint=external.sns_endpoint,
        )
    else:
        push = PushOutputs(
            account=account,
            region=region,
            arn_env=cfg.arn_env,
            queue_name=naming.gundeck_queue(env),
            sqs_endpoint=cfg.endpoint("sqs"),
            sns_endpoint=cfg.endpoint("sns"),
        )
    services = ("brig", "galley", "gundeck", "cargohold")
    role_arns: dict[str, str] = {}
    access_keys: dict[str, AccessKey] = {}
    if cfg.service_credentials.mode == CredentialsMode.IRSA:
        role_arns = {s: f"arn:aws:iam::{account}:role/{naming.service_role(env, s)}" for s in services}
    else:
        access_keys = {s: AccessKey(f"AKIA{s.upper()}", SecretStr(f"secret-{s}")) for s in services}
    if external is not None:
        access_keys["gundeck"] = AccessKey(external.aws_key_id, external.aws_secret_key or SecretStr("[secret]"))
    features = cfg.features
    return AwsOutputs(
        region=region,
        account_id=account,
        push=push,
        brig_internal_queue=naming.brig_internal_queue(env),
        sqs_endpoint=cfg.endpoint("sqs"),
        ses_queue=naming.brig_email_queue(env) if cfg.email.mode == "ses" else None,
        ses_endpoint=cfg.endpoint("ses"),
        prekey_table=naming.prekey_table(env),
        dynamodb_endpoint=cfg.endpoint("dynamodb") if features.prekey_table else None,
        user_journal_queue=naming.user_journal_queue(env) if features.user_journal else None,
        team_events_queue=naming.team_events_queue(env) if features.team_events_journal else None,
        bucket=cfg.bucket_name,
        s3_endpoint=cfg.endpoint("s3"),
        s3_download_endpoint=cfg.assets.download_endpoint,
        cloudfront_domain="d111111abcdef8.cloudfront.net" if cfg.assets.cloud_front.enabled else None,
        role_arns=role_arns,
        access_keys=access_keys,
        stores=store_outputs(cfg),
    )


# What the managed stores would output (components/aws/datastores/), by store.
STORE_HOSTS = {
    "postgresql": "{env}-wire-pg.cabcdefghijk.{region}.rds.amazonaws.com",
    "redis": "master.{env}-wire-redis.abcdef.euc1.cache.amazonaws.com",
    "rabbitmq": "b-0a1b2c3d-4e5f-6789-abcd-ef0123456789.mq.{region}.on.aws",
    "elasticsearch": "vpc-{env}-wire-os-abcdefghijklmnopqrstuvwxyz.{region}.es.amazonaws.com",
}
STORE_PORTS = {"postgresql": 5432, "redis": 6379, "rabbitmq": 5671, "elasticsearch": 443}
STORE_USERS = {"rabbitmq": "wire-server", "elasticsearch": "wire"}


def store_outputs(cfg: StackConfig) -> dict[str, StoreOutputs]:
    return {
        name: StoreOutputs(
            host=STORE_HOSTS[name].format(env=cfg.environment, region=cfg.region),
            port=STORE_PORTS[name],
            password=SecretStr(f"generated-{name}-password"),
            username=STORE_USERS.get(name),
        )
        for name in cfg.databases.managed_stores()
    }


def _set_path(model: BaseModel, path: str, value: Any) -> BaseModel:
    """A copy of a frozen model with `value` at a dotted camelCase path (`push.apps[0].credential`)."""
    head, _, rest = path.partition(".")
    name, _, index = head.partition("[")
    fields = {info.alias or field: field for field, info in type(model).model_fields.items()}
    attr = fields[name]
    if index:
        items = list(getattr(model, attr))
        position = int(index.rstrip("]"))
        items[position] = _set_path(items[position], rest, value)
        return model.model_copy(update={attr: items})
    if not rest:
        return model.model_copy(update={attr: value})
    return model.model_copy(update={attr: _set_path(getattr(model, attr), rest, value)})


def stack_cfg(stack: str) -> StackConfig:
    """The real Pulumi.<stack>.yaml, with every secret still to set filled by a `[secret]` placeholder."""
    return stack_file_cfg(read_stack_file(stack))


def stack_file_cfg(stack_file: StackFile) -> StackConfig:
    """A stack file's config, with every secret still to set filled by a `[secret]` placeholder."""
    loaded = stack_file.load()
    cfg = loaded.config
    for path in loaded.missing_secrets:
        cfg = _set_path(cfg, path, SecretStr("[secret]"))  # type: ignore[assignment]
    return cfg
