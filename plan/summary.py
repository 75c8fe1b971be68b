"""The plan summary an operator reads at a glance (plan.json stays the machine-readable form).

Resources per component with their key settings, DNS records with their targets, the monthly idle
cost from the bench cost model, each warning once, and every secret still to set with the exact
command for this stack and how to make its value.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from plan.counting import PROVIDER_PREFIX, WHAT_IS_COUNTED, count

RECORD_TYPE = "aws:route53/record:Record"

KEY_SETTINGS = {
    "aws:sqs/queue:Queue": ("fifoQueue", "sqsManagedSseEnabled", "kmsMasterKeyId", "receiveWaitTimeSeconds"),
    "aws:sns/topic:Topic": ("kmsMasterKeyId",),
    "aws:sns/topicSubscription:TopicSubscription": ("protocol", "rawMessageDelivery"),
    "aws:sns/platformApplication:PlatformApplication": ("name", "platform"),
    "aws:dynamodb/table:Table": ("billingMode", "hashKey", "deletionProtectionEnabled"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("metricName", "threshold"),
    "aws:cloudfront/distribution:Distribution": ("priceClass",),
    RECORD_TYPE: ("type",),
    "kubernetes:helm.sh/v3:Release": ("chart", "version", "namespace"),
}

# How to make the value of each secret, by its `wire:` path with list indexes as `[]`.
SECRET_HINTS: dict[str, str] = {
    "secrets.zauthPublicKeys": "copy it from your existing secrets (wire-server-deploy: brig.secrets.zAuth.publicKeys "
    "in values/wire-server/secrets.yaml; or name that file in wire:layeredValues.secretFiles), or only for a new "
    "installation generate it: the `public:` line of `docker run --rm quay.io/wire/zauth:<wire-server version> "
    "-m gen-keypair` (as wire-server-deploy's bin/offline-secrets.sh does); new keys log every user out",
    "secrets.zauthPrivateKeys": "copy it from your existing secrets (brig.secrets.zAuth.privateKeys), or only for a "
    "new installation the `secret:` line of the same `gen-keypair` run as zauthPublicKeys",
    "secrets.turnSecret": "copy it from your existing secrets (brig.secrets.turn.secret): the same value as your "
    'TURN server (restund/coturn) uses; only for a new installation generate one: "$(openssl rand -hex 32)"',
    "databases.rabbitmq.username": "copy it from your existing secrets (brig.secrets.rabbitmq.username): the "
    "RabbitMQ user wire-server connects as (e.g. wire-server)",
    "databases.rabbitmq.password": "copy it from your existing secrets (brig.secrets.rabbitmq.password): that "
    'user\'s password in RabbitMQ; only for a new user generate one: "$(openssl rand -hex 24)"',
    "databases.postgresql.password": "copy it from your existing secrets (brig.secrets.pgPassword): the PostgreSQL "
    "password of the database user; wire-server-deploy: "
    "`kubectl get secret wire-postgresql-external-secret -o jsonpath='{.data.password}' | base64 -d`",
    "databases.redis.password": "the AUTH password of your Redis (managed: leave unset, the program generates "
    "the token)",
    "databases.elasticsearch.password": "the basic-auth password of elasticsearch.username (managed: leave unset, "
    "the program generates it)",
    "email.smtp.password": "copy it from your existing secrets (brig.secrets.smtpPassword): the password of the SMTP "
    "user",
    "webApps.teamSettingsPullSecret": "copy it from your existing team-settings secrets (secrets.configJson), or "
    "`< team-settings-pull-secret.b64`: the base64 Docker config.json Wire "
    "gives with team-settings (its image is private)",
    "push.apps[].credential": "APNS: `< AuthKey_XXXX.p8` (token key) or `< apns-key.pem` (certificate key); "
    "GCM: `< fcm-service-account.json` from the Firebase console",
    "push.apps[].principal": "APNS certificate apps: `< apns-cert.pem` "
    "(`openssl pkcs12 -in apns.p12 -clcerts -nokeys -out apns-cert.pem`)",
    "push.external.awsSecretKey": "the secret access key Wire sent with the push account",
    "assets.cloudFront.privateKey": "`< cf-key.pem` from `openssl genrsa -out cf-key.pem 2048`; upload "
    "`openssl rsa -pubout -in cf-key.pem` with `aws cloudfront create-public-key` and set "
    "wire:assets.cloudFront.keyPairId to its id",
    "cannon.websocketLoadBalancer.tls.key": "`< tls.key`, the private key of the websocket host's certificate",
    "linkPreviews.youtube": "a YouTube Data API key (Google Cloud console)",
    "linkPreviews.googlemaps": "a Google Maps Static API key (Google Cloud console)",
    "linkPreviews.soundcloud": "a SoundCloud API client id",
    "linkPreviews.giphy": "a Giphy API key (developers.giphy.com)",
    "linkPreviews.spotify": "`Basic <base64 of client_id:client_secret>` of a Spotify app",
}
# Values usually read from a file: the command takes them on stdin.
FILE_SECRETS = {
    "push.apps[].credential",
    "push.apps[].principal",
    "assets.cloudFront.privateKey",
    "cannon.websocketLoadBalancer.tls.key",
}

_INDEX = re.compile(r"\[\d+\]")


def hint_key(path: str) -> str:
    """`push.apps[1].credential` -> `push.apps[].credential` (the key of SECRET_HINTS)."""
    return _INDEX.sub("[]", path)


def secret_command(path: str, stack: str) -> str:
    value = "< <file>" if hint_key(path) in FILE_SECRETS else "'<value>'"
    return f"pulumi config set --secret --path 'wire:{path}' -s {stack} {value}"


def plain(value: Any) -> str:
    """A number as an operator writes it (20, 0.0008, 2000000), never 20.0 or 2e+06; lists comma-joined."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10f}".rstrip("0")
    if isinstance(value, list):
        return ", ".join(plain(item) for item in value)
    return str(value)


