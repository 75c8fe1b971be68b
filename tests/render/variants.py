"""Stack files the render tests run on: the committed stacks, the corpus of good stack files, and variants.

A variant is a full stack file (the shape of `Pulumi.<stack>.yaml`): the production example with some
`wire:` sections changed, one variant per option and per mode of Wire's guide. `None` removes a key.
`variant_document(name)` gives the document, so a variant can be written out as a corpus file.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from typing import Any

import yaml

from components.stackfile import PROJECT_ROOT, StackFile, parse_stack_file, read_stack_file
from tests.corpus import good_stacks, values_root

BASE_STACK = "prod"

EXTERNAL_PUSH = {
    "mode": "external",
    "apps": None,
    "external": {
        "account": "098765432109",
        "region": "eu-west-1",
        "queueName": "wireprod-gundeck-events",
        "arnEnv": "wireprod",
        "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
        "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
        "awsKeyId": "AKIAWIREPUSHEXAMPLE",
    },
}
SMTP = {"mode": "smtp", "ses": None, "smtp": {"host": "smtp.example.com", "port": 587, "connType": "tls"}}
BARE_METAL = {
    "wire:ingress": {"controller": "envoyGateway", "loadBalancer": "metallb", "metallbAddresses": ["203.0.113.10/32"]},
    "wire:dns": {"target": {"fromIngressController": None, "ips": ["203.0.113.10"]}},
}
# The retired ingress-nginx, as stacks from before Envoy Gateway say it (controller awsNlb / metallb) and as legacy.
LEGACY_BARE_METAL = {
    **BARE_METAL,
    "wire:ingress": {"controller": "metallb", "loadBalancer": None, "metallbAddresses": ["203.0.113.10/32"]},
}
NO_WEBSOCKET_LB = {
    "websocketLoadBalancer": {"enabled": False, "hostname": None, "certManager": None, "annotations": None}
}

# variant name -> overrides of the base stack's config keys (merged into maps, None removes).
VARIANTS: dict[str, dict[str, Any]] = {
    # push notifications
    "push-external": {"wire:push": EXTERNAL_PUSH},
    "push-disabled": {"wire:push": {"mode": "disabled", "apps": None}},
    # email
    "smtp-auth": {"wire:email": {**SMTP, "smtp": {**SMTP["smtp"], "username": "wire"}}},
    "smtp-relay": {"wire:email": {**SMTP, "smtp": {"host": "smtp-relay", "port": 25, "connType": "plain"}}},
    # cannon draining
    "drain-slow": {"wire:cannon": {"drain": {"gracePeriodSeconds": 600, "millisecondsBetweenBatches": 500}}},
    "drain-fast": {"wire:cannon": {"drain": {"gracePeriodSeconds": 5, "minBatchSize": 200}}},
    # nginz upstreams and namespaces
    "upstreams": {
        "wire:nginz": {
            "ignoredUpstreams": ["spar"],
            "extraUpstreams": ["ibis", "galeb", "calling-test"],
            "upstreamNamespaces": {"ibis": "integrations", "galeb": "billing"},
        }
    },
    "upstreams-none": {"wire:nginz": {"ignoredUpstreams": None, "extraUpstreams": None, "upstreamNamespaces": None}},
    # websocket load balancer
    "websocket-via-ingress": {
        "wire:cannon": NO_WEBSOCKET_LB,
        "wire:dns": {"hosts": ["nginz-https", "nginz-ssl", "webapp", "account", "teams"]},
    },
    "websocket-tls": {
        "wire:cannon": {
            "websocketLoadBalancer": {
                "certManager": {"enabled": False},
                "tls": {"crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"},
            }
        }
    },
    # entry point
    "bare-metal": {**BARE_METAL, "wire:cannon": NO_WEBSOCKET_LB},
    "legacy-bare-metal": {**LEGACY_BARE_METAL, "wire:cannon": NO_WEBSOCKET_LB},
    "legacy-aws-nlb": {"wire:ingress": {"controller": "awsNlb", "loadBalancer": None}},
    "legacy": {"wire:ingress": {"controller": "legacy"}},
    # The move from ingress-nginx: both side by side, two records still on ingress-nginx.
    "envoy-gateway-move": {"wire:ingress": {"legacyHosts": ["webapp", "teams"]}},
    "envoy-gateway-http01": {
        "wire:addons": {"certManager": {"issuer": "http01"}},
        "wire:cannon": NO_WEBSOCKET_LB,
        "wire:dns": {"hosts": ["nginz-https", "nginz-ssl", "webapp", "account", "teams"]},
    },
    "no-ingress-controller": {
        "wire:ingress": {"controller": "none", "loadBalancer": None},
        "wire:dns": {"target": {"fromIngressController": None, "hostname": "lb.example.net"}},
    },
    "dns-alias": {
        "wire:dns": {
            "target": {"fromIngressController": None, "hostname": "lb.example.net", "aliasZoneId": "Z32O12XQLNTSW2"}
        }
    },
    # The add-ons need DNS (DNS-01) and the OIDC provider (their IRSA roles).
    "no-dns": {"wire:dns": None, "wire:addons": None},
    # service identity
    "static-keys": {"wire:serviceCredentials": {"mode": "staticKeys", "oidcProviderArn": None}, "wire:addons": None},
    # assets
    "s3-path-style": {
        "wire:assets": {
            "s3AddressingStyle": "path",
            "downloadEndpoint": "https://assets.example.com",
            "cloudFront": {"enabled": False, "keyPairId": None},
        }
    },
    "s3-virtual-style": {
        "wire:assets": {"s3AddressingStyle": "virtual", "cloudFront": None, "bucketName": "wire-assets-x"}
    },
    # teams
    "team-size-large": {"wire:teams": {"maxTeamSize": 5000, "maxConversationSize": 2000}},
    "team-size-default": {"wire:teams": None},
    # web apps
    "not-self-hosted": {"wire:webApps": {"selfHosted": False}},
    "no-web-apps": {"wire:webApps": {"webapp": False, "teamSettings": False, "accountPages": False}},
    "kubernetes-version": {"wire:kubernetes": {"version": "1.30"}},
    "sso-contacts": {"wire:sso": {"contacts": [{"type": "ContactSupport", "email": "help@example.com"}]}},
    # link previews
    "link-previews-off": {
        "wire:linkPreviews": {"enabled": False},
        "wire:nginz": {"extraUpstreams": ["ibis"]},
        "wire:proxy": {"services": ["brig", "galley", "gundeck", "cargohold", "spar"]},
    },
    # outbound proxy
    "http-proxy-off": {"wire:proxy": None},
    "http-proxy-brig-only": {"wire:proxy": {"httpsProxy": None, "services": ["brig"]}},
    # replicas and namespace
    "replicas-one": {
        "wire:replicas": {
            key: 1 for key in ("brig", "galley", "gundeck", "cannon", "cargohold", "spar", "nginz", "proxy", "webapp")
        }
    },
    "namespace": {
        "wire:kubernetes": {"namespace": "wire-prod"},
        "wire:nginz": {"upstreamNamespaces": {"ibis": "wire-integrations"}},
    },
    # optional queues and table
    "no-features": {"wire:features": None},
    # the four data stores Wire needs besides Cassandra, created on AWS (docs/datastores.md)
    "managed-datastores": {
        "wire:network": {
            "vpcId": "vpc-0a1b2c3d4e5f60718",
            "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"],
            "clientSecurityGroupIds": ["sg-0a1b2c3d4e5f60799"],
        },
        "wire:databases": {
            "postgresql": {"host": None, "managed": {}},
            "redis": {"host": None, "managed": {}},
            "rabbitmq": {"host": None, "managed": {}},
            "elasticsearch": {"host": None, "managed": {}},
        },
    },
    # databases on non-default ports
    # (self-run stores: the base stack's managed ones replaced)
    "database-ports": {
        "wire:network": None,
        "wire:databases": {
            "elasticsearch": {"managed": None, "host": "elasticsearch-external", "port": 9201},
            "rabbitmq": {"managed": None, "host": "rabbitmq-external", "port": 5673},
            "redis": {"managed": None, "host": "redis-external", "port": 6380},
            "postgresql": {"managed": None, "host": "postgresql-external-rw", "port": 5433},
        },
    },
    # self-run stores on the chart's ports (elasticsearch-index's postgresql, no TLS, no CA)
    "databases-self-run": {
        "wire:network": None,
        "wire:databases": {
            "elasticsearch": {"managed": None, "host": "elasticsearch-external"},
            "rabbitmq": {"managed": None, "host": "rabbitmq-external"},
            "redis": {"managed": None, "host": "redis-external"},
            "postgresql": {"managed": None, "host": "postgresql-external-rw"},
        },
    },
}


def merge(base: Any, override: Any) -> Any:
    """`override` merged into a copy of `base`: maps recursively, None removes a key, anything else replaces."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def variant_document(name: str) -> dict[str, Any]:
    """The variant as a stack file document ({"config": {...}}), secrets still to set left out."""
    return {"config": merge(_base_config(), VARIANTS[name])}  # merge copies: the cached base stays as read


