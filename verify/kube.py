"""`python -m verify --in-cluster`: apply the verify Jobs with kubectl, wait for them, read their results.

kubectl rather than a Python client: operators have it, it honours every kubeconfig auth plugin
(aws eks get-token, OIDC, ...), and it adds no dependency. Jobs are immutable, so an earlier run's Job
of the same name is deleted first.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from verify.incluster import DEADLINE_SECONDS
from verify.pod import RESULT_MARKER
from verify.results import Result, Status, fail

POLL_SECONDS = 2.0


class KubectlError(RuntimeError):
    pass


@dataclass
class Kubectl:
    kubeconfig: str | None = None
    context: str | None = None
    binary: str = "kubectl"

    def run(self, *args: str, stdin: str | None = None) -> str:
        command = [self.binary]
        if self.kubeconfig:
            command += ["--kubeconfig", self.kubeconfig]
        if self.context:
            command += ["--context", self.context]
        command += list(args)
        try:
            proc = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120, check=False)
        except FileNotFoundError:
            raise KubectlError(f"{self.binary} not found: install kubectl or put it on PATH") from None
        except subprocess.TimeoutExpired:
            raise KubectlError(f"kubectl {' '.join(args[:2])} did not answer within 120 s") from None
        if proc.returncode != 0:
            raise KubectlError(f"kubectl {' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc.stdout

    def get_json(self, *args: str) -> dict[str, Any]:
        text = self.run(*args)
        try:
            return json.loads(text)
        except ValueError:
            raise KubectlError(f"kubectl {' '.join(args[:2])} printed no JSON: {text.strip()[:200]}") from None


def _finished(job: dict[str, Any]) -> bool | None:
    """True when the Job succeeded, False when it failed, None while it runs."""
    status = job.get("status") or {}
    if status.get("succeeded"):
        return True
    if status.get("failed"):
        return False
    for condition in status.get("conditions") or []:
        if condition.get("type") in ("Failed", "FailureTarget") and condition.get("status") == "True":
            return False
    return None


def parse_log(service: str, log: str) -> list[Result]:
    for line in reversed(log.splitlines()):
        if line.startswith(RESULT_MARKER):
            return [
                Result(r["check"], r["resource"], Status(r["status"]), r["message"])
                for r in json.loads(line[len(RESULT_MARKER) :])
            ]
    tail = " | ".join(log.strip().splitlines()[-3:]) or "no output"
    return [fail(f"{service} in-cluster", service, f"the Job printed no results: {tail}")]


def run_jobs(
    kubectl: Kubectl,
    manifests: Sequence[dict[str, Any]],
    *,
    timeout: float = DEADLINE_SECONDS + 60,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Result]:
    jobs = [m for m in manifests if m["kind"] == "Job"]
    for job in jobs:
        meta = job["metadata"]
        kubectl.run("delete", "job", meta["name"], "-n", meta["namespace"], "--ignore-not-found", "--wait=true")
    kubectl.run("apply", "-f", "-", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(manifests)}))
    results: list[Result] = []
    for job in jobs:
        meta = job["metadata"]
        service = job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        waited = 0.0
        state = None
        while True:
            state = _finished(
                json.loads(kubectl.run("get", "job", meta["name"], "-n", meta["namespace"], "-o", "json"))
            )
            if state is not None or waited >= timeout:
                break
            sleep(POLL_SECONDS)
            waited += POLL_SECONDS
        if state is None:
            results.append(
                fail(
                    f"{service} in-cluster",
                    meta["name"],
                    f"still running after {timeout:.0f} s: kubectl describe job -n {meta['namespace']} {meta['name']}",
                )
            )
            continue
        log = kubectl.run("logs", "-n", meta["namespace"], f"job/{meta['name']}")
        found = parse_log(service, log)
        if state is False and not any(r.status == Status.FAIL for r in found):
            found.append(fail(f"{service} in-cluster", meta["name"], "the Job failed: kubectl describe job"))
        results += found
    return results
