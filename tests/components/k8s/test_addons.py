"""ClusterAddons and the add-on roles under the Pulumi mocks: what is registered, who trusts whom, and the
order the Wire releases wait in."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws.addons import addon_identities
from components.config import StackConfig
from components.k8s.addons import ClusterAddons
from components.k8s.provider import kubernetes_provider
from components.k8s.releases import WireReleases
from plan.mocks import Evaluation, run_program
from plan.registrations import reveal_secrets
from tests.components.k8s.k8s_support import OIDC, aws_outputs, make_cfg

RELEASE = "kubernetes:helm.sh/v3:Release"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer"
ZONE = {"zoneId": "Z0123456789EXAMPLE", "target": {"fromIngressController": True}, "hosts": ["nginz-https"]}
BOTH = {
    "certManager": {"install": True, "issuer": "dns01", "email": "ops@example.org"},
    "awsLoadBalancerController": {"install": True, "clusterName": "wire-staging"},
}
WSLB = {
    "websocketLoadBalancer": {
        "enabled": True,
        "hostname": "nginz-ssl.example.org",
        "certManager": {"enabled": True},
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-type": "external"},
    }
}


def evaluate(cfg: StackConfig) -> tuple[Evaluation, ClusterAddons]:
    built: dict[str, Any] = {}

    def program() -> Any:
        provider = aws.Provider("aws", region=cfg.region)
        k8s_provider = kubernetes_provider(cfg)
        addons = ClusterAddons("addons", cfg, addon_identities(cfg, provider), provider=k8s_provider)
        queue = aws.sqs.Queue("brig-internal")
        WireReleases(
            "wire",
            cfg,
            aws=queue.url.apply(lambda _: aws_outputs(cfg)),
            depends_on=[queue],
            provider=k8s_provider,
            certificates=addons.certificates,
            load_balancers=addons.load_balancers,
        )
        built["addons"] = addons
        return pulumi.Output.all(**addons.value_trees)

    evaluation = run_program(program, config={"aws:region": cfg.region})
    return evaluation, built["addons"]


def full_cfg(**overrides: Any) -> StackConfig:
    return make_cfg(addons=BOTH, dns=ZONE, ingress={"controller": "awsNlb"}, cannon=WSLB, **overrides)


def test_both_add_ons_are_pinned_releases_in_their_namespaces() -> None:
    evaluation, _ = evaluate(full_cfg())
    cert_manager = evaluation.one(RELEASE, "cert-manager").inputs
    assert (cert_manager["chart"], cert_manager["version"]) == ("cert-manager", "v1.16.3")
    assert cert_manager["repositoryOpts"] == {"repo": "https://charts.jetstack.io"}
    assert cert_manager["namespace"] == "cert-manager"
    assert cert_manager["values"]["crds"]["enabled"] is True
    controller = evaluation.one(RELEASE, "aws-load-balancer-controller").inputs
    assert (controller["chart"], controller["version"]) == ("aws-load-balancer-controller", "1.17.1")
    assert controller["repositoryOpts"] == {"repo": "https://aws.github.io/eks-charts"}
    assert controller["namespace"] == "kube-system"
    assert controller["values"]["clusterName"] == "wire-staging"


def test_roles_trust_one_service_account_and_reach_the_charts() -> None:
    evaluation, _ = evaluate(full_cfg())
    issuer = OIDC.split("oidc-provider/", 1)[1]
    for name, subject, release in (
        ("staging-cert-manager", "system:serviceaccount:cert-manager:cert-manager", "cert-manager"),
        (
            "staging-aws-load-balancer-controller",
            "system:serviceaccount:kube-system:aws-load-balancer-controller",
            "aws-load-balancer-controller",
        ),
    ):
        role = evaluation.one(ROLE, name)
        (trust,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert trust["Principal"] == {"Federated": OIDC}
        assert trust["Condition"]["StringEquals"][f"{issuer}:sub"] == subject
        policy = evaluation.one(ROLE_POLICY, name)
        assert policy.inputs["role"] == name
        annotations = evaluation.one(RELEASE, release).inputs["values"]["serviceAccount"]["annotations"]
        assert annotations["eks.amazonaws.com/role-arn"].endswith(f":role/{name}")
        release_deps = evaluation.one(RELEASE, release).dependencies
        assert role.urn in release_deps and policy.urn in release_deps


def test_dns01_role_may_touch_only_the_stacks_zone() -> None:
    evaluation, _ = evaluate(full_cfg())
    document = json.loads(reveal_secrets(evaluation.one(ROLE_POLICY, "staging-cert-manager").inputs["policy"]))
    zone_arns = {r for item in document["Statement"] for r in item["Resource"] if "hostedzone" in r}
    assert zone_arns == {"arn:aws:route53:::hostedzone/Z0123456789EXAMPLE"}


def test_http01_needs_no_role() -> None:
    cfg = make_cfg(addons={"certManager": {"install": True, "email": "ops@example.org"}})
    evaluation, _ = evaluate(cfg)
    assert not evaluation.find(ROLE, "staging-cert-manager")
    values = evaluation.one(RELEASE, "cert-manager").inputs["values"]
    assert "annotations" not in values["serviceAccount"]
    assert not evaluation.find(RELEASE, "aws-load-balancer-controller")


def test_the_cluster_issuer_follows_cert_manager() -> None:
    evaluation, addons = evaluate(full_cfg())
    issuer = evaluation.one(ISSUER, "cluster-issuer-letsencrypt")
    assert evaluation.one(RELEASE, "cert-manager").urn in issuer.dependencies
    assert issuer.inputs["spec"]["acme"]["solvers"][0]["dns01"]["route53"]["hostedZoneID"] == "Z0123456789EXAMPLE"
    assert addons.cluster_issuer is not None


def test_wire_releases_wait_for_the_add_ons_they_need() -> None:
    evaluation, _ = evaluate(full_cfg())
    cert_manager = evaluation.one(RELEASE, "cert-manager").urn
    controller = evaluation.one(RELEASE, "aws-load-balancer-controller").urn
    assert controller in evaluation.one(RELEASE, "ingress-nginx").dependencies
    assert cert_manager not in evaluation.one(RELEASE, "ingress-nginx").dependencies
    nginx_ingress_services = evaluation.one(RELEASE, "nginx-ingress-services").dependencies
    assert cert_manager in nginx_ingress_services and controller not in nginx_ingress_services
    # cannon's own load balancer and its certificate are part of wire-server.
    wire_server = evaluation.one(RELEASE, "wire-server").dependencies
    assert controller in wire_server and cert_manager in wire_server


def test_wire_server_does_not_wait_for_add_ons_without_cannons_load_balancer() -> None:
    evaluation, _ = evaluate(make_cfg(addons=BOTH, dns=ZONE, ingress={"controller": "awsNlb"}))
    wire_server = evaluation.one(RELEASE, "wire-server").dependencies
    assert not [urn for urn in wire_server if "ClusterAddons" in urn or "AddonIdentity" in urn]


def test_nothing_is_registered_for_add_ons_that_are_off() -> None:
    evaluation, addons = evaluate(make_cfg())
    assert not evaluation.find(RELEASE, "cert-manager")
    assert not evaluation.find(RELEASE, "aws-load-balancer-controller")
    assert not evaluation.find(ROLE) and not evaluation.find(ISSUER)
    assert addons.certificates == [] and addons.load_balancers == [] and addons.value_trees == {}
