"""In-cluster verify: the Job manifests (Kubernetes' schemas, the service's own pod environment), the pod
code (the same probes, run in isolation against moto_server) and `--in-cluster` (kubectl, faked)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from pydantic import SecretStr

from components.outputs import AccessKey, AwsOutputs, PushOutputs
from tests.verify import verify_stack as vs
from verify import incluster, kube
from verify.cli import main
from verify.expected import expected

KUBERNETES = "1.30"  # the oldest minor EKS still supports in standard support (Nov 2026: 1.31+; 1.30 is stricter)
PROXY = {"httpProxy": "http://proxy.corp:3128", "httpsProxy": "http://proxy.corp:3128", "noProxy": [".corp"]}


def _cfg(**changes: Any):
    return vs.config(vs.values(kubernetes={"namespace": "wire-prod"}, proxy=PROXY, **changes))


def _jobs(documents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services' Jobs (the data stores' Job: tests/verify/test_verify_stores.py)."""
    return {
        doc["metadata"]["name"].removeprefix("wire-infra-verify-"): doc
        for doc in documents
        if doc["kind"] == "Job" and doc["metadata"]["name"] != incluster.job_name(incluster.STORES_JOB)
    }


def _env(job: dict[str, Any]) -> dict[str, Any]:
    container = job["spec"]["template"]["spec"]["containers"][0]
    return {item["name"]: item.get("value", item.get("valueFrom")) for item in container["env"]}


def test_manifests_pass_kubernetes_schemas_and_carry_the_services_environment() -> None:
    cfg = _cfg()
    documents = incluster.manifests(cfg, expected(cfg, {}, "123456789012"))
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES, strict=True)
    jobs = _jobs(documents)
    assert set(jobs) == {"brig", "galley", "gundeck", "cargohold"}
    assert {doc["metadata"]["namespace"] for doc in documents} == {"wire-prod"}
    for svc, job in jobs.items():
        pod = job["spec"]["template"]["spec"]
        assert pod["serviceAccountName"] == svc and pod["restartPolicy"] == "Never"
        assert pod["securityContext"]["runAsNonRoot"] is True
        env = _env(job)
        assert env["AWS_REGION"] == vs.REGION
        # The chart's proxy env, both spellings, with the same no_proxy list the releases get.
        assert env["http_proxy"] == env["HTTP_PROXY"] == "http://proxy.corp:3128"
        assert env["https_proxy"] == env["HTTPS_PROXY"] == "http://proxy.corp:3128"
        assert env["no_proxy"] == env["NO_PROXY"]
        assert {"localhost", ".wire-prod.svc.cluster.local", ".corp"} <= set(env["no_proxy"].split(","))
        # staticKeys: the Secret and keys the chart renders (galley's is galley-aws).
        secret = "galley-aws" if svc == "galley" else svc
        assert env["AWS_ACCESS_KEY_ID"] == {"secretKeyRef": {"name": secret, "key": "awsKeyId"}}
        assert env["AWS_SECRET_ACCESS_KEY"] == {"secretKeyRef": {"name": secret, "key": "awsSecretKey"}}
        command = pod["containers"][0]["command"]
        assert command == ["python3", "-m", "verify.pod", f"/opt/wire-infra-verify/specs/{svc}.json"]
    configmap = documents[0]
    assert configmap["kind"] == "ConfigMap"
    assert {"__init__.py", "aws.py", "results.py", "probes.py", "pod.py"} <= set(configmap["data"])
    brig = json.loads(configmap["data"]["brig.json"])
    assert brig["endpoints"]["sqs"] == f"https://sqs.{vs.REGION}.amazonaws.com"
    assert [q["name"] for q in brig["queues"]] == [
        "dev-brig-events-internal",
        "dev-brig-email-events",
        "dev-user-events.fifo",
    ]