def counts(resources: list[dict]) -> tuple[int, int, int]:
    """(resources to create, providers, objects only read), counted as `make review` counts (plan/counting.py)."""
    counted = count(resources)
    return counted.resources, counted.providers, counted.reads


def _kind(resource: dict) -> str:
    return resource["type"].split(":")[-1] + (" (read)" if resource["read"] else "")


def _describe(resource: dict) -> str:
    inputs = resource["inputs"]
    settings = [
        f"{key}={plain(inputs[key])}"
        for key in KEY_SETTINGS.get(resource["type"], ())
        if inputs.get(key) is not None and inputs[key] != resource["name"]
    ]
    flags = [flag for flag, on in (("protected", resource["protect"]), ("retained", resource["retainOnDelete"])) if on]
    if resource.get("import"):
        flags.append("adopted")
    detail = ", ".join(settings + flags)
    return f"{_kind(resource)} {resource['name']}" + (f" ({detail})" if detail else "")


def resource_lines(resources: list[dict]) -> list[str]:
    children: dict[str | None, list[dict]] = defaultdict(list)
    for resource in sorted(resources, key=lambda r: (r["type"].split(":")[-1], r["name"])):
        children[resource["parent"]].append(resource)
    lines: list[str] = []

    def walk(resource: dict, depth: int) -> None:
        lines.append(f"{'  ' * depth}- {_describe(resource)}")
        for child in children.get(resource["urn"], []):
            walk(child, depth + 1)

    for top in children.get(None, []):
        if not top["type"].startswith(PROVIDER_PREFIX):
            walk(top, 1)
    return lines


def adoption_lines(resources: list[dict]) -> list[str]:
    """`<kind> <name> <- <live id>` for each resource wire:adopt imports, and what the import keeps."""
    lines = []
    for resource in sorted((r for r in resources if r.get("import")), key=lambda r: (_kind(r), r["name"])):
        how = "as it is (step import)" if resource.get("ignoreChanges") else "with the program's settings (step apply)"
        lines.append(f"  {_kind(resource)} {resource['name']} <- {resource['import']}  {how}")
    return lines


def dns_lines(resources: list[dict]) -> list[str]:
    """`<name> <type> -> <target>`, naming the cluster Service whose load balancer a record points at."""
    by_urn = {r["urn"]: r for r in resources}
    lines = []
    for record in sorted((r for r in resources if r["type"] == RECORD_TYPE), key=lambda r: r["inputs"]["name"]):
        inputs = record["inputs"]
        aliases = inputs.get("aliases") or []
        targets = [f"alias {alias.get('name')}" for alias in aliases] or [plain(v) for v in inputs.get("records") or []]
        services = [
            by_urn[urn]["name"]
            for urn in record["dependencies"]
            if urn in by_urn and by_urn[urn]["read"] and by_urn[urn]["type"].endswith(":Service")
        ]
        via = f"  (load balancer of Service {', '.join(services)})" if services else ""
        lines.append(f"  {inputs['name']} {inputs.get('type', '')} -> {', '.join(targets) or '?'}{via}")
    return lines


