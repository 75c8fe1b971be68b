"""`StackConfig`: the rules across sections and the derived values."""

from __future__ import annotations

import botocore.session

from components import naming
from components.config import StackConfig
from tests.components.config.config_support import base, load, problems


def test_a_minimal_config_is_valid_and_defaults_to_irsa() -> None:
    cfg = load(base())
    assert cfg.service_credentials.mode == "irsa"
    assert cfg.arn_env == "prod"
    assert cfg.is_production


def test_ses_sender_must_be_on_the_configured_domain() -> None:
    found = problems(base(email={"mode": "ses", "sender": "no-reply@other.org"}))
    assert "must be an address on wire:domain 'example.com'" in found[0]


def test_proxy_upstream_requires_link_previews() -> None:
    assert "enable link previews" in problems(base(nginz={"extraUpstreams": ["proxy"]}))[0]
    cfg = load(base(nginz={"extraUpstreams": ["proxy"]}, linkPreviews={"enabled": True}))
    assert cfg.nginz.extra_upstreams == ["proxy"]


def test_websocket_load_balancer_makes_cannon_an_ignored_upstream() -> None:
    lb = {"enabled": True, "hostname": "ws.example.com", "certManager": {"enabled": True}}
    cfg = load(base(cannon={"websocketLoadBalancer": lb}))
    assert cfg.nginz_ignored_upstreams == ["cannon"]
    assert load(base()).nginz_ignored_upstreams == []


def test_sms_settings_are_rejected_with_an_explanation() -> None:
    found = problems(base(sms={"twilio": {"sid": "x"}}))
    assert found == [
        "wire:sms: phone sign-up is not supported: the wire-server charts removed phone support in chart 5.4.0 "
        "(the Twilio/Nexmo secrets are gone); remove the sms section"
    ]


def test_bucket_name_is_derived_deterministically() -> None:
    assert load(base()).bucket_name == "prod-example-com-wire-assets"
    assert load(base(assets={"bucketName": "my-assets"})).bucket_name == "my-assets"


def test_too_long_derived_bucket_name_asks_for_an_explicit_one() -> None:
    long_domain = ".".join(["a" * 20] * 3) + ".com"
    found = problems(base(domain=long_domain, email={"mode": "ses", "sender": f"x@{long_domain}"}))
    assert any("set wire:assets.bucketName" in p for p in found), found


def test_extra_values_only_for_known_releases() -> None:
    assert "wire:extraValues.wire: unknown release; allowed: wireServer" in problems(base(extraValues={"wire": {}}))[0]


def test_link_previews_without_any_key_warn() -> None:
    cfg = load(base(linkPreviews={"enabled": True}))
    assert any("no API key is set" in w for w in cfg.warnings())
    with_key = load(base(linkPreviews={"enabled": True, "giphy": "key"}), secret_keys={"linkPreviews"})
    assert with_key.warnings() == []


# --- AWS names: the environment pattern alone keeps them within AWS's limits ------------------------------

# SQS CreateQueue: "A queue name can have up to 80 characters"; SNS CreatePlatformApplication: "Application names
# ... between 1 and 256 characters" (botocore's models carry neither bound; IAM's is read from botocore below).
SQS_QUEUE_NAME_MAX = 80
SNS_PLATFORM_APPLICATION_NAME_MAX = 256


def longest_names_config() -> StackConfig:
    """The longest environment the pattern allows, every queue and a push app with the longest allowed name."""
    return load(
        base(
            environment="a" * 20,
            push={"mode": "create", "apps": [{"name": "b" * 200, "platform": "GCM"}]},
            features={"prekeyTable": True, "teamEventsJournal": True, "userJournal": True},
        )
    )


def test_the_longest_valid_environment_is_twenty_characters() -> None:
    assert load(base(environment="a" * 20)).environment == "a" * 20
    assert any("must be 1-20 lower-case letters" in p for p in problems(base(environment="a" * 21)))


def test_every_aws_name_of_the_longest_valid_inputs_is_within_aws_limits() -> None:
    iam = botocore.session.get_session().get_service_model("iam")
    role_name_max = iam.operation_model("CreateRole").input_shape.members["RoleName"].metadata["max"]
    cfg = longest_names_config()
    queues = [name for queue in naming.queues(cfg) for name in (queue, naming.dead_letter_queue(queue))]
    roles = [naming.service_role(cfg.environment, service) for service in naming.SERVICES]
    apps = [naming.platform_application(cfg.arn_env, app.name) for app in cfg.push.apps]
    assert sorted(naming.all_names(cfg)) == sorted(queues + roles + apps)
    assert len(queues) == 10 and max(len(name) for name in queues) <= SQS_QUEUE_NAME_MAX, queues
    assert max(len(name) for name in roles) <= role_name_max, roles
    assert apps and max(len(name) for name in apps) <= SNS_PLATFORM_APPLICATION_NAME_MAX, apps


def test_production_must_be_stated_and_never_follows_the_environment_name() -> None:
    values = base()
    del values["production"]
    assert any(
        p.startswith("wire:production: is required") and "pulumi config set wire:production true" in p
        for p in problems(values)
    )
    assert load(base(environment="prod", production=False)).is_production is False
    assert load(base(environment="production", production=True)).is_production is True