@functools.cache
def _base_config() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / f"Pulumi.{BASE_STACK}.yaml").read_text())["config"]


def stack_files() -> dict[str, StackFile]:
    """Every stack file the render tests cover, by id: `stack:<name>`, `corpus:<file>`, `variant:<name>`."""
    # Read once per process (the render and the network policy tests both collect over them); a new dict
    # each time, so no caller's change reaches another.
    return dict(_read_stack_files())


@functools.cache
def _read_stack_files() -> dict[str, StackFile]:
    found: dict[str, StackFile] = {}
    for path in sorted(PROJECT_ROOT.glob("Pulumi.*.yaml")):
        name = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
        found[f"stack:{name}"] = read_stack_file(name)
    for name, path in good_stacks().items():
        parsed = parse_stack_file(path.read_bytes(), name=name, source=path.name)
        # Layered values files are named relative to the project, here the corpus' own folders.
        found[f"corpus:{name}"] = dataclasses.replace(parsed, root=values_root())
    for name in VARIANTS:
        # JSON (a subset of YAML) quotes every string: yaml.safe_dump leaves 098765432109 bare, which the
        # stack file reader (YAML 1.2) rightly reads as a number.
        document = json.dumps(variant_document(name), indent=1).encode()
        found[f"variant:{name}"] = parse_stack_file(document, name=name, source=f"variant {name}")
    return found
