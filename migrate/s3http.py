"""The four object calls of the copy's hot path, sent without botocore's per-request machinery.

A profile of the copy (issue 29) showed botocore spending ~1.6 ms of CPU per request (event hooks,
endpoint rules, parameter validation, response parsing), three times what the S3 servers themselves
spend, on a 2-core machine where client and servers share the CPU. `FastClient` wraps a boto3 S3
client: GetObject, HeadObject, PutObject and UploadPart go straight to urllib3 (botocore's own HTTP
library), signed (SigV4, as botocore signs; `Signer`) with the client's own credentials (refreshed as botocore
refreshes them: IRSA, profiles, ...), endpoint, region and addressing style; everything else (listing,
multipart create/complete/abort, delete) goes to the wrapped client. Responses and errors have the
shapes boto3 gives (`ClientError` with the S3 error code, "404" for a HEAD), so the copy cannot tell
the two apart. An upload's body is hashed once here: its SHA-256 is both the `x-amz-checksum-sha256`
S3 checks and stores and the signature's payload hash (botocore hashed it twice); a body sent with a
Content-MD5 is not hashed at all (UNSIGNED-PAYLOAD: the signed Content-MD5 covers it).
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
import random
import threading
import time
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import urllib3
from botocore.client import BaseClient
from botocore.exceptions import ClientError, EndpointConnectionError

_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED = "UNSIGNED-PAYLOAD"
# Content headers as boto3 names them -> the HTTP header.
_CONTENT_HEADERS = {
    "ContentType": "Content-Type",
    "ContentDisposition": "Content-Disposition",
    "ContentEncoding": "Content-Encoding",
    "ContentLanguage": "Content-Language",
    "CacheControl": "Cache-Control",
}
_META = "x-amz-meta-"
# What botocore's standard retry mode retries: throttling, server errors and broken connections.
_RETRY_STATUS = frozenset({500, 502, 503, 504})
_ATTEMPTS = 5


class Signer:
    """AWS Signature Version 4 for S3 requests, with the signing key kept for the day (botocore derives it
    again for every request: four HMACs): canonical request, string to sign, signature, exactly as
    botocore's S3SigV4Auth (a test compares the two)."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str, str], bytes] = {}
        self._lock = threading.Lock()

    def _key(self, secret: str, day: str, region: str) -> bytes:
        with self._lock:
            key = self._keys.get((secret, day, region))
            if key is None:
                key = ("AWS4" + secret).encode("utf-8")
                for part in (day, region, "s3", "aws4_request"):
                    key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
                self._keys = {(secret, day, region): key}  # only today's
            return key

    def sign(
        self,
        method: str,
        host: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        payload: str,
        credentials: Any,
        region: str,
        now: datetime | None = None,
    ) -> dict[str, str]:
        """The headers to send: `headers` and the date, payload hash, token and Authorization headers."""
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        signed = {name.lower(): " ".join(str(value).split()) for name, value in headers.items()}
        signed |= {"host": host, "x-amz-date": stamp, "x-amz-content-sha256": payload}
        if credentials.token:
            signed["x-amz-security-token"] = credentials.token
        names = sorted(signed)
        canonical = "\n".join(
            (method, path, query, "".join(f"{name}:{signed[name]}\n" for name in names), ";".join(names), payload)
        )
        scope = f"{stamp[:8]}/{region}/s3/aws4_request"
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{digest}"
        signature = hmac.new(self._key(credentials.secret_key, stamp[:8], region), to_sign.encode(), hashlib.sha256)
        signed["authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, SignedHeaders={';'.join(names)}, "
            f"Signature={signature.hexdigest()}"
        )
        return signed


class Body:
    """The streamed body of a GET, as boto3's StreamingBody reads: read(n) and close()."""

    def __init__(self, response: urllib3.BaseHTTPResponse) -> None:
        self._response = response
        self._ended = False

    def read(self, amount: int | None = None) -> bytes:
        data = self._response.read(amount)
        if not data or amount is None:
            self._ended = True
        return data

    def close(self) -> None:
        # A body read to its end gives its connection back to the pool; one abandoned half way is closed.
        if not self._ended:
            self._response.close()
        self._response.release_conn()


