"""Pure helm-value tests: every option and mode, and the traps of the wire-server charts."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from components.config import StackConfig
from components.k8s import values as v
from components.outputs import REDACTED, has_secret, redact
from tests.components.k8s.k8s_support import ACCOUNT, aws_outputs, make_cfg

EXTERNAL_PUSH = {
    "mode": "external",
    "external": {
        "account": "098765432109",
        "region": "eu-west-1",
        "queueName": "acme-gundeck-events",
        "arnEnv": "acme",
        "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
        "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
        "awsKeyId": "AKIAWIREPUSH",
        "awsSecretKey": "wire-push-secret",
    },
}
SMTP = {"mode": "smtp", "sender": "no-reply@example.org", "smtp": {"host": "smtp.example.org", "port": 465}}
WSLB = {
    "websocketLoadBalancer": {
        "enabled": True,
        "hostname": "nginz-ssl.example.org",
        "certManager": {"enabled": True, "issuerName": "le", "issuerKind": "Issuer"},
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
        "externalDns": True,
    }
}
PROXY = {"httpProxy": "http://proxy:8080", "httpsProxy": "http://proxy:8080"}


def ws(cfg: StackConfig) -> dict[str, Any]:
    return v.wire_server_values(cfg, aws_outputs(cfg))


def walk(tree: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (dotted path, leaf) of a tree."""
    if isinstance(tree, dict):
        return [item for key, value in tree.items() for item in walk(value, f"{path}.{key}" if path else key)]
    if isinstance(tree, list):
        return [item for index, value in enumerate(tree) for item in walk(value, f"{path}[{index}]")]
    return [(path, tree)]


def all_configs() -> list[StackConfig]:
    return [
        make_cfg(),
        make_cfg(serviceCredentials={"mode": "staticKeys", "oidcProviderArn": None}),
        make_cfg(push=EXTERNAL_PUSH),
        make_cfg(email=SMTP),
        make_cfg(cannon=WSLB, proxy=PROXY, linkPreviews={"enabled": True, "giphy": "g"}),
        make_cfg(ingress={"controller": "awsNlb"}, webApps={"teamSettings": True, "accountPages": True}),
        make_cfg(ingress={"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]}),
    ]


# --- identity ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["brig", "galley", "gundeck", "cargohold"])
def test_irsa_annotates_role_and_has_no_key_entries_at_all(service: str) -> None:
    cfg = make_cfg()
    values = ws(cfg)[service]
    assert values["serviceAccount"]["annotations"]["eks.amazonaws.com/role-arn"] == (
        f"arn:aws:iam::{ACCOUNT}:role/staging-{service}"
    )
    # An empty awsKeyId makes the Deployment reference a missing secret key: the keys must be absent.
    assert "awsKeyId" not in values.get("secrets", {})
    assert "awsSecretKey" not in values.get("secrets", {})


def test_irsa_tree_contains_no_aws_key_anywhere() -> None:
    paths = [path for path, _ in walk(ws(make_cfg()))]
    assert not [path for path in paths if "awsKeyId" in path or "awsSecretKey" in path]


@pytest.mark.parametrize("service", ["brig", "galley", "gundeck", "cargohold"])
def test_static_keys_are_secret_and_no_role_annotation(service: str) -> None:
    cfg = make_cfg(serviceCredentials={"mode": "staticKeys", "oidcProviderArn": None})
    values = ws(cfg)[service]
    assert values["secrets"]["awsKeyId"] == f"AKIA{service.upper()}"
    assert isinstance(values["secrets"]["awsSecretKey"], SecretStr)
    assert values["secrets"]["awsSecretKey"].get_secret_value() == f"secret-{service}"
    assert "serviceAccount" not in values


@pytest.mark.parametrize("mode", ["irsa", "staticKeys"])
def test_external_push_uses_wires_key_for_gundeck_in_any_mode(mode: str) -> None:
    creds = {"mode": mode, "oidcProviderArn": None} if mode == "staticKeys" else {}
    cfg = make_cfg(push=EXTERNAL_PUSH, serviceCredentials=creds)
    values = ws(cfg)
    assert values["gundeck"]["secrets"]["awsKeyId"] == "AKIAWIREPUSH"
    assert values["gundeck"]["secrets"]["awsSecretKey"].get_secret_value() == "wire-push-secret"
    assert "serviceAccount" not in values["gundeck"]
    if mode == "irsa":
        assert "awsKeyId" not in values["brig"]["secrets"]


def test_missing_identity_output_is_an_error() -> None:
    cfg = make_cfg()
    record = aws_outputs(cfg)
    broken = type(record)(**{**record.__dict__, "role_arns": {}})
    with pytest.raises(ValueError, match="IAM role for brig"):
        v.wire_server_values(cfg, broken)


# --- gundeck -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("push", "expected"),
    [
        ({"mode": "disabled"}, (ACCOUNT, "eu-central-1", "staging", "staging-gundeck-events")),
        ({"mode": "create"}, (ACCOUNT, "eu-central-1", "staging", "staging-gundeck-events")),
        (EXTERNAL_PUSH, ("098765432109", "eu-west-1", "acme", "acme-gundeck-events")),
    ],
)
def test_gundeck_has_all_six_aws_keys_in_every_push_mode(push: dict, expected: tuple) -> None:
    aws = ws(make_cfg(push=push))["gundeck"]["config"]["aws"]
    assert set(aws) == {"account", "region", "arnEnv", "queueName", "sqsEndpoint", "snsEndpoint"}
    assert (aws["account"], aws["region"], aws["arnEnv"], aws["queueName"]) == expected
    assert all(isinstance(value, str) and value for value in aws.values())


def test_gundeck_account_is_a_quoted_string_in_yaml() -> None:
    aws = ws(make_cfg())["gundeck"]["config"]["aws"]
    assert type(aws["account"]) is str
    text = v.values_yaml({"account": aws["account"]})
    assert text.strip() == f"account: '{ACCOUNT}'"
    assert yaml.safe_load(text)["account"] == ACCOUNT


# --- brig --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "use_ses"),
    [({"mode": "ses", "sender": "no-reply@example.org"}, True), (SMTP, False)],
)
def test_use_ses_is_always_explicit(email: dict, use_ses: bool) -> None:
    config = ws(make_cfg(email=email))["brig"]["config"]
    assert config["useSES"] is use_ses
    assert config["emailSMS"]["general"]["emailSender"] == "no-reply@example.org"


