"""AWS Signature Version 4 for the copy's S3 requests (migrate/s3http.py), and static credentials."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED = "UNSIGNED-PAYLOAD"


@dataclass(frozen=True)
class Keys:
    """Credentials that do not change during a run (an access key, a session's token), with the one method of
    botocore's credentials the signer calls: what the copy uses without loading botocore."""

    access_key: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)

    def get_frozen_credentials(self) -> Keys:
        return self


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
