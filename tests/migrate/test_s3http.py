"""The fast object calls (migrate/s3http.py) answer as boto3 does: same fields, same errors, against moto_server."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from migrate import s3http
from migrate.metadata import encode_words
from tests.migrate.s3_support import PART, Buckets, Faulty, data

pytestmark = pytest.mark.moto

FIELDS = ("ContentLength", "ETag", "ContentType", "ContentDisposition", "Metadata", "ChecksumSHA256")


def test_responses_have_the_fields_boto3_gives(s3: Buckets) -> None:
    real = s3.destination.client
    fast = s3http.wrap(real)
    assert isinstance(fast, s3http.FastClient) and s3http.wrap(Faulty(real)) is not fast
    metadata = {"user": "u-1", "wire-metadata": encode_words('{"filename":"Präsentation.pdf"}')}
    put = fast.put_object(
        Bucket=s3.destination.bucket,
        Key="v3/eternal/a b+c",
        Body=data(3000, 1),
        ChecksumAlgorithm="SHA256",
        ContentType="application/pdf",
        ContentDisposition="inline",
        Metadata=metadata,
    )
    expected = real.head_object(Bucket=s3.destination.bucket, Key="v3/eternal/a b+c", ChecksumMode="ENABLED")
    head = fast.head_object(Bucket=s3.destination.bucket, Key="v3/eternal/a b+c", ChecksumMode="ENABLED")
    assert {f: head.get(f) for f in FIELDS} == {f: expected.get(f) for f in FIELDS}
    assert head["LastModified"] == expected["LastModified"]
    assert put["ChecksumSHA256"] == expected["ChecksumSHA256"] and put["ETag"] == expected["ETag"]
    got = fast.get_object(Bucket=s3.destination.bucket, Key="v3/eternal/a b+c", IfMatch=expected["ETag"])
    assert got["Body"].read() == data(3000, 1)
    got["Body"].close()


def test_errors_carry_the_codes_boto3_gives(s3: Buckets) -> None:
    fast = s3http.wrap(s3.destination.client)
    with pytest.raises(ClientError) as missing:
        fast.head_object(Bucket=s3.destination.bucket, Key="nothing")
    assert missing.value.response["Error"]["Code"] == "404"
    fast.put_object(Bucket=s3.destination.bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as changed:
        fast.get_object(Bucket=s3.destination.bucket, Key="k", IfMatch='"0000"')
    assert changed.value.response["Error"]["Code"] in ("PreconditionFailed", "412")
    with pytest.raises(ClientError) as bad:
        fast.put_object(Bucket=s3.destination.bucket, Key="k", Body=b"x", ChecksumSHA256="AAAA")
    assert bad.value.response["Error"]["Code"] == "BadDigest"


def test_a_part_goes_up_with_its_checksum(s3: Buckets) -> None:
    real = s3.destination.client
    fast = s3http.wrap(real)
    bucket = s3.destination.bucket
    upload = real.create_multipart_upload(Bucket=bucket, Key="m", ChecksumAlgorithm="SHA256")["UploadId"]
    parts = []
    for number, body in enumerate((data(PART, 1), data(10, 2)), 1):
        part = fast.upload_part(Bucket=bucket, Key="m", UploadId=upload, PartNumber=number, Body=body)
        assert part["ChecksumSHA256"]
        parts.append({"PartNumber": number, "ETag": part["ETag"], "ChecksumSHA256": part["ChecksumSHA256"]})
    real.complete_multipart_upload(Bucket=bucket, Key="m", UploadId=upload, MultipartUpload={"Parts": parts})
    assert s3.destination.body("m") == data(PART, 1) + data(10, 2)


def test_a_listing_pages_and_decodes_keys_as_boto3_does(s3: Buckets) -> None:
    real = s3.destination.client
    fast = s3http.wrap(real)
    bucket = s3.destination.bucket
    keys = ["v3/eternal/a b+c", "v3/eternal/ä ö", "v3/otr/x~y%z", "zasset", "v3/eternal/a"]
    for key in keys:
        real.put_object(Bucket=bucket, Key=key, Body=b"x")
    expected = [
        (item["Key"], item["Size"], item["ETag"])
        for page in real.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="v3/")
        for item in page.get("Contents") or []
    ]
    listed, token, pages = [], None, 0
    while True:
        page = fast.list_objects_v2(
            Bucket=bucket, Prefix="v3/", MaxKeys=2, **({"ContinuationToken": token} if token else {})
        )
        listed += [(item["Key"], item["Size"], item["ETag"]) for item in page["Contents"]]
        pages += 1
        token = page.get("NextContinuationToken")
        if not page["IsTruncated"]:
            break
    assert listed == expected and len(listed) == 4 and pages == 2


def test_bucket_calls_answer_as_boto3_does(s3: Buckets) -> None:
    fast = s3http.wrap(s3.destination.client)
    assert fast.head_bucket(Bucket=s3.destination.bucket) == {}
    with pytest.raises(ClientError) as missing:
        fast.head_bucket(Bucket="no-such-bucket")
    assert missing.value.response["Error"]["Code"] == "404"
    fast.put_object(Bucket=s3.destination.bucket, Key="gone", Body=b"x")
    fast.delete_object(Bucket=s3.destination.bucket, Key="gone")
    assert s3.destination.listing() == []
