"""The data stores' in-cluster checks: the spec and Job they get, and the probes against small local servers
speaking each store's protocol (as far as the probes go), run with the standard library only, as in the pod."""

from __future__ import annotations

import base64
import json
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import kubernetes_validate
import pytest

from components.config.databases import Databases
from tests.components.k8s.k8s_support import aws_outputs, make_cfg
from verify import incluster, stores
from verify.results import Status

NETWORK = {
    "vpcId": "vpc-0a1b2c3d4e5f60718",
    "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"],
    "clientSecurityGroupIds": ["sg-0a1b2c3d4e5f60799"],
}


def managed_cfg() -> Any:
    # Every store but Cassandra managed (the base config's self-run databases section replaced).
    databases = {name: {"managed": {}} for name in ("postgresql", "redis", "rabbitmq", "elasticsearch")}
    cfg = make_cfg(network=NETWORK, databases=None)
    managed = Databases.model_validate({**databases, "cassandra": {"host": "cassandra-external"}})
    return cfg.model_copy(update={"databases": managed})


@contextmanager
def tcp_server(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A one-connection-at-a-time TCP server on 127.0.0.1; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(5)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn, suppress(OSError):
                handle(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_scram_proof_matches_rfc_7677() -> None:
    # RFC 7677 section 3: user "user", password "pencil".
    server_first = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    proof = stores.scram_client_proof(
        "pencil",
        "n=user,r=rOprNGfwEbeRWgbNEkqO",
        server_first,
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    )
    assert proof == "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="


def test_cassandra_answers_cql_or_is_reported() -> None:
    def supported(conn: socket.socket) -> None:
        request = conn.recv(9)
        assert request == stores.cql_options_frame()
        conn.sendall(struct.pack(">BBhBi", 0x84, 0, 0, 0x06, 0))

    with tcp_server(supported) as port:
        assert stores.cassandra({"host": "127.0.0.1", "port": port}).status == Status.OK
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    result = stores.cassandra({"host": "127.0.0.1", "port": port})
    assert result.status == Status.FAIL and "not reachable" in result.message


def _pg_server(password: str) -> Callable[[socket.socket], None]:
    def handle(conn: socket.socket) -> None:
        (length,) = struct.unpack(">i", conn.recv(4))
        startup = conn.recv(length - 4)
        assert b"user\0wire_server\0database\0wire_server\0" in startup
        conn.sendall(b"R" + struct.pack(">ii", 8, 3))  # clear-text password, please
        kind, size = conn.recv(1), struct.unpack(">i", conn.recv(4))[0]
        given = conn.recv(size - 4).rstrip(b"\0").decode()
        if kind == b"p" and given == password:
            conn.sendall(b"R" + struct.pack(">ii", 8, 0) + b"Z" + struct.pack(">i", 5) + b"I")
        else:
            message = b"SFATAL\0C28P01\0Mpassword authentication failed\0\0"
            conn.sendall(b"E" + struct.pack(">i", len(message) + 4) + message)

    return handle


def test_postgresql_logs_in_with_the_services_password(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = {"user": "wire_server", "dbname": "wire_server", "sslmode": None, "passwordEnv": "PG_PASSWORD"}
    with tcp_server(_pg_server("right")) as port:
        monkeypatch.setenv("PG_PASSWORD", "right")
        assert stores.postgresql({**spec, "host": "127.0.0.1", "port": port}).status == Status.OK
        monkeypatch.setenv("PG_PASSWORD", "wrong")
        refused = stores.postgresql({**spec, "host": "127.0.0.1", "port": port})
    assert refused.status == Status.FAIL and "password authentication failed" in refused.message


def test_redis_auth_and_ping(monkeypatch: pytest.MonkeyPatch) -> None:
    def handle(conn: socket.socket) -> None:
        auth = conn.recv(256)
        conn.sendall(b"+OK\r\n" if b"right" in auth else b"-WRONGPASS\r\n")
        if b"right" in auth:
            assert conn.recv(64) == stores.resp_command("PING")
            conn.sendall(b"+PONG\r\n")

    with tcp_server(handle) as port:
        spec = {"host": "127.0.0.1", "port": port, "tls": False, "passwordEnv": "REDIS_PASSWORD"}
        monkeypatch.setenv("REDIS_PASSWORD", "right")
        assert stores.redis(spec, None).status == Status.OK
        monkeypatch.setenv("REDIS_PASSWORD", "wrong")
        assert stores.redis(spec, None).status == Status.FAIL


def test_rabbitmq_answers_the_amqp_header() -> None:
    def handle(conn: socket.socket) -> None:
        assert conn.recv(8) == stores.AMQP_HEADER
        payload = struct.pack(">HHBB", 10, 10, 0, 9)
        conn.sendall(struct.pack(">BHI", 1, 0, len(payload)) + payload + b"\xce")

    with tcp_server(handle) as port:
        (result,) = stores.rabbitmq({"host": "127.0.0.1", "port": port, "tls": False, "vhost": "/"}, None)
    assert result.status == Status.OK


class _Search(BaseHTTPRequestHandler):
    health = "green"

    def do_GET(self) -> None:
        expected = "Basic " + base64.b64encode(b"wire:s3cr-t").decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"status": self.health}).encode() if self.path == "/_cluster/health" else b"{}"
        self.send_response(200 if self.path in ("/_cluster/health", "/directory") else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


def test_elasticsearch_health_and_index_with_brigs_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Search)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        spec = {"url": f"http://127.0.0.1:{server.server_port}", "index": "directory", "credentialsEnv": "ES"}
        monkeypatch.setenv("ES", "password: s3cr-t\nusername: wire\n")
        assert [r.status for r in stores.elasticsearch(spec, None)] == [Status.OK, Status.OK]
        _Search.health = "red"
        assert stores.elasticsearch(spec, None)[0].status == Status.FAIL
        monkeypatch.setenv("ES", "password: wrong\nusername: wire\n")
        assert "refused" in stores.elasticsearch(spec, None)[0].message
    finally:
        _Search.health = "green"
        server.shutdown()


def test_credentials_file_reads_quoted_yaml_scalars() -> None:
    assert stores.credentials_file("password: 'it''s'\nusername: \"a:b\"\n") == ("a:b", "it's")


def test_the_stores_job_reads_managed_addresses_and_the_charts_secrets() -> None:
    cfg = managed_cfg()
    record = aws_outputs(cfg)
    documents = incluster.job_manifests(cfg, record)
    for document in documents:
        kubernetes_validate.validate(document, "1.30", strict=True)
    job = next(d for d in documents if d["metadata"]["name"] == "wire-infra-verify-datastores")
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][:3] == ["python3", "-m", "verify.stores"]
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    assert refs == {
        "PG_PASSWORD": {"name": "brig", "key": "pgPassword"},
        "REDIS_PASSWORD": {"name": "gundeck", "key": "redisPassword"},
        "RABBITMQ_USERNAME": {"name": "brig", "key": "rabbitmqUsername"},
        "RABBITMQ_PASSWORD": {"name": "brig", "key": "rabbitmqPassword"},
        "ES_CREDENTIALS": {"name": "brig", "key": "elasticsearch-credentials.yaml"},
    }
    spec = json.loads(documents[0]["data"]["datastores.json"])
    assert spec["postgresql"]["host"] == record.stores["postgresql"].host and spec["postgresql"]["sslmode"] == "require"
    assert spec["redis"]["tls"] and spec["rabbitmq"] == {
        "host": record.stores["rabbitmq"].host,
        "port": 5671,
        "tls": True,
        "vhost": "/",
        "adminPort": 443,
        "usernameEnv": "RABBITMQ_USERNAME",
        "passwordEnv": "RABBITMQ_PASSWORD",
    }
    assert spec["elasticsearch"]["url"] == f"https://{record.stores['elasticsearch'].host}:443"
    assert spec["cassandra"] == {"host": "cassandra-external", "port": 9042}
    assert "BEGIN CERTIFICATE" in spec["ca"]
    # No password ever reaches a manifest: they come from the chart's Secrets.
    assert "generated-" not in json.dumps(documents)


