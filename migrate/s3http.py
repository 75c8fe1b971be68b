"""The S3 calls of the copy's hot path, sent without botocore's per-request machinery.

A profile of the copy (issue 29) showed botocore spending ~1.6 ms of CPU per request (event hooks,
endpoint rules, parameter validation, response parsing), three times what the S3 servers themselves
spend, and ~0.45 s of every run on importing botocore and building its clients, on a 2-core machine
where client and servers share the CPU. `FastClient` sends GetObject, HeadObject, PutObject, UploadPart,
DeleteObject, HeadBucket and ListObjectsV2 over migrate/http1.py, signed as botocore signs (SigV4,
migrate/sigv4.py). It is made either from a boto3 client (`wrap`: that client's credentials, refreshed
as botocore refreshes them, endpoint, region and addressing style) or, for an endpoint given as a URL
with static keys, from those alone (`standalone`: botocore is then loaded only if a call it does not
implement is made: multipart uploads). Everything else goes to the boto3 client. Responses and errors
have the shapes boto3 gives (migrate/s3shapes.py), so the copy cannot tell the two apart. An upload's
body is hashed once here: its SHA-256 is both the `x-amz-checksum-sha256` S3 checks and stores and the
signature's payload hash (botocore hashed it twice); a body sent with a Content-MD5 is not hashed at all
(UNSIGNED-PAYLOAD: the signed Content-MD5 covers it, as the SDKs do for a body with a checksum header).
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from botocore.exceptions import ClientError, EndpointConnectionError

from migrate.http1 import Pool, Response
from migrate.s3shapes import (
    CONTENT_HEADERS,
    META,
    client_error,
    error_code,
    listing,
    object_fields,
    written,
)
from migrate.sigv4 import EMPTY_SHA256, UNSIGNED, Keys, Signer

# What botocore's standard retry mode retries: throttling, server errors and broken connections.
_RETRY_STATUS = frozenset({500, 502, 503, 504})
ATTEMPTS = 5


class Body:
    """The streamed body of a GET, as boto3's StreamingBody reads: read(n) and close()."""

    def __init__(self, response: Response) -> None:
        self._response = response

    def read(self, amount: int | None = None) -> bytes:
        return self._response.read(amount)

    def close(self) -> None:
        self._response.release()


def wrap(client: Any) -> Any:
    """A real boto3 S3 client gets the fast calls; anything else (a test's fault injector) is kept, and so is
    a client that reaches S3 through a proxy (botocore's proxy support, from its config or the environment,
    is not repeated here) or with features this path does not implement."""
    if isinstance(client, FastClient):
        return client
    # No boto3 client exists unless botocore.client was loaded: not loaded here for a FastClient's sake.
    botocore_client = sys.modules.get("botocore.client")
    if botocore_client is None or not isinstance(client, botocore_client.BaseClient):
        return client
    credentials = getattr(getattr(client, "_request_signer", None), "_credentials", None)
    meta = client.meta
    config = meta.config
    s3_config = getattr(config, "s3", None) or {}
    special = any(s3_config.get(flag) for flag in ("use_accelerate_endpoint", "use_dualstack_endpoint"))
    if credentials is None or config.proxies or special or proxied(meta.endpoint_url):
        return client
    return FastClient(
        meta.endpoint_url,
        meta.region_name or "us-east-1",
        credentials,
        path_style=s3_config.get("addressing_style") == "path",
        pool=config.max_pool_connections,
        timeouts=(config.connect_timeout, config.read_timeout),
        fallback=lambda: client,
    )


def standalone(
    url: str,
    region: str,
    keys: Keys,
    fallback: Callable[[], Any],
    *,
    pool: int,
    attempts: int = ATTEMPTS,
    timeouts: tuple[float, float] = (10, 120),
) -> FastClient | None:
    """A client of an S3 endpoint given as a URL (path-style), with static keys; None behind a proxy.
    `fallback` makes the boto3 client for every other call, on first use."""
    if proxied(url):
        return None
    client = FastClient(
        url, region, keys, path_style=True, pool=pool, timeouts=timeouts, attempts=attempts, fallback=fallback
    )
    client.standalone = True
    return client


def proxied(url: str) -> bool:
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return False  # the common case, without importing urllib.request (http.client, e-mail parsing)
    import urllib.request

    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.hostname or "")