def test_ses_mode_sets_queue_and_endpoint_and_no_smtp() -> None:
    brig = ws(make_cfg())["brig"]
    assert brig["config"]["aws"]["sesQueue"] == "staging-brig-email-events"
    assert brig["config"]["aws"]["sesEndpoint"] == "https://email.eu-central-1.amazonaws.com"
    assert "smtp" not in brig["config"]
    assert "smtpPassword" not in brig["secrets"]


def test_smtp_mode_block_and_password() -> None:
    smtp = {**SMTP, "smtp": {"host": "smtp.example.org", "port": 465, "connType": "ssl", "username": "wire"}}
    cfg = make_cfg(email=smtp)
    cfg = cfg.model_copy(
        update={
            "email": cfg.email.model_copy(
                update={"smtp": cfg.email.smtp.model_copy(update={"password": SecretStr("pw")})}  # type: ignore[union-attr]
            )
        }
    )
    brig = ws(cfg)["brig"]
    assert brig["config"]["smtp"] == {"host": "smtp.example.org", "port": 465, "connType": "ssl", "username": "wire"}
    assert brig["secrets"]["smtpPassword"].get_secret_value() == "pw"
    assert "sesQueue" not in brig["config"]["aws"]
    assert "sesEndpoint" not in brig["config"]["aws"]


def test_smtp_without_username_has_no_credentials() -> None:
    brig = ws(make_cfg(email=SMTP))["brig"]
    assert brig["config"]["smtp"] == {"host": "smtp.example.org", "port": 465, "connType": "tls"}
    assert "smtpPassword" not in brig["secrets"]


@pytest.mark.parametrize(
    ("features", "random", "dynamo", "journal"),
    [
        ({}, True, False, False),
        ({"prekeyTable": True}, False, True, False),
        ({"userJournal": True}, True, False, True),
    ],
)
def test_brig_optional_aws_keys(features: dict, random: bool, dynamo: bool, journal: bool) -> None:
    config = ws(make_cfg(features=features))["brig"]["config"]
    aws = config["aws"]
    assert config["randomPrekeys"] is random
    # brig's config parser requires a prekey table name even with random prekeys.
    assert isinstance(aws["prekeyTable"], str) and aws["prekeyTable"] == "staging-brig-prekeys"
    assert ("dynamoDBEndpoint" in aws) is dynamo
    assert ("userJournalQueue" in aws) is journal
    assert aws["internalQueue"] == "staging-brig-events-internal"
    assert aws["sqsEndpoint"] == "https://sqs.eu-central-1.amazonaws.com"
    assert aws["region"] == "eu-central-1"


