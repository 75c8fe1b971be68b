"""A real AWS API for verify's tests: one moto_server per session on a free port, reset per test."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

MOTO_SERVER = Path(sys.executable).with_name("moto_server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, data: bytes = b"") -> None:
    # text/plain: moto reads reset-auth's count from the raw body, which a form content type would swallow.
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=5).read()


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    port = _free_port()
    command = [str(MOTO_SERVER)] if MOTO_SERVER.exists() else [sys.executable, "-m", "moto.server"]
    # The server must never see real credentials or the developer's AWS config.
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on port {port}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    _post(f"{moto_url}/moto-api/reset-auth", b"inf")
    _post(f"{moto_url}/moto-api/reset")
    yield moto_url
    with contextlib.suppress(OSError):
        _post(f"{moto_url}/moto-api/reset-auth", b"inf")
