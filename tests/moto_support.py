"""Start a real AWS API emulator (moto_server) on 127.0.0.1 on a free port, for the tests that need one.

The server is moto's, run by tests/moto_app.py, which adds snapshots: `provisioned` builds a state once per server
and restores it for every later test that asks for it.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
# (server URL, snapshot name) -> what building the state returned, for the tests that restore it.
_built: dict[tuple[str, str], object] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, data: bytes = b"") -> None:
    # text/plain: moto reads reset-auth's count from the raw body, which a form content type would swallow.
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=5).read()


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto_server process for the duration of the block; yields its URL."""
    with moto_servers(1) as (url,):
        yield url


@contextlib.contextmanager
def moto_servers(count: int) -> Iterator[list[str]]:
    """`count` moto_server processes, started together, for the duration of the block; yields their URLs."""
    processes: list[subprocess.Popen[str]] = []
    try:
        for _ in range(count):
            processes.append(_start())
        yield [_url(process) for process in processes]
    finally:
        for process in processes:
            _stop(process)


def provisioned(url: str, name: str, build: Callable[[], T]) -> T:
    """The state `name` on the server at `url`: restored if built there before, else `build()` (from a reset
    server) and kept. Returns what `build` returned; `name` must say everything that makes the state differ."""
    key = (url, name)
    if key in _built and _restore(url, name):
        return _built[key]  # type: ignore[return-value]
    post(f"{url}/moto-api/reset")
    result = _built[key] = build()
    post(f"{url}/_tests/snapshot/{urllib.parse.quote(name, safe='')}")
    return result


def _restore(url: str, name: str) -> bool:
    try:
        post(f"{url}/_tests/restore/{urllib.parse.quote(name, safe='')}")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise
    return True


def _start() -> subprocess.Popen[str]:
    # The server must never see real credentials or the developer's AWS config.
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.moto_app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _url(process: subprocess.Popen[str], wait: float = 60) -> str:
    """The URL of the server, from the port it prints once it listens (tests/moto_app.py)."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], wait)
    line = process.stdout.readline() if ready else ""
    if not line.strip().isdigit():
        raise RuntimeError(f"moto_server did not start within {wait} s (exit code {process.poll()})")
    return f"http://127.0.0.1:{int(line)}"


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
