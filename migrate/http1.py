"""HTTP/1.1 on plain sockets for the copy's S3 requests (migrate/s3http.py): a pool of kept-alive connections
per host, requests with a Content-Length body, responses framed by Content-Length, chunks or the end of the
connection.

A profile of the copy (issue 29) put urllib3 and http.client (e-mail header parsing, per-request objects)
at more CPU per request than the S3 calls themselves; on a small machine client and servers share that
CPU. Only what S3 speaks is implemented: no proxies (s3http.wrap leaves a proxied client to botocore), no
redirects, no compression, no `Expect: 100-continue`.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
from collections.abc import Mapping
from typing import Any, BinaryIO

_LINE = 65536
# A body up to this size goes out in the same send as the request head (one segment, no waiting on Nagle).
_JOIN = 256 * 1024
_NO_BODY = frozenset({204, 304})
# A relayed body goes on in pieces of this size: the receiver starts on the first while the next arrives.
_RELAY_CHUNK = 1024 * 1024


class Broken(OSError):
    """The connection failed or was cut off before a whole answer arrived."""


class Connection:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.file: BinaryIO = sock.makefile("rb")
        self.reused = False

    def close(self) -> None:
        for closing in (self.file.close, self.sock.close):
            with contextlib.suppress(OSError):
                closing()


class Response:
    """Status, headers (names lower-case, values as ISO-8859-1 text, as http.client reads them) and the body,
    read with read(n) and given back with release()."""

    def __init__(self, pool: Pool, connection: Connection, status: int, headers: dict[str, str], method: str) -> None:
        self.status, self.headers = status, headers
        self._pool, self._connection = pool, connection
        self._reusable = headers.get("connection", "").lower() != "close"
        self._chunks: bytes | None = None
        self._body: bytes | None = None
        self._left: int | None = 0  # bytes still to read; None: until the connection ends
        if method != "HEAD" and status not in _NO_BODY:
            if "chunked" in headers.get("transfer-encoding", "").lower():
                self._chunks = _dechunk(connection.file)
                self._left = len(self._chunks)
            elif "content-length" in headers:
                self._left = int(headers["content-length"])
            else:
                self._left, self._reusable = None, False
        self._done = self._left == 0

    def read(self, amount: int | None = None) -> bytes:
        if self._done:
            return b""
        if self._chunks is not None:
            data, self._chunks = self._chunks, None
            self._done = True
            return data
        if self._connection is None:
            raise Broken("the body was given up")
        file = self._connection.file
        if self._left is None:
            data = file.read() if amount is None else file.read(amount)
            self._done = not data
            return data
        wanted = self._left if amount is None else min(amount, self._left)
        data = file.read(wanted)
        if len(data) < wanted:
            self._reusable = False
            raise Broken(f"the body ended after {len(data)} of {wanted} bytes")
        self._left -= wanted
        self._done = self._left == 0
        return data

    @property
    def data(self) -> bytes:
        """The whole (rest of the) body, the connection given back; read once."""
        if self._body is None:
            try:
                self._body = self.read()
            finally:
                self.release()
        return self._body

    def preload(self) -> None:
        """Read the body now (S3's answers other than an object's content are small) and free the connection."""
        _ = self.data

    def release(self) -> None:
        """A body read to its end gives its connection back to the pool; one abandoned half way is closed."""
        connection, self._connection = self._connection, None
        if connection is not None:
            self._pool.give_back(connection, self._done and self._reusable)


class Pool:
    """Connections to one host:port, at most `size` kept idle."""

    def __init__(self, scheme: str, host: str, port: int, *, size: int, connect_timeout: float, read_timeout: float):
        self.scheme, self.host, self.port = scheme, host, port
        self._size, self._connect_timeout, self._read_timeout = size, connect_timeout, read_timeout
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._tls: Any = None

    def request(
        self, method: str, target: str, headers: Mapping[str, str], body: Any = None, length: int | None = None
    ) -> Response:
        """Send a request and read the answer's head. `body`: bytes, or something to read `length` bytes from
        as they are sent (an exception it raises ends the request: the connection is closed, never reused)."""
        lines = [f"{method} {target} HTTP/1.1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        streamed = body is not None and not isinstance(body, bytes | bytearray | memoryview)
        if body is not None:
            lines.append(f"Content-Length: {length if streamed else len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        while True:
            connection = self._take()
            started = False
            try:
                if streamed:
                    connection.sock.sendall(head)
                    started = True
                    _relay(connection.sock, body, length or 0)
                elif body is not None and len(body) <= _JOIN:
                    connection.sock.sendall(head + body)
                else:
                    connection.sock.sendall(head)
                    if body:
                        connection.sock.sendall(body)
                return self._answer(connection, method)
            except _BodyFailed as failed:
                connection.close()
                raise failed.error from None
            except OSError:
                connection.close()
                # A kept-alive connection the server closed meanwhile: the request once more on a new one.
                if not connection.reused or started:
                    raise
            except BaseException:
                connection.close()
                raise

    def _answer(self, connection: Connection, method: str) -> Response:
        file = connection.file
        while True:
            line = file.readline(_LINE)
            if not line:
                raise Broken("the connection closed before an answer")
            parts = line.split(None, 2)
            if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
                raise Broken(f"not an HTTP answer: {line[:80]!r}")
            status = int(parts[1])
            headers: dict[str, str] = {}
            while (line := file.readline(_LINE)) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip()
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            if not 100 <= status < 200:
                response = Response(self, connection, status, headers, method)
                if parts[0] == b"HTTP/1.0" and headers.get("connection", "").lower() != "keep-alive":
                    response._reusable = False
                return response

    def _take(self) -> Connection:
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                break
            if _readable(connection.sock):
                # Idle and readable: the server closed it (S3 closes idle connections). A relayed body could
                # not be sent again, so it never starts on one.
                connection.close()
                continue
            connection.reused = True
            return connection
        sock = socket.create_connection((self.host, self.port), timeout=self._connect_timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(self._read_timeout)
            if self.scheme == "https":
                sock = self._context().wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        return Connection(sock)

    def _context(self) -> Any:
        if self._tls is None:
            import ssl  # only for HTTPS: a fraction of the start-up of a copy between two local endpoints

            # The system's CAs, or the bundle botocore would use instead (AWS_CA_BUNDLE).
            self._tls = ssl.create_default_context(cafile=os.environ.get("AWS_CA_BUNDLE") or None)
        return self._tls

    def give_back(self, connection: Connection, reusable: bool) -> None:
        if reusable:
            with self._lock:
                if len(self._idle) < self._size:
                    self._idle.append(connection)
                    return
        connection.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class _BodyFailed(Exception):
    """Reading a relayed body failed (not the connection): `error` is what it raised."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _relay(sock: socket.socket, body: Any, length: int) -> None:
    left = length
    while left:
        try:
            chunk = body.read(min(_RELAY_CHUNK, left))
        except BaseException as error:
            raise _BodyFailed(error) from error
        if not chunk:
            raise _BodyFailed(Broken(f"the body ended {left} bytes short of {length}"))
        sock.sendall(chunk)
        left -= len(chunk)


def _readable(sock: socket.socket) -> bool:
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _dechunk(file: BinaryIO) -> bytes:
    """A chunked body, whole (S3 chunks only small answers: listings and errors)."""
    chunks = []
    while True:
        line = file.readline(_LINE)
        if not line:
            raise Broken("the connection closed inside a chunked body")
        size = int(line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while file.readline(_LINE) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        chunk = file.read(size)
        if len(chunk) < size:
            raise Broken("the connection closed inside a chunk")
        chunks.append(chunk)
        file.readline(_LINE)