class FastClient:
    def __init__(
        self,
        endpoint_url: str,
        region: str,
        credentials: Any,
        *,
        path_style: bool,
        pool: int,
        timeouts: tuple[float, float],
        fallback: Callable[[], Any],
        attempts: int = ATTEMPTS,
    ) -> None:
        self._endpoint = urlsplit(endpoint_url)
        self._region = region
        self._credentials = credentials
        self._path_style = path_style
        self._pool_size, self._timeouts, self._attempts = pool, timeouts, attempts
        self._pools: dict[str, Pool] = {}
        self._make_fallback: Callable[[], Any] | None = fallback
        self._fallback: Any = None
        # Made without a boto3 client (`standalone`): botocore is loaded only for the calls not made here.
        self.standalone = False
        self._lock = threading.Lock()
        self._signer = Signer()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._boto3(), name)

    def _boto3(self) -> Any:
        with self._lock:
            if self._fallback is None and self._make_fallback is not None:
                self._fallback, self._make_fallback = self._make_fallback(), None
            return self._fallback

    # --- object calls --------------------------------------------------------------------------------

    def get_object(self, *, Bucket: str, Key: str, IfMatch: str | None = None, Range: str | None = None) -> dict:
        headers = {"If-Match": IfMatch, "Range": Range}
        response = self._send("GetObject", "GET", Bucket, Key, headers, stream=True)
        result = object_fields(response.headers)
        result["Body"] = Body(response)
        return result

    def head_object(self, *, Bucket: str, Key: str, ChecksumMode: str | None = None) -> dict:
        headers = {"x-amz-checksum-mode": ChecksumMode}
        response = self._send("HeadObject", "HEAD", Bucket, Key, headers)
        return object_fields(response.headers)

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, **args: Any) -> dict:
        headers = {header: args.pop(param, None) for param, header in CONTENT_HEADERS.items()}
        for name, value in (args.pop("Metadata", None) or {}).items():
            headers[META + name] = value
        response = self._send_body("PutObject", Bucket, Key, headers, Body, args, {})
        return written(response.headers)

    def upload_part(self, *, Bucket: str, Key: str, UploadId: str, PartNumber: int, Body: bytes, **args: Any) -> dict:
        query = {"partNumber": str(PartNumber), "uploadId": UploadId}
        response = self._send_body("UploadPart", Bucket, Key, {}, Body, args, query)
        return written(response.headers)

    def delete_object(self, *, Bucket: str, Key: str) -> dict:
        self._send("DeleteObject", "DELETE", Bucket, Key, {})
        return {}

    # --- bucket calls --------------------------------------------------------------------------------

    def head_bucket(self, *, Bucket: str) -> dict:
        self._send("HeadBucket", "HEAD", Bucket, None, {})
        return {}

    def list_objects_v2(
        self, *, Bucket: str, Prefix: str = "", ContinuationToken: str | None = None, MaxKeys: int | None = None
    ) -> dict:
        """One page of keys, URL-encoded on the wire and decoded here (as botocore asks for them)."""
        query = {"list-type": "2", "prefix": Prefix, "encoding-type": "url"}
        if ContinuationToken:
            query["continuation-token"] = ContinuationToken
        if MaxKeys is not None:
            query["max-keys"] = str(MaxKeys)
        return listing(self._send("ListObjectsV2", "GET", Bucket, None, {}, query=query).data)

    # --- plumbing ------------------------------------------------------------------------------------

    def _send_body(
        self, operation: str, bucket: str, key: str, headers: dict, body: bytes, args: dict, query: dict
    ) -> Response:
        content_md5 = args.pop("ContentMD5", None)
        expected = args.pop("ChecksumSHA256", None)
        streamed = not isinstance(body, bytes | bytearray | memoryview)
        algorithm = args.pop("ChecksumAlgorithm", None if content_md5 or streamed else "SHA256")
        length = args.pop("ContentLength", None)
        if args or algorithm not in (None, "SHA256") or (content_md5 and (algorithm or expected)):
            raise TypeError(f"{operation}: unsupported arguments {sorted(args) or algorithm}")
        if streamed and (length is None or algorithm or expected):
            raise TypeError(f"{operation}: a streamed body needs its ContentLength, and takes no checksum")
        if not streamed and length is not None and length != len(body):
            raise ValueError(f"{operation}: ContentLength {length} for a body of {len(body)} bytes")
        if content_md5 or streamed:
            # The destination checks the body against this signed digest on arrival: no hash of it here. A
            # streamed body without one: its caller compares the ETag with the MD5 of what it sent.
            headers["Content-MD5"] = content_md5
            return self._send(
                operation, "PUT", bucket, key, headers, body=body, length=length, payload=UNSIGNED, query=query
            )
        # The checksum of the bytes sent, as an SDK computes it: S3 stores it (and checks it on arrival), so
        # what S3 reports afterwards is the checksum of what left this process, whatever the caller thought.
        digest = hashlib.sha256(body).digest()
        checksum = base64.b64encode(digest).decode("ascii")
        if expected is not None and expected != checksum:
            error = {"Error": {"Code": "BadDigest", "Message": "the body differs from its ChecksumSHA256"}}
            raise ClientError(error, operation)  # type: ignore[arg-type]
        # Both, as the SDKs send them: S3 stores the checksum (moto only with the algorithm named).
        headers["x-amz-checksum-sha256"] = checksum
        headers["x-amz-sdk-checksum-algorithm"] = "SHA256"
        payload = digest.hex()
        return self._send(operation, "PUT", bucket, key, headers, body=body, payload=payload, query=query)

    def _url(self, bucket: str, key: str | None, query: Mapping[str, str]) -> tuple[str, str, str]:
        """Host, canonical path and canonical query of a request (`key` None: the bucket itself)."""
        path = "/" + quote(key, safe="/~") if key is not None else ""
        host = self._endpoint.netloc
        if self._path_style or "." in bucket:
            path = f"/{bucket}{path}"
        else:
            host = f"{bucket}.{host}"
        default_port = {"http": ":80", "https": ":443"}[self._endpoint.scheme]
        host = host.removesuffix(default_port)
        encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(query.items()))
        return host, path or "/", encoded

    def _pool(self, host: str) -> Pool:
        with self._lock:
            pool = self._pools.get(host)
            if pool is None:
                name, _, port = host.rpartition(":") if host.rsplit(":", 1)[-1].isdigit() else (host, "", "")
                scheme = self._endpoint.scheme
                pool = Pool(
                    scheme,
                    name,
                    int(port) if port else {"http": 80, "https": 443}[scheme],
                    size=self._pool_size,
                    connect_timeout=self._timeouts[0],
                    read_timeout=self._timeouts[1],
                )
                self._pools[host] = pool
            return pool

    def _send(
        self,
        operation: str,
        method: str,
        bucket: str,
        key: str | None,
        headers: Mapping[str, str | None],
        *,
        body: Any = None,
        length: int | None = None,
        payload: str | None = None,
        query: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> Response:
        host, path, encoded = self._url(bucket, key, query or {})
        target = path + (f"?{encoded}" if encoded else "")
        pool = self._pool(host)
        wanted = {name: value for name, value in headers.items() if value is not None}
        # A relayed body (read as it is sent) cannot be sent twice: its caller makes the next attempt.
        attempts = self._attempts if body is None or isinstance(body, bytes | bytearray | memoryview) else 1
        for attempt in range(1, attempts + 1):
            credentials = self._frozen_credentials()
            signed = self._signer.sign(
                method, host, path, encoded, wanted, payload or EMPTY_SHA256, credentials, self._region
            )
            try:
                response = pool.request(method, target, signed, body if method == "PUT" else None, length)
                if response.status < 300:
                    if not stream:
                        response.preload()
                    return response
                content = response.data
            except OSError as error:
                if attempt == attempts:
                    url = f"{self._endpoint.scheme}://{host}{target}"
                    raise EndpointConnectionError(endpoint_url=url, error=error) from error
                _backoff(attempt)
                continue
            if (response.status in _RETRY_STATUS or error_code(content) in ("SlowDown", "RequestTimeout")) and (
                attempt < attempts
            ):
                _backoff(attempt)
                continue
            raise client_error(operation, response.status, response.headers, content)
        raise AssertionError("unreachable")

    def _frozen_credentials(self) -> Any:
        if isinstance(self._credentials, Keys):
            return self._credentials
        with self._lock:
            return self._credentials.get_frozen_credentials()


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, min(20.0, 0.1 * 2**attempt)))
