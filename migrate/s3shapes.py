"""S3's answers in the shapes boto3 gives them (migrate/s3http.py): the fields of an object's headers, of a
write, of a listing, and errors as `ClientError` with S3's error code."""

from __future__ import annotations

import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from botocore.exceptions import ClientError

# Content headers as boto3 names them -> the HTTP header.
CONTENT_HEADERS = {
    "ContentType": "Content-Type",
    "ContentDisposition": "Content-Disposition",
    "ContentEncoding": "Content-Encoding",
    "ContentLanguage": "Content-Language",
    "CacheControl": "Cache-Control",
}
META = "x-amz-meta-"


def error_code(content: bytes) -> str | None:
    start, end = content.find(b"<Code>"), content.find(b"</Code>")
    return content[start + 6 : end].decode("utf-8", "replace") if 0 <= start < end else None


def _message(content: bytes) -> str:
    start, end = content.find(b"<Message>"), content.find(b"</Message>")
    return content[start + 9 : end].decode("utf-8", "replace") if 0 <= start < end else ""


def client_error(operation: str, status: int, headers: Mapping[str, str], content: bytes) -> ClientError:
    code = error_code(content) or str(status)
    error = {
        "Error": {"Code": code, "Message": _message(content)},
        "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": dict(headers)},
    }
    return ClientError(error, operation)  # type: ignore[arg-type]


def object_fields(headers: Mapping[str, str]) -> dict[str, Any]:
    """The fields of a GetObject/HeadObject response the copy reads, as boto3 names them (`headers`:
    names lower-case)."""
    fields: dict[str, Any] = {
        "ContentLength": int(headers.get("content-length") or 0),
        "ETag": headers.get("etag"),
        "LastModified": http_date(headers.get("last-modified")),
        "Metadata": {name[len(META) :]: value for name, value in headers.items() if name.startswith(META)},
    }
    for param, header in CONTENT_HEADERS.items():
        if header.lower() in headers:
            fields[param] = headers[header.lower()]
    return fields | written(headers)


# Response headers both object reads and writes carry, as boto3 names them.
_WRITTEN = {
    "ChecksumSHA256": "x-amz-checksum-sha256",
    "ServerSideEncryption": "x-amz-server-side-encryption",
    "SSECustomerAlgorithm": "x-amz-server-side-encryption-customer-algorithm",
}


def written(headers: Mapping[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {"ETag": headers.get("etag")}
    result.update({field: headers[header] for field, header in _WRITTEN.items() if header in headers})
    return result


def http_date(value: str | None) -> datetime | None:
    """An HTTP date as S3 sends it (`Tue, 08 Dec 2026 00:03:28 GMT`), as botocore reads it: an aware datetime."""
    return email.utils.parsedate_to_datetime(value) if value else None


def listing(content: bytes) -> dict[str, Any]:
    """A ListObjectsV2 answer as boto3 gives it: Contents (Key, Size, ETag), IsTruncated, NextContinuationToken."""
    root = ET.fromstring(content)
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    decode = unquote_plus if root.findtext(f"{ns}EncodingType") == "url" else str
    contents = [
        {
            "Key": decode(item.findtext(f"{ns}Key") or ""),
            "Size": int(item.findtext(f"{ns}Size") or 0),
            "ETag": item.findtext(f"{ns}ETag"),
        }
        for item in root.iter(f"{ns}Contents")
    ]
    page: dict[str, Any] = {"IsTruncated": root.findtext(f"{ns}IsTruncated") == "true", "Contents": contents}
    token = root.findtext(f"{ns}NextContinuationToken")
    if token:
        page["NextContinuationToken"] = token
    return page
