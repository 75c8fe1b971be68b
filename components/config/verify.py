"""In-cluster verify after `pulumi up` (opt-in): verify's probes as a Job per service (docs/verify.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from components.config.base import Model
from components.config.images import image_url_problem

# AWS's Lambda base image for Python: public, maintained, boto3 preinstalled; mirror it air-gapped.
DEFAULT_VERIFY_IMAGE = "public.ecr.aws/lambda/python:3.12"


def _image(value: str) -> str:
    problem = image_url_problem(value)
    if problem:
        raise ValueError(f"'{value}' is {problem}")
    return value


class Verify(Model):
    in_cluster: bool = False
    """After the wire-server release, run verify's probes as a Job per service (its service account, namespace,
    proxy and endpoints); `pulumi up` waits for the Jobs and fails when a probe fails."""
    image: Annotated[str, AfterValidator(_image)] = DEFAULT_VERIFY_IMAGE
    """Image of the verify Jobs: python3 with boto3 (mirror it for air-gapped clusters)."""
