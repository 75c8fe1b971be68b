"""The push section's rules."""

from __future__ import annotations

from components.config import load_config
from tests.components.config.config_support import EXTERNAL, base, load, problems


def test_external_push_takes_arn_env_from_wire() -> None:
    cfg = load(base(push={"mode": "external", "external": EXTERNAL}))
    assert cfg.arn_env == "staging"


def test_external_push_queue_name_must_start_with_arn_env() -> None:
    found = problems(base(push={"mode": "external", "external": {**EXTERNAL, "arnEnv": "prod"}}))
    assert found == [
        "wire:push.external.queueName: 'staging-gundeck-events' must start with 'prod-': arnEnv must match the "
        "environment name, the first part of queueName (use the values Wire sent unchanged)"
    ]


def test_external_push_needs_all_six_aws_fields() -> None:
    found = problems(base(push={"mode": "external", "external": {"awsKeyId": "AKIA"}}))
    for field in ("account", "region", "queueName", "arnEnv", "snsEndpoint", "sqsEndpoint"):
        assert f"wire:push.external.{field} is required; set it" in found


def test_external_mode_needs_the_external_section() -> None:
    found = problems(base(push={"mode": "external"}))
    assert "wire:push.external: is required with mode 'external': the values Wire sent" in found[0]


def test_push_app_names_must_not_contain_a_dash() -> None:
    found = problems(base(push={"mode": "create", "apps": [{"name": "com-wire", "platform": "GCM"}]}))
    assert any("push.apps[0].name" in p for p in found), found


def test_push_apps_only_in_create_mode() -> None:
    found = problems(
        base(push={"mode": "external", "external": EXTERNAL, "apps": [{"name": "app", "platform": "GCM"}]})
    )
    assert "only created in mode 'create'" in found[0]
    # Without a mode (disabled by default) apps are a mode forgotten.
    found = problems(base(push={"apps": [{"name": "app", "platform": "GCM"}]}))
    assert "only created in mode 'create'" in found[0]


def test_push_switched_off_keeps_its_apps_with_a_warning() -> None:
    cfg = load(base(push={"mode": "disabled", "apps": [{"name": "app", "platform": "GCM"}]}))
    assert [w for w in cfg.warnings() if w.startswith("wire:push.mode is disabled")] == [
        "wire:push.mode is disabled (no platform application, no push through Wire's account): wire:push.apps have "
        "no effect until mode is create (apps) or external (external); keep them for then, or remove them"
    ]


P8 = "-----BEGIN PRIVATE KEY-----\nMIGT\n-----END PRIVATE KEY-----\n"
CERT = "-----BEGIN CERTIFICATE-----\nMIIF\n-----END CERTIFICATE-----\n"
SERVICE_ACCOUNT = '{"type": "service_account", "private_key": "k", "client_email": "a@b.iam.gserviceaccount.com"}'


def apps(*entries: dict) -> dict:
    return base(push={"mode": "create", "apps": list(entries)})


def token_app(**overrides: str) -> dict:
    return {"name": "com.example.wire", "platform": "APNS", "auth": "token", "keyId": "ABC123DEFG"} | overrides


def test_apns_token_auth_needs_key_id_and_team_id() -> None:
    found = problems(apps({"name": "com.example.wire", "platform": "APNS_VOIP", "auth": "token"}))
    assert found == [
        "wire:push.apps[0]: keyId is required for token auth: the 10-character Key ID of the APNs signing key",
        "wire:push.apps[0]: teamId is required for token auth: the 10-character Apple Developer Team ID",
    ]


def test_apns_token_auth_checks_apple_ids_and_takes_no_certificate() -> None:
    found = problems(apps(token_app(teamId="team", principal="x")), secret_keys={"push"})
    assert "wire:push.apps[0]: teamId 'team' must be the 10-character Apple Developer Team ID (A-Z, 0-9)" in found
    assert any("principal is the certificate of certificate auth; token auth takes keyId" in p for p in found)


def test_apns_token_app_defaults_its_bundle_id_to_its_name() -> None:
    cfg = load(apps(token_app(teamId="TEAM123456", credential=P8)), secret_keys={"push"})
    (app,) = cfg.push.apps
    assert (app.key_id, app.team_id, app.apple_bundle_id) == ("ABC123DEFG", "TEAM123456", "com.example.wire")
    assert app.secret_fields == ["credential"]


def test_apns_credential_must_be_the_p8_signing_key() -> None:
    found = problems(apps(token_app(teamId="TEAM123456", credential="not a key")), secret_keys={"push"})
    (only,) = found
    assert only.startswith("wire:push.apps[0]: credential must be the APNs signing key (the .p8 file)")
    assert "pulumi config set --secret --path 'wire:push.apps[<index>].credential'" in only


def test_certificate_auth_is_the_apns_default_and_needs_both_secrets() -> None:
    cfg = load(apps({"name": "com.example.wire", "platform": "APNS"}))
    (app,) = cfg.push.apps
    assert app.auth == "certificate" and app.apple_bundle_id is None
    assert app.secret_fields == ["credential", "principal"]
    loaded = load_config(
        apps({"name": "com.example.wire", "platform": "APNS"}), region="eu-central-1", allow_missing_secrets=True
    )
    assert {"push.apps[0].credential", "push.apps[0].principal"} <= set(loaded.missing_secrets)


def test_certificate_auth_refuses_token_settings_and_checks_the_pem() -> None:
    found = problems(
        apps(
            {
                "name": "com.example.wire",
                "platform": "APNS",
                "teamId": "TEAM123456",
                "principal": P8,
                "credential": CERT,
            }
        ),
        secret_keys={"push"},
    )
    assert found[0] == (
        "wire:push.apps[0]: teamId: token-auth settings; set auth: token (signing key) or remove them (certificate)"
    )
    assert any("principal must be the APNs TLS certificate (PEM)" in p for p in found)
    assert any("credential must be the certificate's private key (PEM)" in p for p in found)


def test_gcm_takes_the_firebase_service_account_json_only() -> None:
    cfg = load(apps({"name": "wireexample", "platform": "GCM", "credential": SERVICE_ACCOUNT}), secret_keys={"push"})
    (app,) = cfg.push.apps
    assert app.auth == "token" and app.secret_fields == ["credential"]
    legacy = problems(
        apps({"name": "wireexample", "platform": "GCM", "credential": "AAAA-server-key"}), secret_keys={"push"}
    )
    assert legacy[0].startswith("wire:push.apps[0]: credential must be the Firebase service-account JSON (FCM HTTP v1")
    found = problems(apps({"name": "wireexample", "platform": "GCM", "auth": "certificate", "keyId": "ABC123DEFG"}))
    assert (
        "wire:push.apps[0]: GCM (FCM HTTP v1) authenticates with a token only: remove auth or set auth: token" in found
    )
    assert "wire:push.apps[0]: keyId: APNS settings; a GCM app takes only a credential" in found


def test_a_secret_still_to_set_is_not_checked() -> None:
    from components.config import PLACEHOLDER

    cfg = load(apps(token_app(teamId="TEAM123456", credential=PLACEHOLDER)), secret_keys={"push"})
    assert cfg.push.apps[0].credential is not None