def test_prekey_table_never_empty_even_if_output_is() -> None:
    cfg = make_cfg()
    record = aws_outputs(cfg)
    empty = type(record)(**{**record.__dict__, "prekey_table": ""})
    assert v.wire_server_values(cfg, empty)["brig"]["config"]["aws"]["prekeyTable"] == "staging-brig-prekeys"


@pytest.mark.parametrize("size", [None, 1500, 2500])
def test_team_size_kept_equal_in_brig_and_galley(size: int | None) -> None:
    values = ws(make_cfg(teams={"maxTeamSize": size, "maxConversationSize": 300}))
    brig = values["brig"]["config"]["optSettings"]
    galley = values["galley"]["config"]["settings"]
    if size is None:
        assert "setMaxTeamSize" not in brig and "maxTeamSize" not in galley
    else:
        assert brig["setMaxTeamSize"] == galley["maxTeamSize"] == size
    assert brig["setMaxConvSize"] == galley["maxConvSize"] == 300
    assert "optSettings" not in values["brig"]  # the guide's bare optSettings is not read


def test_domain_derived_urls() -> None:
    values = ws(make_cfg(webApps={"teamSettings": True}))
    brig = values["brig"]["config"]
    assert brig["optSettings"]["setFederationDomain"] == "example.org"
    assert brig["externalUrls"]["nginz"] == "https://nginz-https.example.org"
    assert brig["externalUrls"]["teamSettings"] == "https://teams.example.org"
    assert brig["emailSMS"]["user"]["activationUrl"].startswith("https://account.example.org/verify/")
    assert values["galley"]["config"]["settings"]["conversationCodeURI"] == (
        "https://account.example.org/conversation-join/"
    )
    assert values["spar"]["config"]["ssoUri"] == "https://nginz-https.example.org/sso"
    assert "teamSettings" not in ws(make_cfg())["brig"]["config"]["externalUrls"]


def test_brig_secrets() -> None:
    secrets = ws(make_cfg())["brig"]["secrets"]
    assert secrets["zAuth"]["publicKeys"].get_secret_value() == "zauth-public"
    assert secrets["zAuth"]["privateKeys"].get_secret_value() == "zauth-private"
    assert secrets["turn"]["secret"].get_secret_value() == "turn"
    assert secrets["rabbitmq"]["password"].get_secret_value() == "rabbit-pw"
    assert secrets["pgPassword"].get_secret_value() == "pg-pw"


def test_unset_secrets_are_omitted_not_empty() -> None:
    cfg = make_cfg(secrets={"zauthPublicKeys": None, "zauthPrivateKeys": None, "turnSecret": None})
    cfg = cfg.model_copy(update={"secrets": type(cfg.secrets)()})
    values = ws(cfg)
    assert "zAuth" not in values["brig"]["secrets"] and "turn" not in values["brig"]["secrets"]
    assert "secrets" not in values["nginz"]
    assert not [leaf for _, leaf in walk(values) if leaf in ("", None)]


# --- cargohold, galley -----------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["auto", "path", "virtual"])
def test_cargohold_s3(style: str) -> None:
    cfg = make_cfg(assets={"s3AddressingStyle": style, "downloadEndpoint": "https://dl.example.org"})
    values = ws(cfg)["cargohold"]
    aws = values["config"]["aws"]
    assert aws["s3AddressingStyle"] == style
    assert aws["s3Bucket"] == cfg.bucket_name
    assert aws["s3Endpoint"] == "https://s3.eu-central-1.amazonaws.com"
    assert aws["s3DownloadEndpoint"] == "https://dl.example.org"
    assert "cloudFront" not in aws
    assert "aws" not in values  # the guide's cargohold.aws is outdated
    assert "secrets" not in values  # IRSA without CloudFront: the chart default {} (never null)


