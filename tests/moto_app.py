"""The moto_server the tests run (started by tests/moto_support.py only): moto's own app and request handler in
werkzeug's threaded server, as `moto_server` runs them, plus snapshots.

It listens on a port the system picks on 127.0.0.1 and prints that port once it listens: whoever started it reads
the port, so no other process can take it in between, and knows the server is up without polling it.

`POST /_tests/snapshot/<name>` keeps a copy of every service's state under `name`; `POST /_tests/restore/<name>`
makes the state that copy again (404 when this server keeps none of that name). A test stack that takes ~90 calls
to build is built once per server and restored for each test with one call: the same state, so a test still
starts from a clean, complete stack whatever ran before it.

moto also lists its package folder (a listdir and ~200 isdir) on every request to route it; the listing cannot
change while the server runs, so it is read once.
"""

from __future__ import annotations

import copy
import copyreg
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto import backends
from moto.core.base_backend import BackendDict, backend_lock
from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

PREFIX = "/_tests/"
# Per service (its BackendDict): account -> region -> backend.
State = list[tuple[Any, dict[str, dict[str, Any]]]]
_snapshots: dict[str, State] = {}

# Locks are not state: a copy gets a fresh one (deepcopy cannot copy them).
copyreg.pickle(type(threading.Lock()), lambda _: (threading.Lock, ()))
copyreg.pickle(type(threading.RLock()), lambda _: (threading.RLock, ()))
copyreg.pickle(threading.Condition, lambda _: (threading.Condition, ()))


def _copy(state: State) -> State:
    """The backends copied in one go (a backend another one refers to stays one object), the services not: they
    are moto's module-level registries, which the copy goes back into."""
    services = [service for service, _ in state]
    memo = {id(service): service for service in services}
    return list(zip(services, copy.deepcopy([accounts for _, accounts in state], memo), strict=True))


def snapshot(name: str) -> None:
    with backend_lock:
        current = [
            (service, {account: dict(regions) for account, regions in service.items()})
            for service in BackendDict._instances
        ]
        _snapshots[name] = _copy(current)


def restore(name: str) -> bool:
    saved = _snapshots.get(name)
    if saved is None:
        return False
    state = _copy(saved)
    with backend_lock:
        moto_api_backend.reset()
        for service, accounts in state:
            for account, regions in accounts.items():
                by_region = service[account]
                for region, backend in regions.items():
                    dict.__setitem__(by_region, region, backend)
    return True


class App:
    """moto's WSGI app, answering the snapshot calls itself."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX) or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        action, _, name = path.removeprefix(PREFIX).partition("/")
        if action == "snapshot" and name:
            snapshot(name)
            status = "200 OK"
        elif action == "restore" and name:
            status = "200 OK" if restore(name) else "404 Not Found"
        else:
            status = "400 Bad Request"
        start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "0")])
        return [b""]


def serve() -> None:
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    app = App(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    # As moto_server sets it: moto builds some URLs it returns with it.
    os.environ["MOTO_PORT"] = str(server.port)
    print(server.port, flush=True)
    # Nobody reads the pipe any more: moto's own prints (an unknown host, say) must not fill it and block.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    server.serve_forever()


if __name__ == "__main__":
    serve()
