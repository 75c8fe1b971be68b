"""Which client the copy gets for an endpoint (migrate/clients.py): its own without botocore where it can."""

from __future__ import annotations

import pytest

from migrate import s3http
from migrate.clients import Endpoint, environment_keys
from migrate.sigv4 import Keys


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_the_environment_keys_are_the_default_chains_first(monkeypatch: pytest.MonkeyPatch) -> None:
    assert environment_keys() is None
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKID")
    assert environment_keys() is None  # no secret: botocore's chain decides (and reports it)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert environment_keys() == Keys("AKID", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "security")
    assert environment_keys() == Keys("AKID", "secret", "security")  # botocore's order
    monkeypatch.setenv("AWS_CREDENTIAL_EXPIRATION", "2026-12-08T00:00:00Z")
    assert environment_keys() is None  # refreshed by botocore


def test_an_endpoint_url_with_its_region_and_keys_gets_a_client_without_botocore() -> None:
    endpoint = Endpoint("source", "assets", "us-east-1", "http://127.0.0.1:9000", Keys("AKID", "sekrit", "tok"))
    client = endpoint.fast_client(pool=4)
    assert isinstance(client, s3http.FastClient) and client.standalone
    assert "sekrit" not in repr(endpoint) and "tok" not in repr(endpoint)


def test_botocore_makes_the_client_for_aws_itself_a_profile_or_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = Keys("k", "s")
    aws = Endpoint("destination", "assets", "eu-central-1", None, keys).fast_client()
    assert isinstance(aws, s3http.FastClient) and not aws.standalone  # botocore's endpoint rules
    no_region = Endpoint("destination", "assets", None, "http://127.0.0.1:9000", keys).fast_client()
    assert isinstance(no_region, s3http.FastClient) and not no_region.standalone
    no_keys = Endpoint("destination", "assets", "eu-west-1", "http://127.0.0.1:9000").fast_client()
    assert not getattr(no_keys, "standalone", False)  # the default chain without keys in the environment: botocore's
    monkeypatch.setenv("http_proxy", "http://proxy.corp:3128")
    proxied = Endpoint("source", "assets", "us-east-1", "http://minio:9000", keys).fast_client()
    assert not isinstance(proxied, s3http.FastClient)


def test_a_client_behind_a_proxy_keeps_botocores_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    from migrate.s3http import FastClient, wrap

    def client() -> object:
        return boto3.client(
            "s3",
            region_name="eu-central-1",
            aws_access_key_id="k",
            aws_secret_access_key="s",
            endpoint_url="https://s3.eu-central-1.amazonaws.com",
        )

    for name in ("https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(wrap(client()), FastClient)
    monkeypatch.setenv("https_proxy", "http://proxy.corp:3128")
    assert not isinstance(wrap(client()), FastClient)
    monkeypatch.setenv("no_proxy", ".amazonaws.com")
    assert isinstance(wrap(client()), FastClient)