def test_cargohold_cloudfront() -> None:
    cfg = make_cfg(assets={"cloudFront": {"enabled": True, "keyPairId": "K123", "privateKey": "pem"}})
    values = ws(cfg)["cargohold"]
    assert values["config"]["aws"]["cloudFront"] == {
        "domain": "d111111abcdef8.cloudfront.net",
        "keyPairId": "K123",
        "privateKeyPath": "/etc/wire/cargohold/secrets/cf-pk.pem",
    }
    assert values["secrets"]["cloudFront"]["cfPrivateKey"].get_secret_value() == "pem"


@pytest.mark.parametrize("journal", [True, False])
def test_galley_journal(journal: bool) -> None:
    config = ws(make_cfg(features={"teamEventsJournal": journal}))["galley"]["config"]
    assert config["aws"] == {"region": "eu-central-1"}
    if journal:
        assert config["journal"] == {
            "queueName": "staging-team-events.fifo",
            "endpoint": "https://sqs.eu-central-1.amazonaws.com",
        }
    else:
        assert "journal" not in config


# --- proxy ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("replicas", [1, 3])
def test_no_proxy_list_in_non_default_namespace(replicas: int) -> None:
    cfg = make_cfg(
        kubernetes={"namespace": "chat"}, replicas={"cannon": replicas}, proxy={**PROXY, "noProxy": ["10.0.0.0/8"]}
    )
    entries = v.no_proxy_list(cfg)
    assert entries[:2] == ["localhost", "127.0.0.1"]
    for service in ("brig", "cargohold", "galley", "gundeck", "proxy", "spar", "federator", "cannon", "nginz"):
        assert service in entries and f"{service}.chat" in entries
    assert "background-worker" in entries
    assert ".chat.svc.cluster.local" in entries
    cannon_pods = [entry for entry in entries if entry.startswith("cannon-")]
    assert cannon_pods == [f"cannon-{index}.cannon.chat" for index in range(replicas)]
    assert not [entry for entry in entries if entry.endswith(".default")]
    for host in cfg.databases.hosts():
        assert host in entries
    assert entries[-1] == "10.0.0.0/8"
    assert len(entries) == len(set(entries))
    assert entries == v.no_proxy_list(cfg)


def test_no_proxy_list_drops_fake_aws_and_duplicates() -> None:
    cfg = make_cfg(proxy={**PROXY, "noProxy": ["fake-aws-sqs", "brig", "localhost", "10.0.0.0/8"]})
    entries = v.no_proxy_list(cfg)
    assert not [entry for entry in entries if "fake-aws" in entry]
    assert entries.count("brig") == 1 and entries.count("localhost") == 1


@pytest.mark.parametrize(
    "services", [["brig", "gundeck"], ["proxy"], ["brig", "galley", "gundeck", "cargohold", "spar"]]
)
def test_proxy_env_only_for_chosen_services(services: list[str]) -> None:
    cfg = make_cfg(proxy={**PROXY, "services": services}, linkPreviews={"enabled": True})
    values = ws(cfg)
    for service in ("brig", "galley", "gundeck", "cargohold", "spar"):
        proxy = values[service]["config"].get("proxy")
        if service in services:
            assert proxy["httpProxy"] == proxy["httpsProxy"] == "http://proxy:8080"
            assert proxy["noProxyList"] == v.no_proxy_list(cfg)
        else:
            assert proxy is None
    assert ("config" in values["proxy"]) is ("proxy" in services)
    # cannon, background-worker and nginz have no proxy keys in the chart.
    assert "proxy" not in values["cannon"]["config"]


def test_no_proxy_env_without_a_proxy() -> None:
    values = ws(make_cfg())
    assert not [path for path, _ in walk(values) if ".proxy.httpProxy" in path or "noProxyList" in path]


# --- cannon, nginz ------------------------------------------------------------------------------------------


def test_drain_opts_path() -> None:
    cfg = make_cfg(cannon={"drain": {"gracePeriodSeconds": 60, "millisecondsBetweenBatches": 100, "minBatchSize": 5}})
    cannon = ws(cfg)["cannon"]
    assert cannon["config"]["drainOpts"] == {
        "gracePeriodSeconds": 60,
        "millisecondsBetweenBatches": 100,
        "minBatchSize": 5,
    }
    assert "drainOpts" not in cannon  # the guide's cannon.drainOpts is not read by the chart


