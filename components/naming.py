"""Deterministic AWS names, derived from the stack configuration alone.

The AWS components, the helm values, `verify` and the offline plan all take names from here, so a
name is spelled in one place. The names follow what Wire's services and fake-aws charts expect
(`<env>-gundeck-events`, `<env>-brig-events-internal`, ...; see upstream-terraform-and-fakes.md §5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from components.config import StackConfig

SERVICES = ("brig", "galley", "gundeck", "cargohold")


def gundeck_queue(env: str) -> str:
    return f"{env}-gundeck-events"


def brig_internal_queue(env: str) -> str:
    return f"{env}-brig-events-internal"


def brig_email_queue(env: str) -> str:
    return f"{env}-brig-email-events"


def user_journal_queue(env: str) -> str:
    return f"{env}-user-events.fifo"


def team_events_queue(env: str) -> str:
    return f"{env}-team-events.fifo"


def prekey_table(env: str) -> str:
    return f"{env}-brig-prekeys"


def dead_letter_queue(queue: str) -> str:
    """`<name>-dlq`, keeping the `.fifo` suffix a FIFO queue's DLQ must also have."""
    if queue.endswith(".fifo"):
        return f"{queue.removesuffix('.fifo')}-dlq.fifo"
    return f"{queue}-dlq"


def push_events_topic(env: str) -> str:
    return f"{env}-gundeck-events"


def email_events_topic(env: str) -> str:
    return f"{env}-brig-email-events"


def platform_application(arn_env: str, app: str) -> str:
    return f"{arn_env}-{app}"


def ses_configuration_set(env: str) -> str:
    return f"{env}-brig"


def service_role(env: str, service: str) -> str:
    return f"{env}-{service}"


def service_user(env: str, service: str) -> str:
    return f"{env}-{service}"


# A managed store's AWS name; the shortest limit is OpenSearch's 28 characters (env is at most 20).
DATASTORE_SUFFIXES = {"postgresql": "wire-pg", "redis": "wire-redis", "rabbitmq": "wire-mq", "elasticsearch": "wire-os"}


def datastore(env: str, store: str) -> str:
    return f"{env}-{DATASTORE_SUFFIXES[store]}"


def hostname(host: str, domain: str) -> str:
    return f"{host}.{domain}"


def federator_srv(domain: str) -> str:
    return f"_wire-server-federator._tcp.{domain}"


def queues(cfg: StackConfig) -> list[str]:
    """Every SQS queue the stack creates, without DLQs."""
    from components.config import EmailMode, PushMode

    env = cfg.environment
    names = [brig_internal_queue(env)]
    if cfg.push.mode != PushMode.EXTERNAL:
        names.append(gundeck_queue(env))
    if cfg.email.mode == EmailMode.SES:
        names.append(brig_email_queue(env))
    if cfg.features.user_journal:
        names.append(user_journal_queue(env))
    if cfg.features.team_events_journal:
        names.append(team_events_queue(env))
    return names


def backup(env: str) -> str:
    """The AWS Backup vault, plan, selection, role and key of wire:backup."""
    return f"{env}-wire-backup"


def assets_replication_role(env: str) -> str:
    return f"{env}-assets-replication"


def all_names(cfg: StackConfig) -> list[str]:
    """Every queue (with DLQ), topic and role name, for length checks."""
    env = cfg.environment
    names = []
    for queue in queues(cfg):
        names += [queue, dead_letter_queue(queue)]
    names += [service_role(env, service) for service in SERVICES]
    names += [platform_application(cfg.arn_env, app.name) for app in cfg.push.apps]
    return names
