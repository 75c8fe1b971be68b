"""`wire:verify.inCluster`: the program registers verify's ConfigMap and one Job per service after wire-server."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import yaml

from components.stackfile import PROJECT_ROOT, read_stack_file
from plan.runner import evaluate_config, prepare

JOB = "kubernetes:batch/v1:Job"
CONFIGMAP = "kubernetes:core/v1:ConfigMap"
RELEASE = "kubernetes:helm.sh/v3:Release"


def _evaluate(tmp_path: Path, verify: dict | None):
    document = yaml.safe_load((PROJECT_ROOT / "Pulumi.dev.yaml").read_text())
    if verify is not None:
        document["config"]["wire:verify"] = verify
    (tmp_path / "Pulumi.dev.yaml").write_text(yaml.safe_dump(document))
    cfg, runtime, secret_keys, missing = prepare(read_stack_file("dev", tmp_path))
    return evaluate_config("dev", cfg, runtime, secret_keys, missing)


def test_opt_in_jobs_follow_the_release(tmp_path: Path) -> None:
    plan = _evaluate(tmp_path, {"inCluster": True, "image": "registry.internal/lambda-python:3.12"})
    evaluation = plan.evaluation
    jobs = {job.name: job for job in evaluation.find(JOB)}
    assert set(jobs) == {f"wire-infra-verify-{svc}" for svc in ("brig", "galley", "gundeck", "cargohold", "datastores")}
    release = evaluation.one(RELEASE, "wire-server")
    configmap = evaluation.one(CONFIGMAP, "wire-infra-verify")
    for job in jobs.values():
        assert release.urn in job.dependencies and configmap.urn in job.dependencies
        manifest = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": job.inputs["metadata"],
            "spec": job.inputs["spec"],
        }
        kubernetes_validate.validate(manifest, "1.30", strict=True)
        pod = job.inputs["spec"]["template"]["spec"]
        assert job.inputs["metadata"]["namespace"] == "wire"
        assert job.inputs["metadata"]["annotations"] == {"pulumi.com/replaceUnready": "true"}
        assert pod["containers"][0]["image"] == "registry.internal/lambda-python:3.12"
        env = {item["name"]: item for item in pod["containers"][0]["env"]}
        assert env["AWS_REGION"]["value"] == "eu-west-1"
    assert "probes.py" in configmap.inputs["data"]


def test_off_by_default(tmp_path: Path) -> None:
    evaluation = _evaluate(tmp_path, None).evaluation
    assert evaluation.find(JOB) == [] and evaluation.find(CONFIGMAP) == []