def test_irsa_external_push_and_no_proxy() -> None:
    external = vs.external_push()
    cfg = vs.config(
        vs.values(
            serviceCredentials={
                "mode": "irsa",
                "oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB",
            },
            push={"mode": "external", "external": external},
            features={},
        )
    )
    record = AwsOutputs(
        region=vs.REGION,
        account_id="210987654321",
        push=PushOutputs("210987654321", "eu-central-1", "acme", "acme-gundeck-events", "https://sqs", "https://sns"),
        brig_internal_queue="dev-brig-events-internal",
        sqs_endpoint=cfg.endpoint("sqs"),
        ses_queue="dev-brig-email-events",
        ses_endpoint=cfg.endpoint("ses"),
        prekey_table="dev-brig-prekeys",
        dynamodb_endpoint=None,
        user_journal_queue=None,
        team_events_queue=None,
        bucket=cfg.bucket_name,
        s3_endpoint=cfg.endpoint("s3"),
        s3_download_endpoint=None,
        cloudfront_domain=None,
        role_arns={svc: f"arn:aws:iam::123456789012:role/dev-{svc}" for svc in ("brig", "cargohold", "galley")},
    )
    documents = incluster.job_manifests(cfg, record, image="registry.internal/lambda-python:3.12")
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES, strict=True)
    jobs = _jobs(documents)
    assert set(jobs) == {"brig", "gundeck", "cargohold"}  # galley makes no AWS call without its journal
    brig, gundeck = _env(jobs["brig"]), _env(jobs["gundeck"])
    # IRSA: no keys, the service account brings the role; no proxy configured: no proxy env.
    assert "AWS_ACCESS_KEY_ID" not in brig and "http_proxy" not in brig
    # External push: gundeck uses Wire's key and Wire's region even with IRSA, as the chart does.
    assert gundeck["AWS_ACCESS_KEY_ID"] == {"secretKeyRef": {"name": "gundeck", "key": "awsKeyId"}}
    assert gundeck["AWS_REGION"] == "eu-central-1"
    spec = json.loads(documents[0]["data"]["gundeck.json"])
    assert spec["queues"] == [
        {
            "name": "acme-gundeck-events",
            "send": False,
            "receive": True,
            "region": "eu-central-1",
            "endpoint": "https://sqs.eu-central-1.amazonaws.com",
        }
    ]
    assert json.loads(documents[0]["data"]["brig.json"])["principal"] == "dev-brig"
    image = jobs["brig"]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "registry.internal/lambda-python:3.12"
    # The program passes the secret record; a key never reaches a manifest (they only name the Secret).
    keyed = dataclasses.replace(record, access_keys={"gundeck": AccessKey("AKIAWIREPUSH", SecretStr("never-shown"))})
    assert "never-shown" not in json.dumps(incluster.job_manifests(cfg, keyed))


