"""The WireReleases component under the Pulumi mocks: releases, charts, dependencies, secrecy, hostnames."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pytest
from pydantic import SecretStr

from components.config import StackConfig
from components.k8s.provider import kubernetes_provider
from components.k8s.releases import WireReleases
from plan.mocks import Evaluation, run_program
from plan.registrations import Secret, contains_secret
from tests.components.k8s.k8s_support import aws_outputs, make_cfg

RELEASE = "kubernetes:helm.sh/v3:Release"
SERVICE = "kubernetes:core/v1:Service"
WSLB = {
    "websocketLoadBalancer": {"enabled": True, "hostname": "nginz-ssl.example.org", "certManager": {"enabled": True}}
}


def evaluate(cfg: StackConfig, *, preview: bool = False) -> tuple[Evaluation, dict[str, Any]]:
    """Run WireReleases with one queue as the caller's dependency; result: hostnames and value trees."""
    built: dict[str, Any] = {}

    def program() -> Any:
        queue = aws.sqs.Queue("brig-internal")
        # Like the real record: the AWS outputs arrive through a resource's output.
        record = queue.url.apply(lambda _url: aws_outputs(cfg))
        releases = WireReleases("wire", cfg, aws=record, depends_on=[queue], provider=kubernetes_provider(cfg))
        built["component"] = releases
        return pulumi.Output.all(
            ingress=releases.ingress_hostname,
            websocket=releases.websocket_hostname,
            trees=pulumi.Output.all(**releases.value_trees),
        )

    evaluation = run_program(program, config={"aws:region": cfg.region}, preview=preview)
    return evaluation, evaluation.result or {}


def test_default_releases_charts_and_namespace() -> None:
    evaluation, _ = evaluate(make_cfg(kubernetes={"namespace": "chat"}))
    names = sorted(r.name for r in evaluation.find(RELEASE))
    assert names == ["nginx-ingress-services", "webapp", "wire-server"]
    wire = evaluation.one(RELEASE, "wire-server").inputs
    assert wire["chart"] == "wire-server"
    # The newest Wire release's, with its repositories (webapp from charts-webapp).
    assert wire["version"] == "5.32.0"
    assert wire["repositoryOpts"] == {"repo": "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"}
    assert wire["namespace"] == "chat"
    assert wire["name"] == "wire-server"
    assert wire["createNamespace"] is True
    assert evaluation.one(RELEASE, "nginx-ingress-services").inputs["namespace"] == "chat"
    webapp = evaluation.one(RELEASE, "webapp").inputs
    assert (webapp["chart"], webapp["namespace"]) == ("webapp", "chat")
    assert webapp["repositoryOpts"] == {"repo": "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-webapp"}
    assert not evaluation.find("kubernetes:helm.sh/v4:Chart")


def test_a_failed_release_is_rolled_back_not_left_failed() -> None:
    """atomic + cleanup_on_fail: no release left in state `failed`; ready includes completed Jobs."""
    evaluation, _ = evaluate(make_cfg(ingress={"controller": "awsNlb"}))
    for release in evaluation.find(RELEASE):
        inputs = release.inputs
        assert inputs["atomic"] is True and inputs["cleanupOnFail"] is True, release.name
        assert inputs["waitForJobs"] is True and not inputs.get("skipAwait"), release.name
        assert inputs["timeout"] == (1200 if release.name == "wire-server" else 600), release.name


def test_releases_are_children_of_the_component_on_the_provider() -> None:
    evaluation, _ = evaluate(make_cfg())
    component = evaluation.one("wire:k8s:WireReleases", "wire")
    provider = evaluation.one("pulumi:providers:kubernetes")
    for release in evaluation.find(RELEASE):
        assert release.parent == component.urn
        assert release.provider is not None and release.provider.startswith(provider.urn)


def test_wire_server_depends_only_on_the_given_resources() -> None:
    evaluation, _ = evaluate(make_cfg(ingress={"controller": "awsNlb"}, cannon=WSLB))
    queue = evaluation.one("aws:sqs/queue:Queue", "brig-internal")
    wire = evaluation.one(RELEASE, "wire-server")
    assert queue.urn in wire.dependencies
    for urn in wire.dependencies:
        dependency = evaluation.by_urn(urn)
        assert dependency.urn == queue.urn, f"wire-server must not wait for {dependency.type}"
    assert not [urn for urn in wire.dependencies if "route53" in urn or ":ses" in urn]