def test_separate_websocket_lb() -> None:
    cfg = make_cfg(cannon=WSLB)
    values = ws(cfg)
    nginz_service = values["cannon"]["service"]["nginz"]
    assert nginz_service == {
        "enabled": True,
        "hostname": "nginz-ssl.example.org",
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
        "externalDNS": {"enabled": True},
        "certManager": {"enabled": True, "issuer": {"name": "le", "kind": "Issuer"}},
    }
    assert "cannon" in values["nginz"]["nginx_conf"]["ignored_upstreams"]
    assert "tls" not in values["cannon"]["secrets"]["nginz"]
    assert values["cannon"]["nginx_conf"]["external_env_domain"] == "example.org"
    assert v.nginx_ingress_services_values(cfg)["websockets"] == {"enabled": False}


def test_cannon_zauth_is_the_same_secret_as_nginz_and_brig() -> None:
    values = ws(make_cfg(cannon=WSLB))
    cannon_key = values["cannon"]["secrets"]["nginz"]["zAuth"]["publicKeys"]
    assert isinstance(cannon_key, SecretStr)
    assert cannon_key is values["nginz"]["secrets"]["zAuth"]["publicKeys"]
    assert cannon_key is values["brig"]["secrets"]["zAuth"]["publicKeys"]


def test_websocket_lb_with_own_certificate() -> None:
    wslb = {"websocketLoadBalancer": {**WSLB["websocketLoadBalancer"], "certManager": {"enabled": False}}}
    wslb["websocketLoadBalancer"]["tls"] = {"crt": "CERT", "key": "KEY"}
    secrets = ws(make_cfg(cannon=wslb))["cannon"]["secrets"]["nginz"]
    assert secrets["tls"]["crt"] == "CERT"
    assert secrets["tls"]["key"].get_secret_value() == "KEY"


def test_without_websocket_lb() -> None:
    cfg = make_cfg()
    values = ws(cfg)
    assert "service" not in values["cannon"]
    assert "nginz" not in values["cannon"]["secrets"]
    assert values["nginz"]["nginx_conf"]["ignored_upstreams"] == []
    assert v.nginx_ingress_services_values(cfg)["websockets"] == {"enabled": True}
    assert v.nginx_ingress_services_values(cfg)["config"]["dns"]["ssl"] == "nginz-ssl.example.org"


def test_nginz_upstreams_and_deeplink() -> None:
    cfg = make_cfg(
        nginz={
            "ignoredUpstreams": ["spar"],
            "extraUpstreams": ["proxy", "ibis"],
            "upstreamNamespaces": {"ibis": "bill"},
        },
        linkPreviews={"enabled": True},
        cannon=WSLB,
    )
    conf = ws(cfg)["nginz"]["nginx_conf"]
    assert conf["ignored_upstreams"] == ["spar", "cannon"]
    assert conf["enabled_extra_upstreams"] == ["proxy", "ibis"]
    assert conf["upstream_namespace"] == {"ibis": "bill"}
    assert conf["env"] == "prod"
    assert conf["external_env_domain"] == "example.org"
    assert conf["deeplink"]["endpoints"]["backendURL"] == "https://nginz-https.example.org"
    assert conf["deeplink"]["endpoints"]["backendWSURL"] == "https://nginz-ssl.example.org"


# --- link previews ------------------------------------------------------------------------------------------


def test_link_previews_proxy_config_is_a_hocon_secret() -> None:
    cfg = make_cfg(linkPreviews={"enabled": True, "youtube": "yt", "spotify": 'Basic "x"'})
    values = ws(cfg)
    assert values["tags"]["proxy"] is True
    secret = values["proxy"]["secrets"]["proxy_config"]
    assert isinstance(secret, SecretStr)
    text = secret.get_secret_value()
    assert text.startswith("secrets {") and text.endswith("}")
    assert 'youtube = "yt"' in text
    assert 'spotify = "Basic \\"x\\""' in text
    assert 'giphy = ""' in text
    assert "yt" not in str(redact(values))


def test_link_previews_disabled() -> None:
    values = ws(make_cfg())
    assert values["tags"]["proxy"] is False
    assert "secrets" not in values["proxy"]


# --- databases, replicas ----------------------------------------------------------------------------------------


