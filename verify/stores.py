"""In-cluster checks of the data stores, connecting as the services do: `python3 -m verify.stores <spec.json>`.

Standard library only (the verify image has Python and boto3, no database drivers): each probe speaks just
enough of the store's protocol to prove what a service needs at start.

- Cassandra: a CQL OPTIONS request on 9042 answered with SUPPORTED (reachable, speaks CQL);
- PostgreSQL: TLS as `sslmode` asks, then the password login of the configured user into its database
  (SCRAM-SHA-256, MD5 or clear text, as the server asks), up to ReadyForQuery;
- Redis: TLS with Amazon's CAs (managed) or plain, AUTH with gundeck's password, PING;
- RabbitMQ: TLS with Amazon's CAs (managed) or plain, the AMQP 0-9-1 header answered with Connection.Start;
  managed: the management API (background-worker's, on 443) with the services' user, and the vhost;
- Elasticsearch/OpenSearch: cluster health (red fails, yellow warns) and brig's index, with its credentials.

Secrets come from the chart's Secrets as environment variables (names in the spec); never printed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import socket
import ssl
import struct
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from verify.pod import RESULT_MARKER
from verify.results import Result, exit_code, fail, ok, render_text, warn

TIMEOUT = 10
SSL_REQUEST = 80877103
PROTOCOL_3 = 196608
AMQP_HEADER = b"AMQP\x00\x00\x09\x01"


def _tls(ca: str | None, verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=ca) if ca else ssl.create_default_context()
    if not verify:  # libpq's sslmode=require: encrypted, the certificate not checked (as the services do)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _recv_exactly(sock: Any, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed by the server")
        data += chunk
    return data


# --- Cassandra ----------------------------------------------------------------------------------------


def cql_options_frame() -> bytes:
    """A CQL v4 OPTIONS request: version, flags, stream 0, opcode 0x05, empty body."""
    return struct.pack(">BBhBi", 0x04, 0, 0, 0x05, 0)


def cassandra(spec: dict[str, Any]) -> Result:
    check, where = "cassandra", f"{spec['host']}:{spec['port']}"
    try:
        with socket.create_connection((spec["host"], spec["port"]), timeout=TIMEOUT) as sock:
            sock.sendall(cql_options_frame())
            header = _recv_exactly(sock, 9)
    except OSError as error:
        return fail(check, where, f"not reachable from the cluster ({error}); every Wire service needs it")
    if header[4] != 0x06:
        return fail(check, where, f"answered opcode {header[4]:#x} to OPTIONS, not SUPPORTED: not a CQL server?")
    return ok(check, where, "answers CQL (OPTIONS -> SUPPORTED)")


# --- PostgreSQL ---------------------------------------------------------------------------------------


def _pg_message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack(">i", len(body) + 4) + body


def _pg_read(sock: Any) -> tuple[bytes, bytes]:
    kind = _recv_exactly(sock, 1)
    (length,) = struct.unpack(">i", _recv_exactly(sock, 4))
    return kind, _recv_exactly(sock, length - 4)


def scram_client_proof(password: str, client_first_bare: str, server_first: str, client_final_bare: str) -> str:
    """RFC 5802/7677 SCRAM-SHA-256: the client's proof (base64) for the server's salt and iteration count."""
    fields = dict(item.split("=", 1) for item in server_first.split(","))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(fields["s"]), int(fields["i"]))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    auth_message = f"{client_first_bare},{server_first},{client_final_bare}".encode()
    signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
    return base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature, strict=True))).decode()


def _pg_login(sock: Any, user: str, dbname: str, password: str) -> str | None:
    """None when logged in (ReadyForQuery), else the server's reason."""
    startup = struct.pack(">i", PROTOCOL_3) + f"user\0{user}\0database\0{dbname}\0\0".encode()
    sock.sendall(struct.pack(">i", len(startup) + 4) + startup)
    nonce, first_bare = base64.b64encode(secrets.token_bytes(18)).decode(), ""
    while True:
        kind, body = _pg_read(sock)
        if kind == b"E":
            fields = {part[:1]: part[1:].decode(errors="replace") for part in body.split(b"\0") if part}
            return fields.get(b"M", "error")
        if kind == b"Z":
            return None
        if kind != b"R":
            continue
        (code,) = struct.unpack(">i", body[:4])
        if code == 3:  # clear text
            sock.sendall(_pg_message(b"p", password.encode() + b"\0"))
        elif code == 5:  # MD5
            inner = hashlib.md5((password + user).encode()).hexdigest()
            outer = "md5" + hashlib.md5(inner.encode() + body[4:8]).hexdigest()
            sock.sendall(_pg_message(b"p", outer.encode() + b"\0"))
        elif code == 10:  # SASL: SCRAM-SHA-256
            first_bare = f"n=,r={nonce}"
            first = f"n,,{first_bare}".encode()
            sock.sendall(_pg_message(b"p", b"SCRAM-SHA-256\0" + struct.pack(">i", len(first)) + first))
        elif code == 11:  # SASL continue: the server's first message
            server_first = body[4:].decode()
            server_nonce = dict(item.split("=", 1) for item in server_first.split(","))["r"]
            final_bare = f"c=biws,r={server_nonce}"
            proof = scram_client_proof(password, first_bare, server_first, final_bare)
            sock.sendall(_pg_message(b"p", f"{final_bare},p={proof}".encode()))
        elif code not in (0, 12):  # 0: ok, 12: SASL final
            return f"authentication method {code} is not one the services use"