def test_config_only_releases_do_not_wait_for_aws() -> None:
    evaluation, _ = evaluate(make_cfg(webApps={"teamSettings": True, "accountPages": True}))
    queue = evaluation.one("aws:sqs/queue:Queue", "brig-internal")
    for name in ("nginx-ingress-services", "team-settings", "account-pages"):
        assert queue.urn not in evaluation.one(RELEASE, name).dependencies


def test_webapp_waits_for_the_asset_host_only() -> None:
    # Its CSP names the CloudFront domain, an AWS output; nothing else of AWS.
    evaluation, result = evaluate(make_cfg(assets={"cloudFront": {"enabled": True, "keyPairId": "K1"}}))
    webapp = result["trees"]["webapp"]
    assert "cloudfront.net" in webapp["envVars"]["CSP_EXTRA_CONNECT_SRC"]
    assert not [urn for urn in evaluation.one(RELEASE, "webapp").dependencies if "route53" in urn or ":ses" in urn]


def test_values_are_secret_exactly_when_a_leaf_is() -> None:
    evaluation, result = evaluate(make_cfg(webApps={"teamSettings": True}))
    wire = evaluation.one(RELEASE, "wire-server").inputs["values"]
    assert isinstance(wire, Secret)
    assert wire.value["brig"]["secrets"]["zAuth"]["privateKeys"] == "zauth-private"
    for name in ("nginx-ingress-services", "team-settings"):
        values = evaluation.one(RELEASE, name).inputs["values"]
        assert not contains_secret(values)
        assert values["fakeS3" if name == "nginx-ingress-services" else "envVars"]
    # The value trees for the offline plan keep SecretStr leaves, unrevealed.
    trees = result["trees"]
    assert isinstance(trees["wire-server"]["brig"]["secrets"]["zAuth"]["privateKeys"], SecretStr)


def test_static_keys_reach_the_chart_only_as_secret() -> None:
    cfg = make_cfg(serviceCredentials={"mode": "staticKeys", "oidcProviderArn": None})
    evaluation, _ = evaluate(cfg)
    wire = evaluation.one(RELEASE, "wire-server").inputs["values"]
    assert isinstance(wire, Secret)
    assert wire.value["cargohold"]["secrets"]["awsSecretKey"] == "secret-cargohold"


def test_aws_nlb_entry_point_and_hostnames() -> None:
    evaluation, result = evaluate(make_cfg(ingress={"controller": "awsNlb"}, cannon=WSLB))
    ingress = evaluation.one(RELEASE, "ingress-nginx")
    assert ingress.inputs["namespace"] == "ingress-nginx"
    assert ingress.inputs["chart"] == "ingress-nginx"
    assert ingress.inputs["repositoryOpts"] == {"repo": "https://kubernetes.github.io/ingress-nginx"}
    assert ingress.urn in evaluation.one(RELEASE, "nginx-ingress-services").dependencies
    reads = {r.name: r for r in evaluation.find(SERVICE) if r.read}
    assert reads["ingress-nginx-controller"].inputs["id"] == "ingress-nginx/ingress-nginx-controller"
    assert ingress.urn in reads["ingress-nginx-controller"].dependencies
    assert reads["cannon-nginz"].inputs["id"] == "wire/cannon-nginz"
    assert evaluation.one(RELEASE, "wire-server").urn in reads["cannon-nginz"].dependencies
    assert result["ingress"].startswith("mock-ingress-nginx-controller-")
    assert result["ingress"].endswith(".elb.eu-central-1.amazonaws.com")
    assert result["websocket"].startswith("mock-cannon-nginz-")


def test_no_hostnames_without_entry_point_or_websocket_lb() -> None:
    evaluation, result = evaluate(make_cfg())
    assert not evaluation.find(SERVICE)
    assert result["ingress"] is None and result["websocket"] is None


def test_metallb_entry_point_with_address_pool_resources() -> None:
    cfg = make_cfg(ingress={"controller": "metallb", "metallbAddresses": ["203.0.113.10/32"]})
    evaluation, result = evaluate(cfg)
    metallb = evaluation.one(RELEASE, "metallb")
    assert metallb.inputs["namespace"] == "metallb-system"
    assert metallb.inputs["repositoryOpts"] == {"repo": "https://metallb.github.io/metallb"}
    pool = evaluation.one("kubernetes:metallb.io/v1beta1:IPAddressPool")
    assert pool.inputs["spec"] == {"addresses": ["203.0.113.10/32"]}
    assert metallb.urn in pool.dependencies
    advertisement = evaluation.one("kubernetes:metallb.io/v1beta1:L2Advertisement")
    assert metallb.urn in advertisement.dependencies
    ingress = evaluation.one(RELEASE, "ingress-nginx")
    assert pool.urn in ingress.dependencies
    assert result["ingress"] is None  # DNS points at the pool's addresses (dns.target.ips)


