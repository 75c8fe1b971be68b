"""Two real S3 APIs for the asset copy: a source (standing in for fake-aws-s3) and the destination."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.migrate.s3_support import DEST_BUCKET, DEST_REGION, SOURCE_BUCKET, SOURCE_REGION, Buckets, Side, client
from tests.moto_support import moto_servers, post


@pytest.fixture(scope="session")
def s3_urls() -> Iterator[tuple[str, str]]:
    with moto_servers(2) as (source, destination):
        yield source, destination


@pytest.fixture
def s3(s3_urls: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Buckets:
    """Both servers reset, each with its bucket; dummy keys for the source (SOURCE_*) and the destination (AWS_*)."""
    for key in list(os.environ):
        if key.startswith(("AWS_", "SOURCE_AWS_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("SOURCE_AWS_ACCESS_KEY_ID", "minio-key")
    monkeypatch.setenv("SOURCE_AWS_SECRET_ACCESS_KEY", "minio-secret")
    source_url, dest_url = s3_urls
    for url in s3_urls:
        post(f"{url}/moto-api/reset")
    source = Side(source_url, SOURCE_BUCKET, client(source_url, SOURCE_REGION))
    destination = Side(dest_url, DEST_BUCKET, client(dest_url, DEST_REGION))
    source.client.create_bucket(Bucket=SOURCE_BUCKET)
    destination.client.create_bucket(Bucket=DEST_BUCKET, CreateBucketConfiguration={"LocationConstraint": DEST_REGION})
    return Buckets(source, destination, tmp_path)
