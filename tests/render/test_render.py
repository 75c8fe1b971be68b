"""Every stack (committed, corpus, variants) renders with Wire's real charts into valid, complete objects.

`helm template` of each release against its pinned chart (see plan/render.py for where helm and the
charts come from); then, over the rendered objects of all releases of the stack:
- Kubernetes' own schemas (kubernetes-validate, strict) for `wire:kubernetes.version` accept them;
- no value points at a `fake-aws` host, no `awsKeyId` is empty;
- each of brig, galley, gundeck, cargohold has either the IRSA role annotation or static keys, never both;
- every Secret key a pod reads (env secretKeyRef, volume items) exists in a rendered Secret.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.config import CredentialsMode, PushMode
from components.k8s.datastores import program_secrets
from plan.render import schema_problems
from tests.render.render_support import STACK_IDS, Manifests, kube_version, pod_spec, rendered, stack_cfg, workloads

AWS_SERVICES = ("brig", "galley", "gundeck", "cargohold")
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_objects_pass_the_kubernetes_schemas(stack_id: str) -> None:
    manifests = rendered(stack_id)
    assert manifests.by_release, "nothing rendered"
    assert schema_problems(list(manifests.all()), kube_version(stack_cfg(stack_id))) == []


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_no_fake_aws_and_no_empty_key_id(stack_id: str) -> None:
    manifests = rendered(stack_id)
    for obj in manifests.all():
        text = json.dumps(obj)
        # Only comments of the chart's own config templates may mention fake-aws; no value may point there.
        for line in _value_lines(obj):
            assert "fake-aws" not in line, f"{obj['kind']}/{obj['metadata']['name']} points at fake-aws: {line}"
        assert '"awsKeyId": ""' not in text
    for name in AWS_SERVICES:
        secret = manifests.find("Secret", name) or manifests.find("Secret", f"{name}-aws")
        data = (secret or {}).get("data") or {}
        if "awsKeyId" in data:
            assert data["awsKeyId"], f"{name}: empty awsKeyId"


def _value_lines(obj: dict[str, Any]) -> list[str]:
    """Every string in the object, config files split into lines without their comments."""
    lines: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            lines.extend(line.split("#", 1)[0] for line in node.splitlines())

    walk(obj)
    return lines


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_irsa_annotation_xor_static_keys(stack_id: str) -> None:
    cfg = stack_cfg(stack_id)
    manifests = rendered(stack_id)
    for service in AWS_SERVICES:
        account = manifests.find("ServiceAccount", service)
        annotated = IRSA_ANNOTATION in ((account or {}).get("metadata", {}).get("annotations") or {})
        env = manifests.env("Deployment", service)
        static = "AWS_ACCESS_KEY_ID" in env and "AWS_SECRET_ACCESS_KEY" in env
        external_push = service == "gundeck" and cfg.push.mode == PushMode.EXTERNAL
        expect_static = cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS or external_push
        assert annotated != static, f"{service}: IRSA annotation {annotated}, static keys {static}"
        assert static == expect_static, f"{service}: static keys {static}, expected {expect_static}"
        if annotated:
            assert pod_spec(manifests.get("Deployment", service)).get("serviceAccountName") == service


def _secret_references(obj: dict[str, Any]) -> list[tuple[str, str | None, bool]]:
    """(secret, key or None for the whole secret, optional) read by a workload."""
    spec = pod_spec(obj)
    found: list[tuple[str, str | None, bool]] = []
    for container in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
        for item in container.get("env") or []:
            ref = (item.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                found.append((ref["name"], ref["key"], bool(ref.get("optional"))))
        for item in container.get("envFrom") or []:
            ref = item.get("secretRef")
            if ref:
                found.append((ref["name"], None, bool(ref.get("optional"))))
    for volume in spec.get("volumes") or []:
        sources = [volume.get("secret")] + [
            source.get("secret") for source in (volume.get("projected") or {}).get("sources") or []
        ]
        for source in sources:
            if not source:
                continue
            name = source.get("secretName") or source.get("name")
            optional = bool(source.get("optional"))
            items = source.get("items") or []
            found += [(name, item["key"], optional) for item in items] or [(name, None, optional)]
    return found


def _created_at_runtime(manifests: Manifests) -> set[str]:
    """Secrets no chart renders because something rendered creates them once it runs."""
    # cert-manager writes a Certificate's Secret once the certificate is issued.
    names = {cert["spec"]["secretName"] for cert in manifests.of_kind("Certificate")}
    for workload in workloads(manifests):
        spec = pod_spec(workload)
        for container in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
            # Envoy Gateway's certgen Job (a pre-install hook) writes the controller's `envoy-gateway` Secret.
            if container.get("command") == ["envoy-gateway", "certgen"]:
                names.add("envoy-gateway")
            # e.g. ingress-nginx's admission Job (`--secret-name=`), metallb's controller (METALLB_ML_SECRET_NAME).
            for arg in container.get("args") or []:
                if str(arg).startswith("--secret-name="):
                    names.add(str(arg).split("=", 1)[1])
            for item in container.get("env") or []:
                if item["name"].endswith("SECRET_NAME") and "value" in item:
                    names.add(item["value"])
    return names


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_every_referenced_secret_key_is_rendered(stack_id: str) -> None:
    manifests = rendered(stack_id)
    issued = _created_at_runtime(manifests)
    # Secrets the program creates itself next to the releases (Amazon's CAs for a managed RabbitMQ).
    own = program_secrets(stack_cfg(stack_id))
    missing = []
    for workload in workloads(manifests):
        for secret, key, optional in _secret_references(workload):
            if optional or secret in issued:
                continue
            where = f"{workload['kind']}/{workload['metadata']['name']}"
            if secret in own:
                if key is not None and key not in own[secret]:
                    missing.append(f"{where}: the program's Secret {secret} has no key {key}")
                continue
            if manifests.find("Secret", secret) is None:
                missing.append(f"{where}: Secret {secret} is not rendered")
            elif key is not None and key not in manifests.secret_keys(secret):
                missing.append(f"{where}: Secret {secret} has no key {key}")
    assert missing == []


def _routed_services(manifests: Manifests) -> set[str]:
    """The Services nginx-ingress-services' Ingresses send traffic to."""
    names = set()
    for ingress in manifests.by_release.get("nginx-ingress-services", []):
        if ingress.get("kind") != "Ingress":
            continue
        for rule in ingress["spec"].get("rules") or []:
            for path in (rule.get("http") or {}).get("paths") or []:
                names.add(path["backend"]["service"]["name"])
    return names


