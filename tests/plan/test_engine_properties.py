"""Property: a configuration that passes validation never raises once the program runs, in `up` or preview.

Configurations are drawn across every mode and option; the ones validation refuses are discarded (a
refusal is the wanted outcome for them). Each accepted one runs the whole program under the mocks as
`pulumi up` and as a first preview: no exception, the same URNs, nothing registered inside an apply.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from components.config import ConfigError, load_config
from tests.engine_support import with_required_secrets
from tests.plan.test_engine import EXTERNAL_PUSH, assert_preview_matches_up

DOMAIN = "example.com"
ZONE = "Z0123456789EXAMPLE"
OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC123"
CMK = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

credentials = st.fixed_dictionaries(
    {"mode": st.sampled_from(["irsa", "staticKeys"])},
    optional={"kmsKeyArn": st.just(CMK)},
).map(lambda c: {**c, "oidcProviderArn": OIDC} if c["mode"] == "irsa" else c)

push = st.one_of(
    st.just({"mode": "disabled"}),
    st.lists(
        st.fixed_dictionaries(
            {"name": st.sampled_from(["com.example.wire", "wireexample"]), "platform": st.sampled_from(["APNS", "GCM"])}
        ),
        max_size=2,
        unique_by=lambda app: (app["name"], app["platform"]),
    ).map(lambda apps: {"mode": "create", "apps": apps}),
    st.just(EXTERNAL_PUSH),
)

email = st.one_of(
    st.fixed_dictionaries(
        {"mode": st.just("ses"), "sender": st.just(f"no-reply@{DOMAIN}")},
        optional={"ses": st.fixed_dictionaries({}, optional={"mailFromSubdomain": st.sampled_from(["email", "mail"])})},
    ),
    st.fixed_dictionaries(
        {"mode": st.just("smtp"), "sender": st.just(f"no-reply@{DOMAIN}"), "smtp": st.just({"host": "smtp.local"})},
    ),
    st.just({"mode": "smtp", "sender": "wire@mail.example.net", "smtp": {"host": "smtp.local", "username": "wire"}}),
)

target = st.one_of(
    st.just({"hostname": "lb.example.net"}),
    st.just({"hostname": "nlb.example.net", "aliasZoneId": "Z215JYRZR1TBD5"}),
    st.just({"ips": ["203.0.113.10"]}),
    st.just({"fromIngressController": True}),
)
hosts = st.lists(
    st.sampled_from(["nginz-https", "nginz-ssl", "webapp", "assets", "account", "teams", "federator"]),
    unique=True,
    max_size=7,
)
extra_records = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(["webapp", "www", "_dmarc", "email", "status", DOMAIN]),
            "type": st.sampled_from(["A", "CNAME", "TXT", "MX"]),
            "values": st.just(["10 mx.example.net"]),
        }
    ),
    max_size=2,
)
dns = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"zoneId": st.just(ZONE), "target": target},
        optional={"hosts": hosts, "federationSrv": st.booleans(), "extraRecords": extra_records},
    ),
)

ingress = st.one_of(
    st.none(),
    st.just({"controller": "none"}),
    st.just({"controller": "awsNlb"}),
    st.just({"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]}),
)

cannon = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "websocketLoadBalancer": st.fixed_dictionaries(
                {
                    "enabled": st.just(True),
                    "hostname": st.sampled_from([f"nginz-ssl.{DOMAIN}", f"ws.{DOMAIN}", f"webapp.{DOMAIN}"]),
                    "externalDns": st.booleans(),
                },
            ).map(lambda w: {**w, "certManager": {"enabled": True}})
        }
    ),
)

assets = st.fixed_dictionaries(
    {},
    optional={
        "cloudFront": st.just({"enabled": True, "keyPairId": "K2JCJMDEHXQW5F"}),
        "s3AddressingStyle": st.sampled_from(["auto", "path", "virtual"]),
    },
)

features = st.fixed_dictionaries(
    {"prekeyTable": st.booleans(), "teamEventsJournal": st.booleans(), "userJournal": st.booleans()}
)

web_apps = st.fixed_dictionaries(
    {"teamSettings": st.booleans(), "accountPages": st.booleans(), "selfHosted": st.booleans()}
)

# A stack that deploys releases names its cluster (load_stack refuses it otherwise).
kubernetes = st.one_of(
    st.just({"namespace": "wire", "kubeconfig": "/home/ops/.kube/wire"}),
    st.just({"namespace": "chat", "context": "kind-wire"}),
    st.just({"namespace": "wire", "clusterStack": "acme/cluster/prod"}),
)

wire = st.fixed_dictionaries(
    {
        "environment": st.sampled_from(["prod", "staging", "dev1"]),
        "domain": st.just(DOMAIN),
        "production": st.booleans(),
        "email": email,
        "databases": st.just({"rabbitmq": {"host": "rabbitmq"}, "postgresql": {"host": "postgresql"}}),
        "kubernetes": kubernetes,
    },
    optional={
        "serviceCredentials": credentials,
        "push": push,
        "dns": dns,
        "ingress": ingress,
        "cannon": cannon,
        "assets": assets,
        "features": features,
        "webApps": web_apps,
        "linkPreviews": st.just({"enabled": True}),
    },
)


def _valid(values: dict[str, Any]) -> bool:
    present = {key: value for key, value in values.items() if value is not None}
    try:
        load_config(present, region="eu-central-1", allow_missing_secrets=True)
    except ConfigError:
        return False
    return True


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    # Each example runs the whole program twice; shrinking would multiply that. The example is printed as drawn.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(wire)
def test_a_valid_configuration_never_raises_in_up_or_preview(values: dict[str, Any]) -> None:
    assume(_valid(values))
    config: dict[str, Any] = {"aws:region": "eu-central-1"}
    config |= {f"wire:{key}": value for key, value in values.items() if value is not None}
    assert_preview_matches_up(with_required_secrets(config))