def postgresql(spec: dict[str, Any]) -> Result:
    check, where = "postgresql", f"{spec['user']}@{spec['host']}:{spec['port']}/{spec['dbname']}"
    password = os.environ.get(spec.get("passwordEnv") or "", "")
    try:
        raw = socket.create_connection((spec["host"], int(spec["port"])), timeout=TIMEOUT)
        sock: Any = raw
        if spec.get("sslmode") in ("require", "verify-ca", "verify-full"):
            raw.sendall(struct.pack(">ii", 8, SSL_REQUEST))
            if _recv_exactly(raw, 1) != b"S":
                raw.close()
                return fail(check, where, "the server refuses TLS, which sslmode require asks for")
            sock = _tls(None, verify=spec["sslmode"] != "require").wrap_socket(raw, server_hostname=spec["host"])
        with sock:
            reason = _pg_login(sock, spec["user"], spec["dbname"], password)
    except OSError as error:
        return fail(check, where, f"not reachable from the cluster ({error})")
    if reason is not None:
        return fail(check, where, f"login refused: {reason} (check databases.postgresql.user/dbname/password)")
    tls = " over TLS" if spec.get("sslmode") == "require" else ""
    return ok(check, where, f"logged in with the services' password{tls}")


# --- Redis --------------------------------------------------------------------------------------------


def resp_command(*words: str) -> bytes:
    parts = [f"*{len(words)}\r\n".encode()]
    for word in words:
        data = word.encode()
        parts.append(f"${len(data)}\r\n".encode() + data + b"\r\n")
    return b"".join(parts)


def redis(spec: dict[str, Any], ca: str | None) -> Result:
    check, where = "redis", f"{spec['host']}:{spec['port']}"
    password = os.environ.get(spec.get("passwordEnv") or "", "")
    try:
        raw = socket.create_connection((spec["host"], int(spec["port"])), timeout=TIMEOUT)
        sock: Any = _tls(ca, verify=True).wrap_socket(raw, server_hostname=spec["host"]) if spec["tls"] else raw
        with sock:
            if password:
                sock.sendall(resp_command("AUTH", password))
                answer = sock.recv(256)
                if not answer.startswith(b"+OK"):
                    return fail(check, where, "AUTH refused: gundeck's redisPassword does not match")
            sock.sendall(resp_command("PING"))
            answer = sock.recv(256)
    except ssl.SSLError as error:
        return fail(check, where, f"TLS failed ({error}): gundeck's tlsCa must sign the server's certificate")
    except OSError as error:
        return fail(check, where, f"not reachable from the cluster ({error})")
    if not answer.startswith(b"+PONG"):
        return fail(check, where, f"PING answered {answer[:40]!r}")
    return ok(check, where, "PING -> PONG" + (" over TLS with AUTH" if spec["tls"] and password else ""))


# --- RabbitMQ -----------------------------------------------------------------------------------------


