"""In-cluster verify after `pulumi up` (opt-in): verify's probes as a Job per service (docs/verify.md)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from components.config.base import Model

# AWS's Lambda base image for Python: public, maintained, boto3 preinstalled; mirror it air-gapped.
DEFAULT_VERIFY_IMAGE = "public.ecr.aws/lambda/python:3.12"


def _image(value: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value, flags=re.IGNORECASE).rstrip("/")
        raise ValueError(
            f"'{value}' is a URL: an image is named <registry>/<repository>[:tag] without a scheme (the kubelet "
            f"cannot pull a URL); write '{bare}'"
        )
    return value


class Verify(Model):
    in_cluster: bool = False
    """After the wire-server release, run verify's probes as a Job per service (its service account, namespace,
    proxy and endpoints); `pulumi up` waits for the Jobs and fails when a probe fails."""
    image: Annotated[str, AfterValidator(_image)] = DEFAULT_VERIFY_IMAGE
    """Image of the verify Jobs: python3 with boto3 (mirror it for air-gapped clusters)."""