def test_without_the_stores_addresses_only_self_run_stores_are_checked() -> None:
    spec = incluster.store_spec(managed_cfg(), {})
    assert set(spec) == {"cassandra", "ca"}
    assert incluster.stores_from_outputs({"datastoreEndpoints": {"redis": "master.x.cache.amazonaws.com:6379"}}) == {
        "redis": ("master.x.cache.amazonaws.com", 6379)
    }


def test_the_pod_runs_the_store_checks_with_the_standard_library_and_boto3_only(tmp_path: Any) -> None:
    import subprocess
    import sys
    import textwrap

    documents = incluster.job_manifests(managed_cfg(), aws_outputs(managed_cfg()))
    configmap = documents[0]
    job = next(d for d in documents if d["metadata"]["name"] == "wire-infra-verify-datastores")
    for item in job["spec"]["template"]["spec"]["volumes"][0]["configMap"]["items"]:
        target = tmp_path / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(configmap["data"][item["key"]])
    spec = json.loads((tmp_path / "specs" / "datastores.json").read_text())
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    only_cassandra = {"cassandra": {"host": "127.0.0.1", "port": port}, "ca": spec["ca"]}
    (tmp_path / "specs" / "datastores.json").write_text(json.dumps(only_cassandra))
    bootstrap = textwrap.dedent(
        """
        import runpy, sys
        for blocked in ("components", "pydantic", "yaml", "pulumi", "policy"):
            sys.modules[blocked] = None
        sys.path.insert(0, sys.argv.pop(1))
        runpy.run_module("verify.stores", run_name="__main__", alter_sys=True)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", bootstrap, str(tmp_path), str(tmp_path / "specs" / "datastores.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    (line,) = [line for line in proc.stdout.splitlines() if line.startswith("WIRE-INFRA-VERIFY-RESULTS ")]
    (result,) = json.loads(line.removeprefix("WIRE-INFRA-VERIFY-RESULTS "))
    assert result["check"] == "cassandra" and result["status"] == "fail"
