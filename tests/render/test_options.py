"""Each option of the guide takes effect where the Wire service reads it, in the objects the real charts render.

Every test runs on every stack of tests/render/variants.py and asserts both ways: what the stack asks for
is in the rendered ConfigMaps (the service's own YAML config parsed), container env, Services,
annotations and Secrets — and what it does not ask for is absent.
"""

from __future__ import annotations

import re

import pytest

from components.config import EmailMode, PushMode, StackConfig, WireHost
from components.config.ingress import LoadBalancerKind
from components.config.nginz import DEFAULT_UPSTREAMS
from components.k8s.values import common as v
from components.k8s.values.cargohold import CLOUDFRONT_KEY_PATH
from tests.components.k8s.k8s_support import ACCOUNT
from tests.render.render_support import STACK_IDS, Manifests, rendered, stack_cfg

PROXY_ENV = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY")


def host(cfg: StackConfig, name: WireHost) -> str:
    return f"{name.value}.{cfg.domain}"


def case(stack_id: str) -> tuple[StackConfig, Manifests]:
    return stack_cfg(stack_id), rendered(stack_id)


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_outbound_proxy_env(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    for service in ("brig", "galley", "gundeck", "cargohold", "spar", "proxy"):
        if service == "proxy" and manifests.find("Deployment", "proxy") is None:
            continue  # 5.30+ without link previews: no proxy at all (test_link_previews)
        env = manifests.env("Deployment", service)
        if cfg.proxy.enabled and service in cfg.proxy.services:
            if cfg.proxy.http_proxy:
                assert env["http_proxy"] == env["HTTP_PROXY"] == cfg.proxy.http_proxy
            if cfg.proxy.https_proxy:
                assert env["https_proxy"] == env["HTTPS_PROXY"] == cfg.proxy.https_proxy
            no_proxy = env["NO_PROXY"].split(",")
            assert f"cannon-0.cannon.{cfg.kubernetes.namespace}" in no_proxy
            assert set(cfg.proxy.no_proxy) <= set(no_proxy)
            assert cfg.databases.cassandra.host in no_proxy
        else:
            assert not set(PROXY_ENV) & set(env), f"{service} gets proxy env without asking"


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_push_settings_reach_gundeck(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    aws = manifests.service_config("gundeck")["aws"]
    if cfg.push.mode == PushMode.EXTERNAL:
        external = cfg.push.external
        assert external is not None
        expected = {
            "account": external.account,
            "region": external.region,
            "arnEnv": external.arn_env,
            "queueName": external.queue_name,
            "sqsEndpoint": external.sqs_endpoint,
            "snsEndpoint": external.sns_endpoint,
        }
        env = manifests.env("Deployment", "gundeck")
        assert env["AWS_ACCESS_KEY_ID"]["secretKeyRef"]["name"] == "gundeck"
    else:
        expected = {
            "account": ACCOUNT,
            "region": cfg.region,
            "arnEnv": cfg.environment,
            "queueName": f"{cfg.environment}-gundeck-events",
            "sqsEndpoint": cfg.endpoint("sqs"),
            "snsEndpoint": cfg.endpoint("sns"),
        }
    assert {key: str(aws[key]) for key in expected} == expected


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_email_mode_reaches_brig(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    brig = manifests.service_config("brig")
    email = brig["emailSMS"]["email"]
    assert brig["emailSMS"]["general"]["emailSender"] == cfg.email.sender
    secret_keys = manifests.secret_keys("brig")
    if cfg.email.mode == EmailMode.SES:
        assert email["sesQueue"] == f"{cfg.environment}-brig-email-events"
        assert email["sesEndpoint"] == cfg.endpoint("ses")
        assert "smtpEndpoint" not in email
        return
    smtp = cfg.email.smtp
    assert smtp is not None
    assert "sesQueue" not in email
    assert email["smtpEndpoint"] == {"host": smtp.host, "port": smtp.port}
    assert email["smtpConnType"] == smtp.conn_type
    if smtp.username:
        credentials = email["smtpCredentials"]
        assert credentials["smtpUsername"] == smtp.username
        # brig reads the password from this file, which the brig Secret must provide.
        assert credentials["smtpPassword"].endswith("/smtp-password.txt")
        assert "smtp-password.txt" in secret_keys
    else:
        assert "smtpCredentials" not in email


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_drain_settings_reach_cannon(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    drain = cfg.cannon.drain
    assert manifests.service_config("cannon")["drainOpts"] == {
        "gracePeriodSeconds": drain.grace_period_seconds,
        "millisecondsBetweenBatches": drain.milliseconds_between_batches,
        "minBatchSize": drain.min_batch_size,
    }
    pod = manifests.get("StatefulSet", "cannon")["spec"]["template"]["spec"]
    # Kubernetes must not kill cannon before it has drained.
    assert pod["terminationGracePeriodSeconds"] > drain.grace_period_seconds


def nginz_upstreams(manifests: Manifests) -> set[str]:
    conf = manifests.config_text("nginz", "nginx.conf")
    return set(re.findall(r"^\s*upstream ([\w.-]+) \{", conf, flags=re.MULTILINE))


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_nginz_upstreams_and_namespaces(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    enabled = (set(DEFAULT_UPSTREAMS) - set(cfg.nginz_ignored_upstreams)) | set(cfg.nginz_extra_upstreams)
    expected = {
        f"{name}.{cfg.nginz.upstream_namespaces[name]}" if name in cfg.nginz.upstream_namespaces else name
        for name in enabled
    }
    assert nginz_upstreams(manifests) == expected


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_websocket_load_balancer(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    wslb = cfg.cannon.websocket_load_balancer
    service = manifests.find("Service", "cannon-nginz")
    ingress_hosts = {rule["host"] for rule in manifests.get("Ingress", "nginx-ingress")["spec"]["rules"]}
    if wslb.enabled:
        assert service is not None and service["spec"]["type"] == "LoadBalancer"
        annotations = service["metadata"].get("annotations") or {}
        assert dict(wslb.annotations).items() <= annotations.items()
        assert "cannon" not in nginz_upstreams(manifests)
        assert host(cfg, WireHost.NGINZ_SSL) not in ingress_hosts
        certificate = manifests.find("Certificate", "cannon-nginz")
        if wslb.cert_manager.enabled:
            assert certificate is not None and certificate["spec"]["dnsNames"] == [wslb.hostname]
            assert certificate["spec"]["issuerRef"]["name"] == wslb.cert_manager.issuer_name
        else:
            # The configured certificate and key, in the Secret cannon's nginz mounts.
            assert certificate is None
            volumes = manifests.get("StatefulSet", "cannon")["spec"]["template"]["spec"]["volumes"]
            tls_secret = next(volume["secret"]["secretName"] for volume in volumes if volume["name"] == "certificate")
            assert {"tls.crt", "tls.key"} <= manifests.secret_keys(tls_secret)
        external_dns = annotations.get("external-dns.alpha.kubernetes.io/hostname")
        assert external_dns == (wslb.hostname if wslb.external_dns else None)
    else:
        assert service is None
        assert host(cfg, WireHost.NGINZ_SSL) in ingress_hosts


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_one_load_balancer_address_on_bare_metal(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    balancers = [svc for svc in manifests.of_kind("Service") if svc["spec"].get("type") == "LoadBalancer"]
    controller = manifests.find("Service", "ingress-nginx-controller")
    if cfg.ingress.envoy_gateway and not cfg.ingress.ingress_nginx:
        # Envoy's LoadBalancer Service is created by Envoy Gateway at runtime (tests/render/test_gateway.py).
        assert controller is None
        cannon = ["cannon-nginz"] if cfg.cannon.websocket_load_balancer.enabled else []
        assert [svc["metadata"]["name"] for svc in balancers] == cannon
    elif cfg.ingress.balancer == LoadBalancerKind.METALLB:
        assert len(balancers) == 1, [svc["metadata"]["name"] for svc in balancers]
        assert controller is not None
        assert not (controller["metadata"].get("annotations") or {}), "no cloud load balancer annotations"
    elif cfg.ingress.balancer == LoadBalancerKind.AWS_NLB:
        assert controller is not None
        annotations = controller["metadata"]["annotations"]
        assert annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "external"
        config = manifests.get("ConfigMap", "ingress-nginx-controller")["data"]
        assert config["use-proxy-protocol"] == "true"
    else:
        assert controller is None


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_asset_storage_reaches_cargohold(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    aws = manifests.service_config("cargohold")["aws"]
    assert aws["s3Bucket"] == cfg.bucket_name
    assert aws["s3Endpoint"] == cfg.endpoint("s3")
    assert aws["s3AddressingStyle"] == cfg.assets.s3_addressing_style
    if cfg.assets.download_endpoint:
        assert aws["s3DownloadEndpoint"] == cfg.assets.download_endpoint
    else:
        assert "s3DownloadEndpoint" not in aws
    if cfg.assets.cloud_front.enabled:
        cloud_front = aws["cloudFront"]
        assert cloud_front["keyPairId"] == cfg.assets.cloud_front.key_pair_id
        assert cloud_front["domain"]
        # cargohold reads the key from this file: the Secret must carry it and the pod mount it.
        assert cloud_front["privateKey"] == CLOUDFRONT_KEY_PATH
        assert "cf-pk.pem" in manifests.secret_keys("cargohold")
    else:
        assert "cloudFront" not in aws


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_team_and_conversation_size(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    brig = manifests.service_config("brig")["optSettings"]
    galley = manifests.service_config("galley")["settings"]
    assert brig["setMaxConvSize"] == galley["maxConvSize"] == cfg.teams.max_conversation_size
    expected_team = cfg.teams.max_team_size or galley["maxTeamSize"]
    assert brig["setMaxTeamSize"] == galley["maxTeamSize"] == expected_team


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_web_apps_and_self_hosted(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    ingress_hosts = {rule["host"] for rule in manifests.get("Ingress", "nginx-ingress")["spec"]["rules"]}
    for enabled, name, hostname in (
        (cfg.web_apps.team_settings, "team-settings", WireHost.TEAMS),
        (cfg.web_apps.account_pages, "account-pages", WireHost.ACCOUNT),
    ):
        assert (host(cfg, hostname) in ingress_hosts) == enabled
        if enabled and name not in manifests.by_release:
            continue  # an optional chart not available here (render_support.OPTIONAL_CHARTS)
        deployment = manifests.find("Deployment", name)
        assert (deployment is not None) == enabled
        if deployment is not None:
            env = manifests.env("Deployment", name)
            assert env["IS_SELF_HOSTED"] == ("true" if cfg.web_apps.self_hosted else "false")
            assert env["APP_BASE"].rstrip("/") == f"https://{host(cfg, hostname)}"
            assert env["BACKEND_REST"] == f"https://{host(cfg, WireHost.NGINZ_HTTPS)}"
            if name == "team-settings":
                assert env["BACKEND_WS"] == f"wss://{v.websocket_host(cfg)}"


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_link_previews(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    proxy = manifests.find("Deployment", "proxy")
    if cfg.link_previews.enabled:
        # On both layouts: 5.29.x's inline templates, 5.30+'s subchart behind tags.proxy.
        assert proxy is not None and proxy["spec"]["replicas"] == cfg.replicas.proxy
        assert "proxy.config" in manifests.secret_keys("proxy")
        assert manifests.find("Service", "proxy") is not None
        assert "proxy" in nginz_upstreams(manifests)
    else:
        assert proxy is None or proxy["spec"]["replicas"] == 0
        assert "proxy" not in nginz_upstreams(manifests)


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_replicas(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    replicas = cfg.replicas
    expected = {
        ("Deployment", "brig"): replicas.brig,
        ("Deployment", "galley"): replicas.galley,
        ("Deployment", "gundeck"): replicas.gundeck,
        ("StatefulSet", "cannon"): replicas.cannon,
        ("Deployment", "cargohold"): replicas.cargohold,
        ("Deployment", "spar"): replicas.spar,
        ("Deployment", "nginz"): replicas.nginz,
        ("Deployment", "background-worker"): replicas.background_worker,
    }
    for name in ("team-settings", "account-pages", "webapp"):
        if manifests.find("Deployment", name) is not None:
            expected[("Deployment", name)] = replicas.webapp
    actual = {key: manifests.get(*key)["spec"]["replicas"] for key in expected}
    assert actual == expected


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_databases(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    db = cfg.databases
    for service in ("brig", "galley", "gundeck", "cannon", "spar"):
        endpoint = manifests.service_config(service)["cassandra"]["endpoint"]
        assert endpoint == {"host": db.cassandra.host, "port": 9042}
    # Managed stores: tests/render/test_datastores.py.
    brig = manifests.service_config("brig")
    es_port = db.elasticsearch.port or 9200
    if not db.elasticsearch.is_managed:
        assert brig["elasticsearch"]["url"] == f"http://{db.elasticsearch.host}:{es_port}"
    # galley reads rabbitmq only with federation, which this stack does not deploy.
    for service in ("brig", "gundeck", "cannon"):
        rabbitmq = manifests.service_config(service)["rabbitmq"]
        if not db.rabbitmq.is_managed:
            assert (rabbitmq["host"], rabbitmq["port"]) == (db.rabbitmq.host, db.rabbitmq.port or 5672)
    redis = manifests.service_config("gundeck")["redis"]
    if not db.redis.is_managed:
        assert (redis["host"], redis["port"]) == (db.redis.host, db.redis.port or 6379)
    for service in ("brig", "galley") if not db.postgresql.is_managed else ():
        pg = manifests.service_config(service)["postgresql"]
        assert (pg["host"], str(pg["port"])) == (db.postgresql.host, str(db.postgresql.port or 5432))
        assert "pgPassword" in manifests.secret_keys(service)


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_optional_queues_and_table(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    brig = manifests.service_config("brig")
    features = cfg.features
    assert brig["randomPrekeys"] is (not features.prekey_table)
    assert ("dynamoDBEndpoint" in brig["aws"]) == features.prekey_table
    assert brig["internalEvents"]["queueName"] == f"{cfg.environment}-brig-events-internal"
    assert ("userJournalQueue" in brig["aws"]) == features.user_journal
    galley = manifests.service_config("galley")
    assert ("journal" in galley) == features.team_events_journal


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_urls_point_at_this_domain(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    brig = manifests.service_config("brig")
    assert brig["emailSMS"]["user"]["activationUrl"].startswith(f"https://{host(cfg, WireHost.ACCOUNT)}/")
    # One federation domain in every service: wire:domain, or wire:federationDomain when set.
    federation = cfg.federation_domain or cfg.domain
    assert brig["optSettings"]["setFederationDomain"] == federation
    assert manifests.service_config("galley")["settings"]["federationDomain"] == federation
    assert manifests.service_config("cargohold")["settings"]["federationDomain"] == federation
    spar = manifests.service_config("spar")["saml"]
    assert spar["spAppUri"] == f"https://{host(cfg, WireHost.WEBAPP)}/"
    assert spar["spSsoUri"] == f"https://{host(cfg, WireHost.NGINZ_HTTPS)}/sso"
    assert spar["contacts"] == cfg.saml_contacts


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_webapp(stack_id: str) -> None:
    cfg, manifests = case(stack_id)
    ingress_hosts = {rule["host"] for rule in manifests.get("Ingress", "nginx-ingress")["spec"]["rules"]}
    assert (host(cfg, WireHost.WEBAPP) in ingress_hosts) == cfg.web_apps.webapp
    assert (manifests.find("Service", "webapp-http") is not None) == cfg.web_apps.webapp
    if not cfg.web_apps.webapp:
        assert "webapp" not in manifests.by_release
        return
    if "webapp" not in manifests.by_release:
        pytest.skip("chart webapp not available (it is not among the pinned charts shipped for offline rendering)")
    env = manifests.env("Deployment", "webapp")
    assert env["APP_BASE"].rstrip("/") == f"https://{host(cfg, WireHost.WEBAPP)}"
    assert env["BACKEND_REST"] == f"https://{host(cfg, WireHost.NGINZ_HTTPS)}"
    assert env["BACKEND_WS"] == f"wss://{v.websocket_host(cfg)}"
    assert f"wss://{v.websocket_host(cfg)}" in env["CSP_EXTRA_CONNECT_SRC"]
    # The Service nginx-ingress-services routes to selects the webapp's pods.
    selector = manifests.get("Service", "webapp-http")["spec"]["selector"]
    labels = manifests.get("Deployment", "webapp")["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= labels.items()