def test_external_databases_and_replicas() -> None:
    cfg = make_cfg(
        databases={"cassandra": {"host": "cass.db", "port": 9043}, "redis": {"host": "redis.db"}},
        replicas={"brig": 5, "cannon": 2, "nginz": 4, "backgroundWorker": 2},
        production=True,
    )
    values = ws(cfg)
    assert values["cassandra-migrations"]["cassandra"] == {"host": "cass.db", "port": 9043, "replicationFactor": 3}
    assert values["elasticsearch-index"]["elasticsearch"]["host"] == "elasticsearch-external"
    for service in ("brig", "galley", "gundeck", "cannon", "spar"):
        assert values[service]["config"]["cassandra"]["host"] == "cass.db"
    for key in ("cassandra", "cassandraGalley", "cassandraBrig"):
        assert values["background-worker"]["config"][key]["host"] == "cass.db"
    assert values["gundeck"]["config"]["redis"]["host"] == "redis.db"
    assert values["brig"]["config"]["postgresql"]["port"] == "5432"
    assert values["brig"]["replicaCount"] == 5
    assert values["cannon"]["replicaCount"] == 2
    assert values["nginz"]["replicaCount"] == 4
    assert values["background-worker"]["replicaCount"] == 2
    assert (
        v.wire_server_values(make_cfg(production=False), aws_outputs(make_cfg()))["cassandra-migrations"]["cassandra"][
            "replicationFactor"
        ]
        == 1
    )


# --- other releases -----------------------------------------------------------------------------------------


def test_nginx_ingress_services() -> None:
    cfg = make_cfg(
        webApps={"teamSettings": True, "accountPages": False},
        dns={"zoneId": "Z123", "target": {"fromIngressController": True}, "hosts": ["nginz-https", "federator"]},
    )
    values = v.nginx_ingress_services_values(cfg)
    assert values["fakeS3"] == {"enabled": False}
    assert values["service"]["useFakeS3"] is False
    assert values["config"]["dns"] == {
        "https": "nginz-https.example.org",
        "ssl": "nginz-ssl.example.org",
        "webapp": "webapp.example.org",
        "teamSettings": "teams.example.org",
        "federator": "federator.example.org",
    }
    assert values["teamSettings"] == {"enabled": True}
    assert values["accountPages"] == {"enabled": False}
    assert values["tls"]["useCertManager"] is True


@pytest.mark.parametrize("self_hosted", [True, False])
def test_web_apps_self_hosted(self_hosted: bool) -> None:
    cfg = make_cfg(webApps={"teamSettings": True, "accountPages": True, "selfHosted": self_hosted})
    expected = "true" if self_hosted else "false"
    for values in (v.team_settings_values(cfg), v.account_pages_values(cfg)):
        assert values["envVars"]["IS_SELF_HOSTED"] == expected
    assert v.team_settings_values(cfg)["config"]["externalUrls"]["appHost"] == "teams.example.org"
    assert v.account_pages_values(cfg)["config"]["externalUrls"]["appHost"] == "account.example.org"


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({}, ["wire-server", "nginx-ingress-services"]),
        ({"webApps": {"teamSettings": True}}, ["wire-server", "nginx-ingress-services", "team-settings"]),
        ({"webApps": {"accountPages": True}}, ["wire-server", "nginx-ingress-services", "account-pages"]),
        ({"ingress": {"controller": "awsNlb"}}, ["ingress-nginx", "wire-server", "nginx-ingress-services"]),
        (
            {"ingress": {"controller": "metallb", "metallbAddresses": ["203.0.113.0/30"]}},
            ["metallb", "ingress-nginx", "wire-server", "nginx-ingress-services"],
        ),
    ],
)
def test_release_values_only_the_deployed_releases(overrides: dict, names: list[str]) -> None:
    cfg = make_cfg(**overrides)
    assert list(v.release_values(cfg, aws_outputs(cfg))) == names


def test_ingress_nginx_on_aws_has_nlb_annotations() -> None:
    controller = v.ingress_nginx_values(make_cfg(ingress={"controller": "awsNlb"}))["controller"]
    annotations = controller["service"]["annotations"]
    assert controller["service"]["type"] == "LoadBalancer"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "external"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] == "ip"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internet-facing"
    # PROXY protocol on the NLB requires it in the controller, or every request is garbage.
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-proxy-protocol"] == "*"
    assert controller["config"]["use-proxy-protocol"] == "true"


