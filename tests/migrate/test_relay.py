"""The read-ahead of a relayed body (migrate/relay.py): every byte once and in order, its MD5, a reader that
stops when the upload gives up, what broke the read."""

from __future__ import annotations

import hashlib
import io
import random
import threading

import pytest

from migrate.relay import AHEAD, PIECE, Relay


class Source(io.BytesIO):
    def __init__(self, data: bytes, fail_at: int | None = None) -> None:
        super().__init__(data)
        self.fail_at = fail_at
        self.closed_by: list[str] = []
        self.read_up_to = 0

    def read(self, amount: int | None = -1) -> bytes:
        if self.fail_at is not None and self.tell() >= self.fail_at:
            raise ConnectionResetError("cut off")
        return super().read(amount)

    def close(self) -> None:
        self.closed_by.append(threading.current_thread().name)
        self.read_up_to = self.tell()
        super().close()


def drain(relay: Relay, size: int, amount: int) -> bytes:
    out = bytearray()
    while len(out) < size:
        out += relay.read(min(amount, size - len(out)))
    return bytes(out)


@pytest.mark.parametrize("size", [0, 1, PIECE, PIECE + 1, 5 * PIECE + 17])
@pytest.mark.parametrize("amount", [1000, PIECE, 4 * PIECE])
def test_every_byte_once_in_order_with_its_md5(size: int, amount: int) -> None:
    data = random.Random(size).randbytes(size)
    source = Source(data)
    relay = Relay(source, size, threading.Event(), lambda: KeyboardInterrupt(), hashed=True)

    assert drain(relay, size, amount) == data
    relay.close()
    assert relay.md5_hex() == hashlib.md5(data).hexdigest()
    for _ in range(100):
        if source.closed_by:
            break
        threading.Event().wait(0.01)
    assert source.closed_by  # by the reader (read ahead) or by close()


def test_an_upload_that_gives_up_stops_the_reader_and_the_body_is_closed() -> None:
    size = (AHEAD + 10) * PIECE
    source = Source(bytes(size))
    relay = Relay(source, size, threading.Event(), lambda: KeyboardInterrupt(), hashed=False)
    relay.read(PIECE)
    threading.Event().wait(0.05)  # the reader fills its queue and waits

    relay.close()

    for _ in range(100):
        if source.closed_by:
            break
        threading.Event().wait(0.01)
    assert source.closed_by == ["migrate-relay"]
    assert source.read_up_to <= (AHEAD + 3) * PIECE  # it did not read the rest


def test_what_broke_the_read_is_raised_and_kept() -> None:
    size = 3 * PIECE
    source = Source(bytes(size), fail_at=PIECE)
    relay = Relay(source, size, threading.Event(), lambda: KeyboardInterrupt(), hashed=False)
    assert relay.read(PIECE) == bytes(PIECE)
    with pytest.raises(ConnectionResetError):
        relay.read(PIECE)
    assert isinstance(relay.error, ConnectionResetError)


def test_a_stopped_run_ends_the_read() -> None:
    stop = threading.Event()
    relay = Relay(Source(bytes(10)), 10, stop, lambda: KeyboardInterrupt("stopped"), hashed=False)
    stop.set()
    with pytest.raises(KeyboardInterrupt):
        relay.read(10)
    assert isinstance(relay.error, KeyboardInterrupt)