def cost_lines(document: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    """The monthly idle cost from bench's model (imported here only: the plan's import path stays light)."""
    from bench.cost import idle_cost
    from bench.prices import prices_for, stack_region

    priced = prices_for(stack_region(document))
    cost = idle_cost(document, values, priced.table)
    asked, unasked = cost.monthly(asked_for_by_config=True), cost.monthly(asked_for_by_config=False)
    lines = [f"Monthly idle cost: {plain(round(asked + unasked, 2))} USD ({priced.label()}; traffic costs extra)"]
    for label, requested in (("asked for by the configuration", True), ("not asked for", False)):
        grouped: dict[str, list[float]] = defaultdict(list)
        for item in cost.idle:
            if item.asked_for_by_config == requested:
                grouped[item.description].append(item.monthly_usd or 0.0)
        total = asked if requested else unasked
        lines.append(f"  {label}: {plain(total)} USD")
        lines += [
            f"    {len(amounts)} x {description}: {plain(round(sum(amounts), 2))} USD"
            for description, amounts in sorted(grouped.items())
        ]
    if cost.usage_only:
        used = ", ".join(f"{key} ({number})" for key, number in cost.usage_only.items())
        lines.append(f"  only with use: {used}")
    if cost.unpriced:
        lines.append(f"  ! not in the price table, check by hand: {', '.join(cost.unpriced)}")
    from bench.storage_cost import storage_lines

    return lines + storage_lines(document.get("assetStorage"), priced.table, plain)


def release_lines(release: Mapping[str, Any] | None) -> list[str]:
    """The Wire release the charts come from, and every chart that differs from it."""
    if not release:
        return []
    overrides = release["chartOverrides"]
    lines = [
        f"Wire release {release['name']} ({release['manifest']}): "
        + ("charts as released" if not overrides else f"{len(overrides)} chart(s) differ from the release:")
    ]
    return lines + [f"  ~ {line}" for line in overrides]


def secret_lines(paths: list[str], stack: str) -> list[str]:
    lines = []
    for path in paths:
        lines.append(f"  {secret_command(path, stack)}")
        hint = SECRET_HINTS.get(hint_key(path))
        if hint:
            lines.append(f"      # {hint}")
    return lines


def summary(document: dict, values: Mapping[str, Any] | None = None, logged: list[str] | None = None) -> str:
    """The readable summary of a plan.json document; `values` are the releases' values trees, `logged`
    the warnings the program logged while it was evaluated (each warning is printed once)."""
    resources = document["resources"]
    created, providers, reads = counts(resources)
    components = sum(1 for r in resources if r["parent"] is None and not r["custom"])
    mode = " (as a first preview)" if document.get("mode") == "preview" else ""
    besides = [f"{providers} providers" if providers else "", f"{reads} objects read from the cluster" if reads else ""]
    besides_text = " and ".join(part for part in besides if part)
    lines = [
        f"Offline plan of stack '{document['stack']}'{mode}: {created} resources in {components} components"
        + (f" (besides {besides_text})" if besides_text else ""),
        f"  counted as `make review` counts: {WHAT_IS_COUNTED}",
        *([f"Legend: {document['legend']}"] if document.get("legend") else []),
        "",
        "Resources:",
        *resource_lines(resources),
    ]
    if adopted := adoption_lines(resources):
        lines += ["", "Adopted (imported, not created):", *adopted]
    if records := dns_lines(resources):
        lines += ["", "DNS records:", *records]
    lines += ["", *release_lines(document.get("wireRelease"))]
    lines += ["", "Outputs:"]
    lines += [f"  {key}: {plain(value)}" for key, value in document["outputs"].items()]
    lines += ["", *cost_lines(document, values or {}), "", document["drain"]]
    if document.get("assetCopy"):
        lines += ["", f"Asset copy (wire:assets.migration): {document['assetCopy']}"]
    warnings = list(dict.fromkeys([*document["warnings"], *(logged or [])]))
    if warnings:
        lines += ["", "Warnings:", *(f"  ! {warning}" for warning in warnings)]
    if document["secretsToSet"]:
        lines += ["", "Secrets still to set before `pulumi up` (placeholders used here):"]
        lines += secret_lines(document["secretsToSet"], document["stack"])
    return "\n".join(lines)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def held_back_log() -> Iterator[list[str]]:
    """Collect what the program logs as warnings (under the mocks: the root logger) for the summary,
    instead of printing it to stderr as well."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector.messages
    finally:
        root.removeHandler(collector)
