"""Start a real AWS API emulator (moto_server) on 127.0.0.1 on a free port, for the tests that need one."""

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

MOTO_SERVER = Path(sys.executable).with_name("moto_server")


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


def _start(port: int) -> subprocess.Popen[bytes]:
    command = [str(MOTO_SERVER)] if MOTO_SERVER.exists() else [sys.executable, "-m", "moto.server"]
    # The server must never see real credentials or the developer's AWS config.
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
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
