"""Start a real AWS API emulator (moto_server) on 127.0.0.1 on a free port, for the tests that need one.

The server is moto's, run by tests/moto_app.py, which adds snapshots: `provisioned` builds a state once per server
and restores it for every later test that asks for it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
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
    # Another process (a parallel test worker, say) may take the free port before moto binds it: moto then
    # exits, and a new port is tried.
    for _ in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = _start(port)
        try:
            started = _answers(url, process)
        except BaseException:
            _stop(process)
            raise
        if started:
            break
        _stop(process)
    else:
        raise RuntimeError(f"moto_server did not start (last tried port {port})")
    try:
        yield url
    finally:
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


def _start(port: int) -> subprocess.Popen[bytes]:
    # The server must never see real credentials or the developer's AWS config.
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.moto_app", "-H", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _answers(url: str, process: subprocess.Popen[bytes], wait: float = 30) -> bool:
    """Whether our moto_server answers at `url` (within `wait` seconds; False once the process has exited)."""
    deadline = time.monotonic() + wait
    while True:
        if process.poll() is not None:
            return False
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).read()
            return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
