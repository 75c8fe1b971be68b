"""brig: email modes, optional AWS keys, URLs, team size, secrets."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from components.k8s.values.wire_server import wire_server_values
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from tests.components.k8s.values.values_support import SMTP, walk, ws


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
    # The chart writes smtp-password.txt whenever useSES is false; brig never reads it without a user.
    assert brig["secrets"]["smtpPassword"] == ""


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
    assert wire_server_values(cfg, empty)["brig"]["config"]["aws"]["prekeyTable"] == "staging-brig-prekeys"


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