def test_metallb_entry_point() -> None:
    cfg = make_cfg(
        ingress={"controller": "metallb", "metallbAddresses": ["203.0.113.10/32", "203.0.113.20-203.0.113.30"]}
    )
    assert v.metallb_values(cfg)["crds"]["enabled"] is True
    pool, advertisement = v.metallb_manifests(cfg)
    assert pool["kind"] == "IPAddressPool"
    assert pool["spec"]["addresses"] == ["203.0.113.10/32", "203.0.113.20-203.0.113.30"]
    assert advertisement["kind"] == "L2Advertisement"
    assert advertisement["spec"]["ipAddressPools"] == [pool["metadata"]["name"]]
    controller = v.ingress_nginx_values(cfg)["controller"]
    assert "annotations" not in controller["service"]
    assert "config" not in controller


# --- extra values, secrets, fake-aws ------------------------------------------------------------------------


def test_extra_values_merged_last_per_release() -> None:
    cfg = make_cfg(
        webApps={"teamSettings": True, "accountPages": True},
        ingress={"controller": "awsNlb"},
        extraValues={
            "wireServer": {"brig": {"config": {"useSES": "overridden", "optSettings": {"setMaxConvSize": 7}}}},
            "nginxIngressServices": {"fakeS3": {"enabled": "overridden"}},
            "teamSettings": {"envVars": {"IS_SELF_HOSTED": "overridden"}},
            "accountPages": {"envVars": {"EXTRA": "x"}},
            "ingressNginx": {"controller": {"replicaCount": 9}},
        },
    )
    all_values = v.release_values(cfg, aws_outputs(cfg))
    brig = all_values["wire-server"]["brig"]["config"]
    assert brig["useSES"] == "overridden"
    assert brig["optSettings"]["setMaxConvSize"] == 7
    assert brig["optSettings"]["setFederationDomain"] == "example.org"  # merged, not replaced
    assert all_values["nginx-ingress-services"]["fakeS3"]["enabled"] == "overridden"
    assert all_values["team-settings"]["envVars"]["IS_SELF_HOSTED"] == "overridden"
    assert all_values["account-pages"]["envVars"] == {"IS_SELF_HOSTED": "true", "EXTRA": "x"}
    assert all_values["ingress-nginx"]["controller"]["replicaCount"] == 9


def test_deep_merge_replaces_lists_and_does_not_mutate() -> None:
    base = {"a": {"b": [1, 2], "c": 1}}
    merged = v.deep_merge(base, {"a": {"b": [3]}})
    assert merged == {"a": {"b": [3], "c": 1}}
    assert base == {"a": {"b": [1, 2], "c": 1}}


@pytest.mark.parametrize(
    "cfg", all_configs(), ids=lambda c: f"{c.service_credentials.mode}-{c.push.mode}-{c.email.mode}"
)
def test_secret_leaves_are_secretstr_and_redacted(cfg: StackConfig) -> None:
    all_values = v.release_values(cfg, aws_outputs(cfg))
    tree = all_values["wire-server"]
    assert has_secret(tree)
    secret_paths = {path for path, leaf in walk(tree) if isinstance(leaf, SecretStr)}
    for expected in ("brig.secrets.zAuth.privateKeys", "nginz.secrets.zAuth.publicKeys", "brig.secrets.turn.secret"):
        assert expected in secret_paths
    redacted = redact(all_values)
    text = yaml.safe_dump(redacted)
    for plain in ("zauth-private", "zauth-public", "rabbit-pw", "pg-pw", "secret-brig", "wire-push-secret"):
        assert plain not in text
    assert REDACTED in text
    # Nothing but SecretStr may carry a secret value: no plain string equals one.
    plain_leaves = {leaf for _, leaf in walk(all_values) if isinstance(leaf, str)}
    assert not plain_leaves & {"zauth-private", "zauth-public", "turn", "rabbit-pw", "pg-pw"}


@pytest.mark.parametrize(
    "cfg", all_configs(), ids=lambda c: f"{c.service_credentials.mode}-{c.push.mode}-{c.ingress.controller}"
)
def test_no_fake_aws_anywhere(cfg: StackConfig) -> None:
    all_values = v.release_values(cfg, aws_outputs(cfg))
    assert "fake-aws" not in all_values
    assert "fake-aws" not in v.values_yaml(all_values)
    assert "fake-aws" not in str(v.metallb_manifests(cfg))
