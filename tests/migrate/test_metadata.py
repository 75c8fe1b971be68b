"""Metadata values S3 cannot take as they are: RFC 2047 on the way in, the same text on the way out."""

from __future__ import annotations

import pytest

from migrate.metadata import encode_words, metadata_text, s3_metadata

NAMES = ["Präsentation.pdf", "Mönchsjochhütte", "Q3 \u2013 \u2713 報告書.docx", "ä" * 200, "a=?b?=c"]


@pytest.mark.parametrize("text", NAMES)
def test_every_text_survives_the_encoding_s3_takes(text: str) -> None:
    encoded = s3_metadata({"wire-metadata": text})["wire-metadata"]
    assert encoded.isascii()
    assert metadata_text(encoded) == text
    # And as minio returns cargohold's raw UTF-8 header bytes (read by the SDK as Latin-1).
    assert metadata_text(text.encode("utf-8").decode("latin-1")) == text


def test_ascii_values_are_left_as_they_are() -> None:
    assert s3_metadata({"user": "3b5e-uuid", "zasset": "public=true"}) == {"user": "3b5e-uuid", "zasset": "public=true"}
    assert metadata_text("public=true") == "public=true"


def test_an_encoded_word_stays_within_rfc_2047_length() -> None:
    assert all(len(word) <= 75 for word in encode_words("ü" * 300).split(" "))


def test_a_value_s3_returned_q_encoded_is_read_as_its_text() -> None:
    assert metadata_text("=?UTF-8?Q?Pr=C3=A4sentation_1.pdf?=") == "Präsentation 1.pdf"
