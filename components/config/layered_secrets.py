"""Stack secrets an operator already has in the layered values files (wire-server-deploy's secrets.yaml).

A secret the stack leaves unset but the operator's files hold is taken from them, so `pulumi up` keeps it:
new zAuth keys would log every user out, a new TURN secret break calling. Only secrets found nowhere are
still to set.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from components.config.layered import LayeredValues, value_at

# Services of the wire-server chart that read RabbitMQ's and PostgreSQL's credentials from their own secrets.
_RABBITMQ_SERVICES = ("brig", "galley", "gundeck", "cannon", "cargohold", "background-worker")
_POSTGRES_SERVICES = ("brig", "galley", "background-worker")

# Stack secret (dotted camelCase path) -> the release's values key and the chart paths holding the same value,
# in the order they are looked up (the first one found is used).
SECRET_SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "secrets.zauthPublicKeys": (
        "wireServer",
        ("brig.secrets.zAuth.publicKeys", "nginz.secrets.zAuth.publicKeys", "cannon.secrets.nginz.zAuth.publicKeys"),
    ),
    "secrets.zauthPrivateKeys": ("wireServer", ("brig.secrets.zAuth.privateKeys",)),
    "secrets.turnSecret": ("wireServer", ("brig.secrets.turn.secret",)),
    "databases.rabbitmq.username": (
        "wireServer",
        tuple(f"{service}.secrets.rabbitmq.username" for service in _RABBITMQ_SERVICES),
    ),
    "databases.rabbitmq.password": (
        "wireServer",
        tuple(f"{service}.secrets.rabbitmq.password" for service in _RABBITMQ_SERVICES),
    ),
    "databases.postgresql.password": (
        "wireServer",
        tuple(f"{service}.secrets.pgPassword" for service in _POSTGRES_SERVICES),
    ),
    "email.smtp.password": ("wireServer", ("brig.secrets.smtpPassword",)),
    "webApps.teamSettingsPullSecret": ("teamSettings", ("secrets.configJson",)),
    "assets.cloudFront.privateKey": ("wireServer", ("cargohold.secrets.cloudFront.cfPrivateKey",)),
}


def layered_secret(section: LayeredValues, path: str) -> tuple[SecretStr, str] | None:
    """The operator's value of a stack secret from the layered files, and where it came from; None if absent."""
    if path not in SECRET_SOURCES:
        return None
    release, chart_paths = SECRET_SOURCES[path]
    files = section.files_of(release)
    for chart_path in chart_paths:
        # Later files win, as with helm's -f.
        for file, tree in reversed(files):
            value = value_at(tree, chart_path)
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            if isinstance(text, str | int) and not isinstance(text, bool) and str(text) != "":
                return SecretStr(str(text)), f"{file} ({chart_path})"
    return None


def keep_layered_secrets(section: LayeredValues, missing: list[str]) -> dict[str, tuple[SecretStr, str]]:
    """Of the missing stack secrets, those the layered files hold: path -> (value, source)."""
    found = {}
    for path in missing:
        kept = layered_secret(section, path)
        if kept is not None:
            found[path] = kept
    return found


def set_secret(data: dict[str, Any], path: str, value: SecretStr) -> None:
    """Put `value` at a dotted camelCase path of the raw `wire:` config (no list indexes among these paths)."""
    *parents, last = path.split(".")
    node = data
    for key in parents:
        child = node.get(key)
        # A copy along the path: the caller's parsed config is not changed.
        child = dict(child) if isinstance(child, dict) else {}
        node[key] = child
        node = child
    node[last] = value
