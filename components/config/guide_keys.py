"""Where the chart keys of Wire's guide went: a guide key path pasted as a `wire:` key gets a pointer.

Operators come from wire-server-deploy values files and the guide "Infrastructure configuration options";
`cannon.drainOpts` or `brig.config.optSettings.setMaxTeamSize` pasted under `wire:` is a common first try.
Keys are guide/chart paths (the part after `wire:`), values the key of this program that replaces them
(None: the program computes the value, remove it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

GUIDE_KEYS: dict[str, str | None] = {
    "cannon.drainOpts": "cannon.drain",
    "cannon.config.drainOpts": "cannon.drain",
    "cannon.drainTimeout": "cannon.drain.gracePeriodSeconds",
    "cannon.service.nginz": "cannon.websocketLoadBalancer",
    "brig.config.optSettings.setMaxTeamSize": "teams.maxTeamSize",
    "brig.optSettings.setMaxTeamSize": "teams.maxTeamSize",
    "brig.config.optSettings.setMaxConvSize": "teams.maxConversationSize",
    "galley.config.settings.maxTeamSize": "teams.maxTeamSize",
    "galley.config.settings.maxConvSize": "teams.maxConversationSize",
    "brig.config.useSES": "email.mode",
    "brig.config.smtp": "email.smtp",
    "brig.secrets.smtpPassword": "email.smtp.password",
    "brig.config.emailSMS.general.emailSender": "email.sender",
    "brig.config.aws.sesQueue": None,
    "brig.config.aws.sesEndpoint": None,
    "brig.config.aws.prekeyTable": "features.prekeyTable",
    "brig.config.aws.userJournalQueue": "features.userJournal",
    "brig.config.aws.internalQueue": None,
    "brig.config.randomPrekeys": "features.prekeyTable",
    "galley.config.journal": "features.teamEventsJournal",
    "gundeck.config.aws.queueName": "push.external.queueName",
    "gundeck.config.aws.account": "push.external.account",
    "gundeck.config.aws.region": "push.external.region",
    "gundeck.config.aws.arnEnv": "push.external.arnEnv",
    "gundeck.config.aws.snsEndpoint": "push.external.snsEndpoint",
    "gundeck.config.aws.sqsEndpoint": "push.external.sqsEndpoint",
    "gundeck.secrets.awsKeyId": "push.external.awsKeyId",
    "gundeck.secrets.awsSecretKey": "push.external.awsSecretKey",
    "cargohold.config.aws.s3Bucket": "assets.bucketName",
    "cargohold.config.aws.s3AddressingStyle": "assets.s3AddressingStyle",
    "cargohold.aws.s3AddressingStyle": "assets.s3AddressingStyle",
    "cargohold.config.aws.s3DownloadEndpoint": "assets.downloadEndpoint",
    "cargohold.config.aws.s3Endpoint": "serviceEndpoints.s3",
    "cargohold.config.aws.cloudFront": "assets.cloudFront",
    "cargohold.secrets.cloudFront.cfPrivateKey": "assets.cloudFront.privateKey",
    "nginz.nginx_conf.ignored_upstreams": "nginz.ignoredUpstreams",
    "nginz.nginx_conf.enabled_extra_upstreams": "nginz.extraUpstreams",
    "nginz.nginx_conf.upstream_namespace": "nginz.upstreamNamespaces",
    "tags.proxy": "linkPreviews.enabled",
    "proxy.secrets.proxy_config": "linkPreviews",
    "team-settings.envVars.IS_SELF_HOSTED": "webApps.selfHosted",
    "account-pages.envVars.IS_SELF_HOSTED": "webApps.selfHosted",
    "envVars.IS_SELF_HOSTED": "webApps.selfHosted",
    "fake-aws": None,
    "fake-aws-sns.enabled": None,
    "fake-aws-sqs.enabled": None,
    "fake-aws-s3.enabled": None,
    "fake-aws-ses.enabled": None,
}
for _service in ("brig", "galley", "gundeck", "cargohold", "spar", "proxy"):
    GUIDE_KEYS[f"{_service}.config.proxy.httpProxy"] = "proxy.httpProxy"
    GUIDE_KEYS[f"{_service}.config.proxy.httpsProxy"] = "proxy.httpsProxy"
    GUIDE_KEYS[f"{_service}.config.proxy.noProxyList"] = "proxy.noProxy"
for _service in ("brig", "galley", "gundeck", "cargohold", "spar", "cannon", "nginz", "proxy", "webapp"):
    GUIDE_KEYS[f"{_service}.replicaCount"] = f"replicas.{_service}"
GUIDE_KEYS["background-worker.replicaCount"] = "replicas.backgroundWorker"
for _service in ("brig", "galley", "cargohold"):
    GUIDE_KEYS[f"{_service}.secrets.awsKeyId"] = None
    GUIDE_KEYS[f"{_service}.secrets.awsSecretKey"] = None


def guide_pointers(key: str, value: Any) -> list[str]:
    """One problem per guide key found at or below the unknown key `key` (a dotted path under `wire:`)."""
    found: dict[str, str | None] = {}
    for path in _paths(key, value):
        match = max((old for old in GUIDE_KEYS if path == old or path.startswith(f"{old}.")), key=len, default=None)
        if match is not None:
            found[match] = GUIDE_KEYS[match]
    return [_pointer(old, new) for old, new in sorted(found.items())]


def _pointer(old: str, new: str | None) -> str:
    if new is None:
        return (
            f"wire:{old} is a wire-server chart value from the guide; this program computes it from the resources "
            "it creates: remove it"
        )
    return f"wire:{old} is a wire-server chart value from the guide; here it is wire:{new}: move it there"


def _paths(key: str, value: Any) -> Iterator[str]:
    yield key
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _paths(f"{key}.{name}", item)
