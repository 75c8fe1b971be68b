"""HTTP/1.1 as the copy speaks it (migrate/http1.py), against a scripted server on 127.0.0.1: framing by length,
chunks and the connection's end, kept-alive connections, one the server closed meanwhile, a relayed body."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from migrate.http1 import Broken, Pool

Handler = Callable[[bytes, bytes], bytes]  # (request head, request body) -> raw answer


@contextmanager
def server(answers: list[tuple[Handler, bool]]) -> Iterator[tuple[int, list[bytes]]]:
    """Answers requests in turn; each (handler, close the connection after it). Yields the port and the heads."""
    listener = socket.create_server(("127.0.0.1", 0))
    heads: list[bytes] = []

    def serve() -> None:
        script = iter(answers)
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            file = connection.makefile("rb")
            with connection, file:
                for handler, close in script:
                    head = b""
                    while not head.endswith(b"\r\n\r\n"):
                        line = file.readline()
                        if not line:
                            break
                        head += line
                    if not head:
                        break
                    length = next(
                        (
                            int(line.split(b":")[1])
                            for line in head.split(b"\r\n")
                            if line.lower().startswith(b"content-length")
                        ),
                        0,
                    )
                    heads.append(head)
                    try:
                        connection.sendall(handler(head, file.read(length)))
                    except OSError:  # the client gave up on the request (a relayed body that broke)
                        break
                    if close:
                        break
                else:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], heads
    finally:
        listener.close()


def answer(body: bytes, *headers: str) -> Handler:
    extra = "".join(f"{header}\r\n" for header in headers)
    return lambda head, sent: f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


def chunked(*chunks: bytes) -> Handler:
    body = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\nx-trailer: t\r\n\r\n"
    return lambda head, sent: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body


def pool(port: int) -> Pool:
    return Pool("http", "127.0.0.1", port, size=2, connect_timeout=5, read_timeout=5)


def test_bodies_framed_by_length_by_chunks_and_by_the_end_of_the_connection() -> None:
    until_closed: Handler = lambda head, sent: b"HTTP/1.0 200 OK\r\n\r\nto the end"  # noqa: E731
    with server([(answer(b"hello", 'ETag: "e"'), False), (chunked(b"<a>", b"</a>"), False), (until_closed, True)]) as (
        port,
        heads,
    ):
        http = pool(port)
        first = http.request("GET", "/b/k", {"Host": "h"})
        assert (first.status, first.headers["etag"], first.data) == (200, '"e"', b"hello")
        assert http.request("GET", "/b?list-type=2", {"Host": "h"}).data == b"<a></a>"
        assert http.request("GET", "/b/k", {"Host": "h"}).data == b"to the end"
    assert len(heads) == 3


def test_a_kept_alive_connection_the_server_closed_is_replaced_once() -> None:
    with server([(answer(b"one"), True), (answer(b"two"), True)]) as (port, heads):
        http = pool(port)
        assert http.request("GET", "/k", {"Host": "h"}).data == b"one"  # the server closes, unannounced
        assert http.request("HEAD", "/k", {"Host": "h"}).status == 200  # on a new connection
    assert [head.split(b" ")[0] for head in heads] == [b"GET", b"HEAD"]


def test_a_relayed_body_goes_out_whole_and_a_read_that_breaks_ends_the_request() -> None:
    echo: Handler = lambda head, sent: b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(sent), sent)  # noqa: E731
    body = bytes(range(256)) * 5000
    with server([(echo, False)]) as (port, _):
        assert pool(port).request("PUT", "/k", {"Host": "h"}, io.BytesIO(body), len(body)).data == body

    class Cut(io.BytesIO):
        def read(self, amount: int | None = -1) -> bytes:
            if self.tell():
                raise KeyboardInterrupt  # what the relay raises, as it is (the request ends)
            return super().read(amount)

    with server([(echo, False)]) as (port, _), pytest.raises(KeyboardInterrupt):
        pool(port).request("PUT", "/k", {"Host": "h"}, Cut(bytes(3 * 1024 * 1024)), 3 * 1024 * 1024)


def test_a_body_shorter_than_announced_is_broken() -> None:
    short: Handler = lambda head, sent: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"  # noqa: E731
    with server([(short, True)]) as (port, _):
        response = pool(port).request("GET", "/k", {"Host": "h"})
        with pytest.raises(Broken):
            response.read()


def test_a_relayed_body_never_starts_on_a_connection_the_server_closed_while_idle() -> None:
    echo: Handler = lambda head, sent: b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(sent), sent)  # noqa: E731
    body = bytes(2 * 1024 * 1024)
    with server([(answer(b"one"), True), (echo, False)]) as (port, heads):
        http = pool(port)
        assert http.request("GET", "/k", {"Host": "h"}).data == b"one"
        threading.Event().wait(0.1)  # the server has closed the idle connection
        assert http.request("PUT", "/k", {"Host": "h"}, io.BytesIO(body), len(body)).data == body
    assert len(heads) == 2
