"""User metadata (`x-amz-meta-*`) that S3 cannot take as it is, carried without loss.

cargohold writes the audit metadata `wire-metadata` as JSON holding the user's file name, non-ASCII
included, as raw UTF-8 header bytes (CargoHold.S3 `setAmzAuditLogMetadata`, wire-server develop); minio
keeps and returns those bytes, which the SDK reads as ISO-8859-1. S3 takes only ASCII header values:
a non-ASCII value is sent RFC 2047-encoded (`=?UTF-8?B?...?=`), which S3 decodes on upload and
returns in the same encoding, exactly as if cargohold had uploaded the object to S3 itself. Values are
compared as the text they stand for, so the copy verifies against its source.
"""

from __future__ import annotations

import base64
import re

_ENCODED_WORD = re.compile(r"=\?([A-Za-z0-9_-]+)\?([BbQq])\?([^?]*)\?=")
# RFC 2047 limits an encoded word to 75 characters; S3 decodes longer ones too, but stay within it.
_CHUNK = 45


def metadata_text(value: str) -> str:
    """The text a metadata value stands for: RFC 2047 words decoded, raw UTF-8 bytes (read as Latin-1) too."""
    decoded = _decode_words(value)
    if decoded != value:
        return decoded
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def s3_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """Metadata as S3 takes it: ASCII values as they are, any other value RFC 2047-encoded (UTF-8, base64)."""
    return {key: value if value.isascii() else encode_words(value) for key, value in metadata.items()}


def encode_words(text: str) -> str:
    # Split on characters, never inside one: each word decodes on its own.
    words, current = [], ""
    for char in text:
        if len((current + char).encode("utf-8")) > _CHUNK:
            words.append(current)
            current = ""
        current += char
    words.append(current)
    return " ".join(f"=?UTF-8?B?{base64.b64encode(word.encode('utf-8')).decode('ascii')}?=" for word in words)


def _decode_words(value: str) -> str:
    if "=?" not in value:
        return value
    # Whitespace between adjacent encoded words is not part of the text (RFC 2047, section 6.2).
    joined = re.sub(r"\?=\s+=\?", "?==?", value)

    def decode(match: re.Match[str]) -> str:
        charset, kind, payload = match.group(1), match.group(2).upper(), match.group(3)
        try:
            if kind == "B":
                raw = base64.b64decode(payload)
            else:
                raw = re.sub(r"=([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), payload.replace("_", " "))
                raw = raw.encode("latin-1")
            return raw.decode(charset)
        except (ValueError, LookupError, UnicodeError):
            return match.group(0)

    return _ENCODED_WORD.sub(decode, joined)
