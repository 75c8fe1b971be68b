"""The in-cluster copy's manifests: Kubernetes' schemas, the Indexed Job's shape, credentials by reference only,
and pod code that imports with nothing but the standard library and boto3."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import kubernetes_validate
import pytest

from migrate import incluster
from migrate.cli import main
from migrate.shard import ShardSpec

KUBERNETES = "1.30"  # as verify's in-cluster Jobs (tests/verify/test_verify_incluster.py)


def _spec(**changes: object) -> ShardSpec:
    values: dict = {
        "source_url": "http://fake-aws-s3:9000",
        "source_bucket": "dummy-bucket",
        "source_region": "us-east-1",
        "destination_bucket": "prod-wire-assets",
        "destination_region": "eu-central-1",
        "destination_url": None,
        "shards": 6,
    }
    return ShardSpec(**(values | changes))  # type: ignore[arg-type]


def test_the_indexed_job_passes_the_schemas_and_lets_kubernetes_schedule_and_retry() -> None:
    documents = incluster.manifests(_spec(), incluster.JobSettings(namespace="wire", parallelism=4))
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES, strict=True)
    configmap, job = documents
    assert (configmap["kind"], job["kind"]) == ("ConfigMap", "Job")
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == 6 and spec["parallelism"] == 4
    assert spec["backoffLimitPerIndex"] >= 1 and spec["maxFailedIndexes"] == 6
    pod = spec["template"]["spec"]
    assert pod["serviceAccountName"] == "cargohold" and pod["restartPolicy"] == "Never"
    assert pod["securityContext"]["runAsNonRoot"] is True
    container = pod["containers"][0]
    assert container["command"] == ["python3", "-m", "migrate.shard", f"{incluster.MOUNT}/spec.json"]
    env = {item["name"]: item for item in container["env"]}
    # Keys only by reference: the source's from its Secret, the destination's from IRSA (no key at all).
    assert env["SOURCE_AWS_ACCESS_KEY_ID"]["valueFrom"]["secretKeyRef"] == {
        "name": "wire-infra-migrate-source",
        "key": "awsKeyId",
    }
    assert "AWS_ACCESS_KEY_ID" not in env and env["AWS_REGION"]["value"] == "eu-central-1"
    assert ShardSpec.from_json(configmap["data"]["spec.json"]) == _spec()
    mounted = {item["path"] for item in pod["volumes"][0]["configMap"]["items"]}
    assert {"migrate/shard.py", "migrate/runner.py", "migrate/__init__.py", "verify/aws.py", "spec.json"} <= mounted


def test_static_keys_mode_takes_the_destination_keys_from_cargohold_secret() -> None:
    settings = incluster.JobSettings(namespace="wire", destination_key_secret="cargohold")
    job = incluster.manifests(_spec(), settings)[1]
    env = {item["name"]: item for item in job["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["AWS_SECRET_ACCESS_KEY"]["valueFrom"]["secretKeyRef"] == {"name": "cargohold", "key": "awsSecretKey"}


def test_the_pod_code_imports_with_only_the_standard_library_and_boto3(tmp_path: Path) -> None:
    """The ConfigMap's files as the pod mounts them; anything of the host side (pydantic, components, pulumi,
    PyYAML) refused on import."""
    configmap, job = incluster.manifests(_spec(), incluster.JobSettings(namespace="wire"))
    for item in job["spec"]["template"]["spec"]["volumes"][0]["configMap"]["items"]:
        target = tmp_path / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(configmap["data"][item["key"]])
    script = textwrap.dedent(
        """
        import sys
        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"components", "pydantic", "pulumi", "yaml", "plan", "tests"}:
                    raise ImportError(f"host-side module imported in the pod: {name}")
        sys.meta_path.insert(0, Refuse())
        import migrate.shard, migrate.s3http
        print(migrate.shard.__file__)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "migrate" / "shard.py")


def test_print_manifests_renders_from_the_stack_without_cluster_or_aws(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "assets",
            "--from",
            "http://fake-aws-s3:9000/dummy-bucket",
            "--stack",
            "prod",
            "--in-cluster",
            "--shards",
            "4",
            "--print-manifests",
        ]
    )
    assert code == 0
    documents = json.loads(capsys.readouterr().out)["items"]
    job = documents[1]
    assert job["spec"]["completions"] == 4
    spec = ShardSpec.from_json(documents[0]["data"]["spec.json"])
    assert (spec.source_url, spec.source_bucket, spec.shards) == ("http://fake-aws-s3:9000", "dummy-bucket", 4)
    # The destination from the stack (Pulumi.prod.yaml): its bucket and region, its namespace.
    assert (spec.destination_bucket, spec.destination_region) == ("prod-example-com-wire-assets", "eu-central-1")
    assert job["metadata"]["namespace"] == "wire"


def test_in_cluster_needs_a_stack(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["assets", "--from", "http://fake-aws-s3:9000/b", "--to-bucket", "x", "--in-cluster"])
    assert code == 2
    assert "--in-cluster needs --stack" in capsys.readouterr().err


def test_estimates_print_the_expected_copy_time(capsys: pytest.CaptureFixture[str]) -> None:
    from plan.copy_estimate import copy_seconds, estimate_text

    assert copy_seconds(1000, 0, 1, per_object=0.01) == pytest.approx(10)
    assert copy_seconds(0, 100, 4, bytes_per_second=25) == pytest.approx(1)
    text = estimate_text(2_000_000, 750 * 1024**3, 8)
    assert "2000000 objects (750.0 GiB)" in text and "with 8 shards in the cluster" in text


def test_a_proxied_cargohold_gives_the_job_its_proxy_but_the_source_never_goes_through_it() -> None:
    proxy = incluster.proxy_settings("http://proxy.corp:3128", None, [".corp"], "http://fake-aws-s3:9000")
    job = incluster.manifests(_spec(), incluster.JobSettings(namespace="wire", proxy=proxy))[1]
    env = {item["name"]: item.get("value") for item in job["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["http_proxy"] == env["HTTP_PROXY"] == "http://proxy.corp:3128"
    assert env["no_proxy"] == env["NO_PROXY"] == ".corp,fake-aws-s3"
    assert "https_proxy" not in env
