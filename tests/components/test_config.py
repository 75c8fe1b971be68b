"""Every validation rule of the stack configuration, each proven to reject and to accept."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, StackConfig, load_config, required_secrets
from components.stackfile import read_stack_file

OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC123"


def base(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "environment": "prod",
        "domain": "example.com",
        "serviceCredentials": {"mode": "irsa", "oidcProviderArn": OIDC},
        "email": {"mode": "ses", "sender": "no-reply@example.com"},
    }
    values.update(overrides)
    return values


def load(values: dict[str, Any], *, secret_keys: set[str] = frozenset(), region: str = "eu-central-1") -> StackConfig:
    return load_config(values, region=region, secret_keys=secret_keys, allow_missing_secrets=True).config


def problems(values: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(values, region=kwargs.pop("region", "eu-central-1"), allow_missing_secrets=True, **kwargs)
    return caught.value.problems


def test_a_minimal_config_is_valid_and_defaults_to_irsa() -> None:
    cfg = load(base())
    assert cfg.service_credentials.mode == "irsa"
    assert cfg.arn_env == "prod"
    assert cfg.is_production


# --- unknown keys, types, formats ---------------------------------------------------------------


def test_unknown_top_level_key_is_an_error_with_a_suggestion() -> None:
    found = problems(base(enviroment="prod"))
    assert found == [
        "wire:enviroment is not a known key (did you mean wire:environment?); remove it or fix the spelling"
    ]


def test_unknown_nested_key_is_an_error_naming_its_path() -> None:
    found = problems(base(cannon={"drain": {"gracePeriod": 10}}))
    assert found == ["wire:cannon.drain.gracePeriod: is not a known key; remove it or fix the spelling"]


def test_aws_region_is_not_a_wire_key() -> None:
    assert "wire:region is not a known key" in problems(base(region="eu-west-1"))[0]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"domain": "Example_com"}, "wire:domain: 'Example_com' is not a valid DNS hostname"),
        ({"email": {"mode": "ses", "sender": "nobody"}}, "wire:email.sender: 'nobody' is not an email address"),
        ({"email": {"mode": "pigeon", "sender": "a@example.com"}}, "wire:email.mode: Input should be 'ses' or 'smtp'"),
        ({"proxy": {"httpProxy": "proxy:8080"}}, "wire:proxy.httpProxy: 'proxy:8080' is not an http(s) URL"),
        ({"replicas": {"brig": "three"}}, "wire:replicas.brig: Input should be a valid integer"),
        ({"environment": "Prod-1"}, "environment 'Prod-1' must be 1-20 lower-case letters and digits"),
    ],
)
def test_types_enums_hostnames_urls_and_emails_are_checked(overrides: dict[str, Any], expected: str) -> None:
    assert any(expected in problem for problem in problems(base(**overrides))), problems(base(**overrides))


def test_missing_region_names_the_aws_key() -> None:
    assert problems(base(), region="") == [
        "aws:region '' is not an AWS region; set it: pulumi config set aws:region eu-central-1"
    ]


def test_all_problems_are_listed_at_once() -> None:
    found = problems(
        base(
            typo=1,
            domain="bad_domain",
            cannon={"drain": {"gracePeriodSeconds": 0}},
            nginz={"ignoredUpstreams": ["nginx"]},
        )
    )
    assert len(found) == 4
    assert str(ConfigError(found)).startswith("The stack configuration has 4 problem(s):")


# --- push notifications --------------------------------------------------------------------------


EXTERNAL = {
    "account": "123456789012",
    "region": "eu-west-1",
    "queueName": "staging-gundeck-events",
    "arnEnv": "staging",
    "snsEndpoint": "https://sns.eu-west-1.amazonaws.com",
    "sqsEndpoint": "https://sqs.eu-west-1.amazonaws.com",
    "awsKeyId": "AKIAEXAMPLE",
}


def test_external_push_takes_arn_env_from_wire() -> None:
    cfg = load(base(push={"mode": "external", "external": EXTERNAL}))
    assert cfg.arn_env == "staging"


def test_external_push_queue_name_must_start_with_arn_env() -> None:
    found = problems(base(push={"mode": "external", "external": {**EXTERNAL, "arnEnv": "prod"}}))
    assert found == [
        "wire:push.external: queueName 'staging-gundeck-events' must start with 'prod-': arnEnv must match the "
        "environment name, the first part of queueName (use the values Wire sent unchanged)"
    ]


def test_external_push_needs_all_six_aws_fields() -> None:
    found = problems(base(push={"mode": "external", "external": {"awsKeyId": "AKIA"}}))
    for field in ("account", "region", "queueName", "arnEnv", "snsEndpoint", "sqsEndpoint"):
        assert f"wire:push.external.{field}: is required" in found


def test_external_mode_needs_the_external_section() -> None:
    assert "mode 'external' needs the six values Wire sent" in problems(base(push={"mode": "external"}))[0]


def test_push_app_names_must_not_contain_a_dash() -> None:
    found = problems(base(push={"mode": "create", "apps": [{"name": "com-wire", "platform": "GCM"}]}))
    assert any("push.apps[0].name" in p for p in found), found


def test_push_apps_only_in_create_mode() -> None:
    found = problems(base(push={"mode": "disabled", "apps": [{"name": "app", "platform": "GCM"}]}))
    assert "only created in mode 'create'" in found[0]


# --- cannon drain ----------------------------------------------------------------------------------


def test_default_drain_matches_the_guide() -> None:
    drain = load(base()).cannon.drain
    assert drain.min_rate_per_second == 400
    assert drain.drained_within_grace == 10000
    assert drain.summary() == "cannon drains at least 400 connections/s, 10000 within the 25 s grace period"
    assert drain.warnings() == []


@pytest.mark.parametrize("field", ["gracePeriodSeconds", "millisecondsBetweenBatches", "minBatchSize"])
@pytest.mark.parametrize("value", [0, -5])
def test_drain_options_are_positive_integers(field: str, value: int) -> None:
    assert any(f"wire:cannon.drain.{field}" in p for p in problems(base(cannon={"drain": {field: value}})))


def test_grace_period_over_a_day_is_rejected() -> None:
    found = problems(base(cannon={"drain": {"gracePeriodSeconds": 86401}}))
    assert found == ["wire:cannon.drain.gracePeriodSeconds: Input should be less than or equal to 86400"]


def test_the_guides_fastest_extreme_warns_about_reconnect_storms() -> None:
    cfg = load(base(cannon={"drain": {"gracePeriodSeconds": 1, "minBatchSize": 100000}}))
    assert any("severs (nearly) all websockets at once" in w for w in cfg.warnings())


def test_the_guides_slowest_extreme_warns_about_long_rollouts() -> None:
    drain = {"gracePeriodSeconds": 86400, "millisecondsBetweenBatches": 86400000, "minBatchSize": 1}
    cfg = load(base(cannon={"drain": drain}))
    assert any("replacing one cannon pod takes up to that long" in w for w in cfg.warnings())
    assert "86400 s grace period" in cfg.cannon.drain.summary()


# --- nginz upstreams -------------------------------------------------------------------------------


def test_ignored_upstreams_must_be_default_upstreams() -> None:
    assert "are not default upstreams" in problems(base(nginz={"ignoredUpstreams": ["ibis"]}))[0]


def test_extra_upstreams_must_be_optional_upstreams() -> None:
    assert "are not optional upstreams" in problems(base(nginz={"extraUpstreams": ["brig"]}))[0]


def test_upstream_namespace_must_name_an_enabled_upstream() -> None:
    found = problems(base(nginz={"upstreamNamespaces": {"ibis": "integrations"}}))
    assert "names 'ibis', which is not an enabled upstream" in found[0]
    ok = load(base(nginz={"extraUpstreams": ["ibis"], "upstreamNamespaces": {"ibis": "integrations"}}))
    assert ok.nginz.upstream_namespaces == {"ibis": "integrations"}


def test_upstream_namespace_of_an_ignored_default_upstream_is_rejected() -> None:
    found = problems(base(nginz={"ignoredUpstreams": ["spar"], "upstreamNamespaces": {"spar": "sso"}}))
    assert "not an enabled upstream" in found[0]


def test_proxy_upstream_requires_link_previews() -> None:
    assert "enable link previews" in problems(base(nginz={"extraUpstreams": ["proxy"]}))[0]
    cfg = load(base(nginz={"extraUpstreams": ["proxy"]}, linkPreviews={"enabled": True}))
    assert cfg.nginz.extra_upstreams == ["proxy"]


# --- separate websocket load balancer ------------------------------------------------------------------


def test_websocket_load_balancer_needs_a_hostname() -> None:
    found = problems(base(cannon={"websocketLoadBalancer": {"enabled": True, "certManager": {"enabled": True}}}))
    assert "needs hostname" in found[0]


@pytest.mark.parametrize(
    "tls_choice",
    [{}, {"certManager": {"enabled": True}, "tls": {"crt": "CERT"}}],
    ids=["neither", "both"],
)
def test_websocket_load_balancer_needs_cert_manager_or_tls(tls_choice: dict[str, Any]) -> None:
    lb = {"enabled": True, "hostname": "ws.example.com", **tls_choice}
    assert (
        "either certManager.enabled: true or a tls certificate"
        in problems(base(cannon={"websocketLoadBalancer": lb}))[0]
    )


def test_websocket_load_balancer_makes_cannon_an_ignored_upstream() -> None:
    lb = {"enabled": True, "hostname": "ws.example.com", "certManager": {"enabled": True}}
    cfg = load(base(cannon={"websocketLoadBalancer": lb}))
    assert cfg.nginz_ignored_upstreams == ["cannon"]
    assert load(base()).nginz_ignored_upstreams == []


# --- teams -----------------------------------------------------------------------------------------


def test_team_size_above_the_fanout_limit_is_allowed_with_a_warning() -> None:
    cfg = load(base(teams={"maxTeamSize": 2001}))
    assert any("above 2000 members" in w for w in cfg.warnings())
    assert load(base(teams={"maxTeamSize": 2000})).warnings() == []


def test_conversation_size_stays_within_the_fanout_limit() -> None:
    found = problems(base(teams={"maxConversationSize": 2001}))
    assert found == ["wire:teams.maxConversationSize: Input should be less than or equal to 2000"]


# --- email -----------------------------------------------------------------------------------------


def test_ses_and_smtp_are_mutually_exclusive() -> None:
    email = {"mode": "ses", "sender": "no-reply@example.com", "smtp": {"host": "smtp.example.com"}}
    assert "SES and SMTP are mutually exclusive" in problems(base(email=email))[0]


def test_smtp_mode_needs_the_smtp_section() -> None:
    assert "mode 'smtp' needs email.smtp" in problems(base(email={"mode": "smtp", "sender": "a@example.com"}))[0]


def test_ses_sender_must_be_on_the_configured_domain() -> None:
    found = problems(base(email={"mode": "ses", "sender": "no-reply@other.org"}))
    assert "must be an address on the domain 'example.com'" in found[0]


def test_smtp_sender_may_be_on_another_domain() -> None:
    cfg = load(base(email={"mode": "smtp", "sender": "no-reply@other.org", "smtp": {"host": "smtp.other.org"}}))
    assert cfg.email.smtp is not None and cfg.email.smtp.conn_type == "tls"


# --- credentials and secrets ---------------------------------------------------------------------------


def test_irsa_requires_the_oidc_provider() -> None:
    found = problems(base(serviceCredentials={"mode": "irsa"}))
    assert "mode 'irsa' needs oidcProviderArn" in found[0]
    assert (
        "mode 'irsa' needs oidcProviderArn"
        in problems({k: v for k, v in base().items() if k != "serviceCredentials"})[0]
    )


def test_static_keys_mode_needs_no_oidc_provider() -> None:
    assert load(base(serviceCredentials={"mode": "staticKeys"})).service_credentials.oidc_issuer is None


def test_oidc_issuer_is_derived_from_the_provider_arn() -> None:
    assert load(base()).service_credentials.oidc_issuer == "oidc.eks.eu-central-1.amazonaws.com/id/ABC123"


def test_a_secret_in_plain_text_is_an_error() -> None:
    email = {"mode": "smtp", "sender": "a@example.com", "smtp": {"host": "smtp.example.com", "password": "hunter2"}}
    found = problems(base(email=email))
    assert found == [
        "wire:email.smtp.password is stored in plain text; encrypt it: "
        "pulumi config set --secret --path 'wire:email.smtp.password' <value>"
    ]


def test_a_secure_value_is_accepted_and_never_printed() -> None:
    email = {"mode": "smtp", "sender": "a@example.com", "smtp": {"host": "smtp.example.com", "password": "hunter2"}}
    cfg = load(base(email=email), secret_keys={"email"})
    assert cfg.email.smtp is not None and cfg.email.smtp.password is not None
    assert "hunter2" not in repr(cfg) and "hunter2" not in str(cfg.model_dump())


def test_missing_required_secrets_are_errors_outside_the_offline_plan() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(base(), region="eu-central-1")
    assert "wire:secrets.zauthPrivateKeys is required; set it: pulumi config set --secret --path " in "\n".join(
        caught.value.problems
    )


def test_required_secrets_follow_the_modes() -> None:
    smtp = {"mode": "smtp", "sender": "a@example.com", "smtp": {"host": "smtp.example.com", "username": "wire"}}
    cfg = load(base(email=smtp, push={"mode": "external", "external": EXTERNAL}))
    needed = required_secrets(cfg)
    assert "email.smtp.password" in needed and "push.external.awsSecretKey" in needed
    assert "email.smtp.password" not in required_secrets(load(base()))


def test_sms_settings_are_rejected_with_an_explanation() -> None:
    found = problems(base(sms={"twilio": {"sid": "x"}}))
    assert found == [
        "sms: phone sign-up is not supported: the wire-server charts removed phone support in chart 5.4.0 "
        "(the Twilio/Nexmo secrets are gone); remove the sms section"
    ]


# --- names -----------------------------------------------------------------------------------------


def test_bucket_name_is_derived_deterministically() -> None:
    assert load(base()).bucket_name == "prod-example-com-wire-assets"
    assert load(base(assets={"bucketName": "my-assets"})).bucket_name == "my-assets"


@pytest.mark.parametrize("name", ["My_Bucket", "ab", "192.168.1.1", "a..b"])
def test_invalid_bucket_names_are_rejected(name: str) -> None:
    assert any("wire:assets" in p for p in problems(base(assets={"bucketName": name})))


def test_too_long_derived_bucket_name_asks_for_an_explicit_one() -> None:
    long_domain = ".".join(["a" * 20] * 3) + ".com"
    found = problems(base(domain=long_domain, email={"mode": "ses", "sender": f"x@{long_domain}"}))
    assert any("set assets.bucketName" in p for p in found)


def test_extra_values_only_for_known_releases() -> None:
    assert "extraValues has unknown releases ['wire']" in problems(base(extraValues={"wire": {}}))[0]


# --- the committed stacks -------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_validate(stack: str) -> None:
    loaded = read_stack_file(stack).load()
    assert loaded.config.environment == stack
    assert "secrets.zauthPrivateKeys" in loaded.missing_secrets


def test_dev_stack_targets_a_local_emulator_for_every_service() -> None:
    stack_file = read_stack_file("dev")
    endpoints = stack_file.config["aws:endpoints"][0]
    for service in ("sqs", "sns", "ses", "sesv2", "dynamodb", "s3", "route53", "iam", "sts"):
        assert endpoints[service] == "http://localhost:4566", service
    assert stack_file.config["aws:skipCredentialsValidation"] is True
    assert stack_file.config["aws:s3UsePathStyle"] is True


def test_link_previews_without_any_key_warn() -> None:
    cfg = load(base(linkPreviews={"enabled": True}))
    assert any("no API key is set" in w for w in cfg.warnings())
    with_key = load(base(linkPreviews={"enabled": True, "giphy": "key"}), secret_keys={"linkPreviews"})
    assert with_key.warnings() == []