@pytest.mark.parametrize("stack_id", STACK_IDS)
def test_every_routed_service_exists_exactly_once(stack_id: str) -> None:
    manifests = rendered(stack_id)
    owners: dict[str, list[str]] = {}
    for release, objects in manifests.by_release.items():
        for obj in objects:
            if obj.get("kind") == "Service":
                owners.setdefault(obj["metadata"]["name"], []).append(release)
    routed = _routed_services(manifests)
    assert routed, "nginx-ingress-services routes nowhere"
    # A Service of an optional chart not available here (webapp) may be missing, never doubled.
    optional = {release for release in ("webapp", "team-settings") if release not in manifests.by_release}
    problems = {
        name: owners.get(name, [])
        for name in routed
        if len(owners.get(name, [])) > 1 or (not owners.get(name) and not _served_by(name, optional))
    }
    assert problems == {}, f"routed Services without exactly one owner: {problems}"
    # ... and each selects the pods of a rendered workload (e.g. account-pages 0.9 labels them app:, not
    # wireService: as 4.14.0 did).
    pod_labels = [(pod_template_labels(obj)) for obj in workloads(manifests)]
    unselected = []
    for name in sorted(routed):
        service = manifests.find("Service", name)
        selector = ((service or {}).get("spec") or {}).get("selector")
        if service is None or not selector or _served_by(name, optional):
            continue
        if not any(selector.items() <= labels.items() for labels in pod_labels):
            unselected.append(f"{name}: {selector}")
    assert unselected == [], f"routed Services that select no rendered pods: {unselected}"


def pod_template_labels(obj: dict[str, Any]) -> dict[str, str]:
    if obj["kind"] == "Pod":
        return obj["metadata"].get("labels") or {}
    template = obj["spec"]["jobTemplate"]["spec"]["template"] if obj["kind"] == "CronJob" else obj["spec"]["template"]
    return template["metadata"].get("labels") or {}


def _served_by(service: str, releases: set[str]) -> bool:
    return any(service.startswith(release) for release in releases)