def test_local_chart_path() -> None:
    cfg = make_cfg(charts={"wireServer": {"chart": "wire-server", "path": "./charts/wire-server"}})
    evaluation, _ = evaluate(cfg)
    wire = evaluation.one(RELEASE, "wire-server").inputs
    assert wire["chart"] == "./charts/wire-server"
    assert "repositoryOpts" not in wire and "version" not in wire


def test_no_fake_aws_release() -> None:
    evaluation, _ = evaluate(make_cfg(ingress={"controller": "awsNlb"}, webApps={"teamSettings": True}))
    assert not [r for r in evaluation.resources if "fake-aws" in r.name or "fake-aws" in str(r.inputs)]


def test_preview_with_unknown_aws_outputs() -> None:
    evaluation, _ = evaluate(make_cfg(ingress={"controller": "awsNlb"}), preview=True)
    assert sorted(r.name for r in evaluation.find(RELEASE)) == [
        "ingress-nginx",
        "nginx-ingress-services",
        "webapp",
        "wire-server",
    ]


@pytest.mark.parametrize(
    ("kubernetes", "expected"),
    [
        ({"context": "kind-wire"}, {"context": "kind-wire"}),
        ({"kubeconfig": "/etc/wire/kubeconfig"}, {"kubeconfig": "/etc/wire/kubeconfig"}),
        ({}, {}),
    ],
)
def test_kubernetes_provider(kubernetes: dict, expected: dict) -> None:
    cfg = make_cfg(kubernetes={"namespace": "chat", **kubernetes})
    evaluation = run_program(lambda: kubernetes_provider(cfg))
    provider = evaluation.one("pulumi:providers:kubernetes").inputs
    assert provider["namespace"] == "chat"
    for key in ("context", "kubeconfig"):
        assert provider.get(key) == expected.get(key)


def test_cannon_rolls_when_its_rabbitmq_credentials_change() -> None:
    from components.k8s.datastores import CANNON_CREDENTIALS_ANNOTATION, rabbitmq_credentials_digest

    evaluation, _ = evaluate(make_cfg())
    patch = evaluation.one("kubernetes:apps/v1:StatefulSetPatch", "cannon-credentials")
    assert evaluation.one(RELEASE, "wire-server").urn in patch.dependencies
    assert isinstance(patch.inputs["spec"], Secret)
    annotations = patch.inputs["spec"].value["template"]["metadata"]["annotations"]
    cfg = make_cfg()
    assert annotations[CANNON_CREDENTIALS_ANNOTATION] == rabbitmq_credentials_digest(cfg, aws_outputs(cfg))
    changed = cfg.model_copy(
        update={
            "databases": cfg.databases.model_copy(
                update={"rabbitmq": cfg.databases.rabbitmq.model_copy(update={"password": SecretStr("rotated")})}
            )
        }
    )
    assert rabbitmq_credentials_digest(changed, aws_outputs(changed)) != annotations[CANNON_CREDENTIALS_ANNOTATION]


def test_a_managed_rabbitmq_ca_secret_lands_in_a_namespace_that_exists_first() -> None:
    # The CA Secret precedes every release (helm's create_namespace comes too late for it): the namespace is
    # ensured by a patch (created when missing, never owned), so one `pulumi up` on a new cluster works.
    from components.k8s.datastores import PART_OF_WIRE_INFRA
    from components.k8s.values.datastores import CA_SECRET_NAME

    network = {
        "vpcId": "vpc-0a1b2c3d4e5f60718",
        "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"],
        "clientSecurityGroupIds": ["sg-0a1b2c3d4e5f60799"],
    }
    managed = {"host": None, "username": None, "password": None, "managed": {}}
    cfg = make_cfg(network=network, databases={"rabbitmq": managed}, kubernetes={"namespace": "chat"})
    evaluation, _ = evaluate(cfg)
    namespace = evaluation.one("kubernetes:core/v1:NamespacePatch", "wire-namespace")
    assert namespace.inputs["metadata"] == {"name": "chat", "labels": PART_OF_WIRE_INFRA}
    secret = evaluation.one("kubernetes:core/v1:Secret", CA_SECRET_NAME)
    assert secret.inputs["metadata"]["namespace"] == "chat" and namespace.urn in secret.dependencies
    assert secret.urn in evaluation.one(RELEASE, "wire-server").dependencies
    assert not evaluate(make_cfg())[0].find("kubernetes:core/v1:NamespacePatch")
