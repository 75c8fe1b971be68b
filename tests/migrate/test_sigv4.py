"""The copy's SigV4 signature (migrate/sigv4.py) is botocore's, byte for byte (nothing here talks to a server)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

from migrate.sigv4 import Signer

NOW = datetime(2026, 12, 7, 21, 30, 5, tzinfo=UTC)


@pytest.mark.parametrize("token", [None, "session-token"])
@pytest.mark.parametrize(
    ("method", "host", "path", "query", "headers", "payload"),
    [
        ("GET", "assets.s3.eu-central-1.amazonaws.com", "/v3/eternal/a%20b%2Bc", "", {"If-Match": '"0f"'}, None),
        (
            "PUT",
            "127.0.0.1:9000",
            "/bucket/v3/otr/x~y",
            "partNumber=2&uploadId=a%2Fb",
            {"x-amz-checksum-sha256": "q83vEjRWeJA=", "x-amz-sdk-checksum-algorithm": "SHA256"},
            "ab" * 32,
        ),
        (
            "PUT",
            "s3.eu-central-1.amazonaws.com",
            "/bucket/k",
            "",
            {"Content-Type": "image/png", "x-amz-meta-user": "u", "x-amz-meta-wire-metadata": " =?UTF-8?B?UMOk?=  x "},
            "cd" * 32,
        ),
        ("HEAD", "minio:9000", "/dummy-bucket/k", "", {"x-amz-checksum-mode": "ENABLED"}, None),
        (
            "PUT",
            "assets.s3.eu-central-1.amazonaws.com",
            "/v3/eternal/k",
            "",
            {"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==", "Content-Type": "image/png", "x-amz-meta-user": "u"},
            "UNSIGNED-PAYLOAD",
        ),
    ],
)
def test_the_signature_is_botocores(method, host, path, query, headers, payload, token) -> None:
    credentials = ReadOnlyCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    payload = payload or "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    mine = Signer().sign(method, host, path, query, headers, payload, credentials, "eu-central-1", now=NOW)

    url = f"https://{host}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=method, url=url, headers={k: v for k, v in mine.items() if k != "authorization"})
    request.context["timestamp"] = NOW.strftime("%Y%m%dT%H%M%SZ")
    auth = S3SigV4Auth(credentials, "s3", "eu-central-1")
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    assert mine["authorization"].endswith(f"Signature={signature}")
    assert f"SignedHeaders={auth.signed_headers(auth.headers_to_sign(request))}," in mine["authorization"]
