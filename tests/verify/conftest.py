"""A real AWS API for verify's tests: one moto_server per session on a free port, reset per test."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.moto_support import moto_server, post
from tests.verify.stack_runs import Stack, make_stack


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def moto(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A clean emulator and dummy credentials; IAM enforcement is switched off again afterwards."""
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    post(f"{moto_url}/moto-api/reset-auth", b"inf")
    post(f"{moto_url}/moto-api/reset")
    yield moto_url
    with contextlib.suppress(OSError):
        post(f"{moto_url}/moto-api/reset-auth", b"inf")


@pytest.fixture
def stack(moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Stack:
    """Everything but DNS (a Route53 zone costs time in moto; the DNS tests add it)."""
    return make_stack(moto, tmp_path, capsys, dns=False)


@pytest.fixture
def dns_stack(moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Stack:
    return make_stack(moto, tmp_path, capsys, dns=True)
