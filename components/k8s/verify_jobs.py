"""`wire:verify.inCluster`: verify's probes as a Job per service, after the wire-server release.

The manifests come from `verify.incluster.job_manifests` (a pure function of the config and the AWS
outputs record, tested against Kubernetes' schemas); this component only registers them. Jobs are
immutable: a changed Job is deleted and created again, which runs the probes again. pulumi-kubernetes
waits for a Job to complete, so a failing probe fails `pulumi up` with the Job's name (its log has
the details: `kubectl logs -n <ns> job/wire-infra-verify-<service>`).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.config import StackConfig
from components.outputs import AwsOutputs
from verify.incluster import CONFIGMAP, STORES_JOB, job_manifests, job_name, probed_services


def _document(documents: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(doc for doc in documents if doc["kind"] == kind and doc["metadata"]["name"] == name)


def _replace_unready(job: dict[str, Any]) -> Any:
    return {**job["metadata"], "annotations": {"pulumi.com/replaceUnready": "true"}}


class VerifyJobs(pulumi.ComponentResource):
    jobs: dict[str, k8s.batch.v1.Job]

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        aws: pulumi.Output[AwsOutputs],
        depends_on: list[pulumi.Resource],
        provider: k8s.Provider,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:k8s:VerifyJobs", name, None, opts)
        # The record is secret (it holds the static keys); the manifests only name the chart's Secret
        # and never read a key, so they need not hide the Jobs from the preview.
        documents = pulumi.Output.unsecret(aws.apply(lambda record: job_manifests(cfg, record, image=cfg.verify.image)))
        configmap_doc = documents.apply(lambda docs: _document(docs, "ConfigMap", CONFIGMAP))
        configmap = k8s.core.v1.ConfigMap(
            CONFIGMAP,
            metadata=configmap_doc.apply(lambda doc: doc["metadata"]),
            data=configmap_doc.apply(lambda doc: doc["data"]),
            opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=depends_on),
        )
        self.jobs = {}
        # One Job per service's AWS probes, and one checking the data stores as the services reach them.
        for svc in [*probed_services(cfg), STORES_JOB]:
            doc = documents.apply(lambda docs, svc=svc: _document(docs, "Job", job_name(svc)))
            self.jobs[svc] = k8s.batch.v1.Job(
                job_name(svc),
                # A failed Job is replaced (run again) on the next update instead of awaited forever.
                metadata=doc.apply(_replace_unready),
                spec=doc.apply(lambda d: d["spec"]),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    provider=provider,
                    depends_on=[configmap, *depends_on],
                    # Same name: the old Job must be gone before the new one runs.
                    delete_before_replace=True,
                ),
            )
        self.register_outputs({"jobs": sorted(self.jobs)})