def wrap(client: Any) -> Any:
    """A real boto3 S3 client gets the fast object calls; anything else (a test's fault injector) is kept, and
    so is a client that reaches S3 through a proxy (botocore's proxy support, from its config or the
    environment, is not repeated here) or with features this path does not implement."""
    if isinstance(client, FastClient) or not isinstance(client, BaseClient):
        return client
    credentials = getattr(getattr(client, "_request_signer", None), "_credentials", None)
    config = client.meta.config
    s3_config = getattr(config, "s3", None) or {}
    special = any(s3_config.get(flag) for flag in ("use_accelerate_endpoint", "use_dualstack_endpoint"))
    if credentials is None or config.proxies or special or _proxied(client.meta.endpoint_url):
        return client
    return FastClient(client, credentials)


def _proxied(url: str) -> bool:
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.hostname or "")


class FastClient:
    def __init__(self, client: BaseClient, credentials: Any) -> None:
        self._client = client
        self._credentials = credentials
        meta = client.meta
        self._endpoint = urlsplit(meta.endpoint_url)
        self._region = meta.region_name or "us-east-1"
        s3_config = getattr(meta.config, "s3", None) or {}
        self._path_style = s3_config.get("addressing_style") == "path"
        timeout = urllib3.Timeout(connect=meta.config.connect_timeout, read=meta.config.read_timeout)
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=meta.config.max_pool_connections, block=False, retries=False, timeout=timeout
        )
        self._lock = threading.Lock()
        self._signer = Signer()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    # --- the calls -----------------------------------------------------------------------------------

    def get_object(self, *, Bucket: str, Key: str, IfMatch: str | None = None, Range: str | None = None) -> dict:
        headers = {"If-Match": IfMatch, "Range": Range}
        response = self._send("GetObject", "GET", Bucket, Key, headers, stream=True)
        result = _object_fields(response.headers)
        result["Body"] = Body(response)
        return result

    def head_object(self, *, Bucket: str, Key: str, ChecksumMode: str | None = None) -> dict:
        headers = {"x-amz-checksum-mode": ChecksumMode}
        response = self._send("HeadObject", "HEAD", Bucket, Key, headers)
        return _object_fields(response.headers)

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, **args: Any) -> dict:
        headers = {header: args.pop(param, None) for param, header in _CONTENT_HEADERS.items()}
        for name, value in (args.pop("Metadata", None) or {}).items():
            headers[_META + name] = value
        response = self._send_body("PutObject", Bucket, Key, headers, Body, args, {})
        return _written(response.headers)

    def upload_part(self, *, Bucket: str, Key: str, UploadId: str, PartNumber: int, Body: bytes, **args: Any) -> dict:
        query = {"partNumber": str(PartNumber), "uploadId": UploadId}
        response = self._send_body("UploadPart", Bucket, Key, {}, Body, args, query)
        return _written(response.headers)

    # --- plumbing ------------------------------------------------------------------------------------

    def _send_body(
        self, operation: str, bucket: str, key: str, headers: dict, body: bytes, args: dict, query: dict
    ) -> urllib3.BaseHTTPResponse:
        content_md5 = args.pop("ContentMD5", None)
        expected = args.pop("ChecksumSHA256", None)
        algorithm = args.pop("ChecksumAlgorithm", None if content_md5 else "SHA256")
        if args or algorithm not in (None, "SHA256") or (content_md5 and (algorithm or expected)):
            raise TypeError(f"{operation}: unsupported arguments {sorted(args) or algorithm}")
        if content_md5:
            # The destination checks the body against this signed digest on arrival; the body itself is not
            # hashed again for the signature (as the SDKs do for a body with a checksum header).
            headers["Content-MD5"] = content_md5
            return self._send(operation, "PUT", bucket, key, headers, body=body, payload=UNSIGNED, query=query)
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

    def _url(self, bucket: str, key: str, query: Mapping[str, str]) -> tuple[str, str, str, str]:
        """URL, Host, canonical path and canonical query of an object request."""
        path = "/" + quote(key, safe="/~")
        host = self._endpoint.netloc
        if self._path_style or "." in bucket:
            path = f"/{bucket}{path}"
        else:
            host = f"{bucket}.{host}"
        default_port = {"http": ":80", "https": ":443"}[self._endpoint.scheme]
        host = host.removesuffix(default_port)
        encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(query.items()))
        url = f"{self._endpoint.scheme}://{host}{path}" + (f"?{encoded}" if encoded else "")
        return url, host, path, encoded

    def _send(
        self,
        operation: str,
        method: str,
        bucket: str,
        key: str,
        headers: Mapping[str, str | None],
        *,
        body: bytes = b"",
        payload: str | None = None,
        query: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> urllib3.BaseHTTPResponse:
        url, host, path, encoded = self._url(bucket, key, query or {})
        wanted = {name: value for name, value in headers.items() if value is not None}
        for attempt in range(1, _ATTEMPTS + 1):
            credentials = self._frozen_credentials()
            signed = self._signer.sign(
                method, host, path, encoded, wanted, payload or _EMPTY_SHA256, credentials, self._region
            )
            try:
                response = self._pool.request(
                    method,
                    url,
                    body=body if method == "PUT" else None,
                    headers=signed,
                    preload_content=not stream,
                    redirect=False,
                )
            except urllib3.exceptions.HTTPError as error:
                if attempt == _ATTEMPTS:
                    raise EndpointConnectionError(endpoint_url=url, error=error) from error
                _backoff(attempt)
                continue
            if response.status < 300:
                return response
            content = response.data if method != "HEAD" else b""
            response.release_conn()
            if (response.status in _RETRY_STATUS or _code(content) in ("SlowDown", "RequestTimeout")) and (
                attempt < _ATTEMPTS
            ):
                _backoff(attempt)
                continue
            raise _client_error(operation, response, content)
        raise AssertionError("unreachable")

    def _frozen_credentials(self) -> Any:
        with self._lock:
            return self._credentials.get_frozen_credentials()


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, min(20.0, 0.1 * 2**attempt)))