def rabbitmq(spec: dict[str, Any], ca: str | None) -> list[Result]:
    check, where = "rabbitmq", f"{spec['host']}:{spec['port']}"
    try:
        raw = socket.create_connection((spec["host"], int(spec["port"])), timeout=TIMEOUT)
        sock: Any = _tls(ca, verify=True).wrap_socket(raw, server_hostname=spec["host"]) if spec["tls"] else raw
        with sock:
            sock.sendall(AMQP_HEADER)
            frame = _recv_exactly(sock, 11)
    except ssl.SSLError as error:
        return [fail(check, where, f"TLS failed ({error}): the services' tlsCaSecretRef must sign its certificate")]
    except OSError as error:
        return [fail(check, where, f"not reachable from the cluster ({error})")]
    frame_type, (class_id, method_id) = frame[0], struct.unpack(">HH", frame[7:11])
    if (frame_type, class_id, method_id) != (1, 10, 10):
        return [fail(check, where, "did not answer the AMQP 0-9-1 header with Connection.Start")]
    results = [ok(check, where, "AMQP 0-9-1 Connection.Start" + (" over TLS" if spec["tls"] else ""))]
    if spec.get("adminPort"):
        results.append(_rabbitmq_vhost(spec, ca))
    return results


def _rabbitmq_vhost(spec: dict[str, Any], ca: str | None) -> Result:
    check = "rabbitmq vhost"
    vhost = spec.get("vhost", "/")
    url = f"https://{spec['host']}:{spec['adminPort']}/api/vhosts/{urllib.parse.quote(vhost, safe='')}"
    user = os.environ.get(spec.get("usernameEnv") or "", "")
    password = os.environ.get(spec.get("passwordEnv") or "", "")
    status, _body = _get(url, user, password, ca)
    if status == 200:
        return ok(check, url, f"the services' user logs in and sees vhost {vhost}")
    if status == 401:
        return fail(check, url, "the services' RabbitMQ user or password is refused")
    if status == 404:
        return fail(check, url, f"vhost {vhost} does not exist")
    return fail(check, url, f"management API answered {status}")


# --- Elasticsearch / OpenSearch -----------------------------------------------------------------------


def _get(url: str, user: str, password: str, ca: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    # Straight to the store, never through the outbound proxy (the stores are in the noProxy list too).
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=_tls(ca, verify=True))
    )
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.read(65536).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError as error:
        return 0, str(error)


def credentials_file(text: str) -> tuple[str, str]:
    """username and password from brig's elasticsearch-credentials.yaml (two plain or quoted scalars)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = json.loads(value) if value[0] == '"' else value[1:-1].replace("''", "'")
        found[key.strip()] = value
    return found.get("username", ""), found.get("password", "")


def elasticsearch(spec: dict[str, Any], ca: str | None) -> list[Result]:
    user, password = credentials_file(os.environ.get(spec.get("credentialsEnv") or "", ""))
    base = spec["url"].rstrip("/")
    status, body = _get(f"{base}/_cluster/health", user, password, ca)
    check = "elasticsearch"
    if status == 401:
        return [fail(check, base, "brig's elasticsearch credentials are refused")]
    if status != 200:
        return [fail(check, base, f"cluster health not readable ({status or body})")]
    health = json.loads(body).get("status")
    results = []
    if health == "red":
        results.append(fail(check, base, "cluster status red: a primary shard is unassigned"))
    elif health == "yellow":
        results.append(warn(check, base, "cluster status yellow: a replica shard is unassigned"))
    else:
        results.append(ok(check, base, f"cluster status {health}"))
    status, _ = _get(f"{base}/{spec['index']}", user, password, ca)
    if status == 200:
        results.append(ok("elasticsearch index", f"{base}/{spec['index']}", "brig's index exists"))
    else:
        results.append(
            fail(
                "elasticsearch index",
                f"{base}/{spec['index']}",
                "missing: elasticsearch-index's create job has not run",
            )
        )
    return results


def run(spec: dict[str, Any]) -> list[Result]:
    ca = spec.get("ca")
    results = [cassandra(spec["cassandra"])]
    if spec.get("postgresql"):
        results.append(postgresql(spec["postgresql"]))
    if spec.get("redis"):
        results.append(redis(spec["redis"], ca))
    if spec.get("rabbitmq"):
        results += rabbitmq(spec["rabbitmq"], ca)
    if spec.get("elasticsearch"):
        results += elasticsearch(spec["elasticsearch"], ca)
    return results


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python3 -m verify.stores <spec.json>", file=sys.stderr)
        return 2
    results = run(json.loads(Path(args[0]).read_text()))
    print(render_text(results))
    print(RESULT_MARKER + json.dumps([result.as_dict() for result in results], ensure_ascii=False))
    return exit_code(results)


if __name__ == "__main__":
    raise SystemExit(main())