def _mount(documents: list[dict[str, Any]], root: Path) -> None:
    """Lay the ConfigMap out as the Job's volume does (items: key -> path)."""
    configmap = documents[0]
    volume = _jobs(documents)["brig"]["spec"]["template"]["spec"]["volumes"][0]["configMap"]
    for svc in _jobs(documents):
        for item in [*volume["items"][:-1], {"key": f"{svc}.json", "path": f"specs/{svc}.json"}]:
            target = root / item["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(configmap["data"][item["key"]])


# Runs the pod's command with the project and every non-boto3 dependency unimportable: the Job's image
# has only the standard library and boto3.
BOOTSTRAP = textwrap.dedent(
    """
    import runpy, sys
    for blocked in ("components", "pydantic", "yaml", "pulumi", "policy"):
        sys.modules[blocked] = None
    sys.path.insert(0, sys.argv.pop(1))
    runpy.run_module("verify.pod", run_name="__main__", alter_sys=True)
    """
)


@pytest.mark.moto
def test_pod_code_runs_the_probes_on_its_own(moto: str, tmp_path: Path) -> None:
    wire = vs.values(serviceEndpoints={name: moto for name in ("sqs", "sns", "ses", "dynamodb", "s3")})
    cfg = vs.config(wire)
    created = vs.provision(moto, cfg, identities=False, bucket_policy=False)
    outputs = {"awsAccountId": "123456789012"}
    documents = incluster.manifests(cfg, expected(cfg, outputs, "123456789012"))
    mount = tmp_path / "opt"
    _mount(documents, mount)
    keys = {svc: vs.iam_user(moto, f"dev-{svc}", policy) for svc, policy in vs.service_policies(created).items()}
    vs.enforce_iam(moto)

    def pod(svc: str) -> subprocess.CompletedProcess[str]:
        """The Job's container: its AWS_REGION and the service's keys (as the chart's Secret gives them)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env |= {"AWS_ACCESS_KEY_ID": keys[svc][0], "AWS_SECRET_ACCESS_KEY": keys[svc][1], "AWS_REGION": vs.REGION}
        return subprocess.run(
            [sys.executable, "-I", "-c", BOOTSTRAP, str(mount), str(mount / "specs" / f"{svc}.json")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    logs = {}
    for svc in _jobs(documents):
        proc = pod(svc)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        logs[svc] = proc.stdout
    results = kube.parse_log("gundeck", logs["gundeck"])
    assert any(r.message == "sns:CreatePlatformEndpoint allowed" for r in results)
    cargohold = kube.parse_log("cargohold", logs["cargohold"])
    assert any(r.resource == created.bucket and "round trip works" in r.message for r in cargohold)
    assert any(r.message == "running as brig's principal dev-brig" for r in kube.parse_log("brig", logs["brig"]))
    # What a missing table looks like from inside the pod: named, exit 1.
    vs.enforce_iam_off(moto)
    vs.client(moto, "dynamodb").delete_table(TableName="dev-brig-prekeys")
    vs.enforce_iam(moto)
    proc = pod("brig")
    failed = [r for r in kube.parse_log("brig", proc.stdout) if r.status == "fail"]
    assert proc.returncode == 1
    assert {r.message.split(": ")[0] for r in failed} == {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}


FAKE_KUBECTL = """#!{python}
import json, sys
from pathlib import Path
state = Path({state!r})
calls = json.loads(state.read_text()) if state.exists() else []
args = sys.argv[1:]
calls.append(args)
state.write_text(json.dumps(calls))
while args[:1] in (["--context"], ["--kubeconfig"]):
    args = args[2:]
if args[:1] == ["apply"]:
    Path({applied!r}).write_text(sys.stdin.read())
elif args[:2] == ["get", "job"]:
    print(json.dumps({{"status": {{"succeeded": 1}} if args[2] != "wire-infra-verify-galley" else {{"failed": 1}}}}))
elif args[:2] == ["get", "services,ingresses"]:
    brig = {{"kind": "Service", "metadata": {{"namespace": "wire", "name": "brig"}}, "spec": {{"type": "ClusterIP"}}}}
    print(json.dumps({{"items": [brig]}}))
elif args[:2] == ["get", "networkpolicies"]:
    deny = {{"podSelector": {{}}, "policyTypes": ["Ingress", "Egress"]}}
    print(json.dumps({{"items": [{{"metadata": {{"name": "wire-infra-default-deny"}}, "spec": deny}}]}}))
elif args[:1] == ["logs"]:
    job = args[-1].removeprefix("job/wire-infra-verify-")
    ok = {{"check": job + " permissions", "resource": "r", "status": "ok", "message": "sqs:GetQueueUrl allowed"}}
    bad = {{"check": job + " permissions", "resource": "q", "status": "fail", "message": "sqs:SendMessage denied"}}
    print("text for people")
    print("WIRE-INFRA-VERIFY-RESULTS " + json.dumps([ok] if job != "galley" else [ok, bad]))
"""


def test_in_cluster_applies_waits_and_reads_the_results(tmp_path: Path, monkeypatch, capsys) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    state, applied = tmp_path / "calls.json", tmp_path / "applied.json"
    kubectl = bin_dir / "kubectl"
    kubectl.write_text(FAKE_KUBECTL.format(python=sys.executable, state=str(state), applied=str(applied)))
    kubectl.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    wire = vs.values(kubernetes={"namespace": "wire", "context": "kind-wire"})
    vs.write_stack(tmp_path, wire, "http://127.0.0.1:9")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"awsAccountId": "123456789012"}))

    code = main(["--stack", "test", "--stack-dir", str(tmp_path), "--outputs", str(outputs), "--in-cluster", "--json"])
    results = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [r["message"] for r in results if r["status"] == "fail"] == ["sqs:SendMessage denied"]
    # The guide's minimum, from the cluster's listings: nothing public, default-deny in place.
    assert {(r["check"], r["status"]) for r in results} >= {("exposure", "ok"), ("default deny", "ok")}
    assert ["--context", "kind-wire", "get", "networkpolicies", "-n", "wire", "-o", "json"] in json.loads(
        state.read_text()
    )
    calls = json.loads(state.read_text())
    assert calls[0] == [
        "--context",
        "kind-wire",
        "delete",
        "job",
        "wire-infra-verify-brig",
        "-n",
        "wire",
        "--ignore-not-found",
        "--wait=true",
    ]
    assert ["--context", "kind-wire", "apply", "-f", "-"] in calls
    assert ["--context", "kind-wire", "logs", "-n", "wire", "job/wire-infra-verify-cargohold"] in calls
    kinds = [item["kind"] for item in json.loads(applied.read_text())["items"]]
    # One Job per service, and the data stores' Job.
    assert kinds == ["ConfigMap", "Job", "Job", "Job", "Job", "Job"]

    # No outputs but push applications to probe: one clear message, nothing applied.
    state.unlink()
    code = main(["--stack", "test", "--stack-dir", str(tmp_path), "--in-cluster"])
    assert code == 2 and "--in-cluster needs the stack outputs" in capsys.readouterr().err
    assert not state.exists()