def _code(content: bytes) -> str | None:
    start, end = content.find(b"<Code>"), content.find(b"</Code>")
    return content[start + 6 : end].decode("utf-8", "replace") if 0 <= start < end else None


def _message(content: bytes) -> str:
    start, end = content.find(b"<Message>"), content.find(b"</Message>")
    return content[start + 9 : end].decode("utf-8", "replace") if 0 <= start < end else ""


def _client_error(operation: str, response: urllib3.BaseHTTPResponse, content: bytes) -> ClientError:
    code = _code(content) or str(response.status)
    error = {
        "Error": {"Code": code, "Message": _message(content)},
        "ResponseMetadata": {"HTTPStatusCode": response.status, "HTTPHeaders": dict(response.headers)},
    }
    return ClientError(error, operation)  # type: ignore[arg-type]


def _object_fields(headers: Mapping[str, str]) -> dict[str, Any]:
    """The fields of a GetObject/HeadObject response the copy reads, as boto3 names them."""
    lower = {name.lower(): value for name, value in headers.items()}
    fields: dict[str, Any] = {
        "ContentLength": int(lower.get("content-length") or 0),
        "ETag": lower.get("etag"),
        "LastModified": _http_date(lower.get("last-modified")),
        "Metadata": {name[len(_META) :]: value for name, value in lower.items() if name.startswith(_META)},
    }
    for param, header in _CONTENT_HEADERS.items():
        if header.lower() in lower:
            fields[param] = lower[header.lower()]
    if "x-amz-checksum-sha256" in lower:
        fields["ChecksumSHA256"] = lower["x-amz-checksum-sha256"]
    return fields


def _written(headers: Mapping[str, str]) -> dict[str, Any]:
    lower = {name.lower(): value for name, value in headers.items()}
    result: dict[str, Any] = {"ETag": lower.get("etag")}
    if "x-amz-checksum-sha256" in lower:
        result["ChecksumSHA256"] = lower["x-amz-checksum-sha256"]
    return result


def _http_date(value: str | None) -> datetime | None:
    return email.utils.parsedate_to_datetime(value) if value else None
