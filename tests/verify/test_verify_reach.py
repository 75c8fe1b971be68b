"""verify tells "the endpoint does not answer" from "the credentials are wrong" (issue 27.6).

The failures come from a real botocore STS client: a closed port for an endpoint that does not answer,
botocore's Stubber for AWS refusing the credentials (a moto_server accepts any keys, so it cannot), and an
empty credential chain for no credentials at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.credentials import CredentialResolver
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
)
from botocore.stub import Stubber

from components.stackfile import PROJECT_ROOT
from tests.moto_support import free_port
from verify.aws import Failure, failure
from verify.cli import main
from verify.probes import caller_identity

DEV_ENDPOINT = "http://localhost:4566"


def sts(endpoint: str | None = None, *, credentials: bool = True) -> Any:
    session = botocore.session.get_session()
    if not credentials:
        session.register_component("credential_provider", CredentialResolver(providers=[]))
        return session.create_client("sts", region_name="eu-west-1", endpoint_url=endpoint)
    return session.create_client(
        "sts", region_name="eu-west-1", endpoint_url=endpoint, aws_access_key_id="a", aws_secret_access_key="b"
    )


def refused_by_aws(code: str, message: str, status: int = 403) -> Any:
    client = sts()
    stubber = Stubber(client)
    stubber.add_client_error("get_caller_identity", code, message, http_status_code=status)
    stubber.activate()
    return client


# --- the classification, on errors as botocore raises them ----------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (EndpointConnectionError(endpoint_url="http://localhost:4566/"), Failure.UNREACHABLE),
        (ConnectTimeoutError(endpoint_url="https://sts.eu-west-1.amazonaws.com/"), Failure.UNREACHABLE),
        (ReadTimeoutError(endpoint_url="https://sts.eu-west-1.amazonaws.com/"), Failure.UNREACHABLE),
        (SSLError(endpoint_url="https://sts.eu-west-1.amazonaws.com/", error="CERTIFICATE_VERIFY_FAILED"), Failure.TLS),
        (NoCredentialsError(), Failure.CREDENTIALS),
        (ProfileNotFound(profile="prod"), Failure.CREDENTIALS),
        (ClientError({"Error": {"Code": "InvalidClientTokenId"}}, "GetCallerIdentity"), Failure.CREDENTIALS),
        (ClientError({"Error": {"Code": "SignatureDoesNotMatch"}}, "GetCallerIdentity"), Failure.CREDENTIALS),
        (ClientError({"Error": {"Code": "ExpiredToken"}}, "GetCallerIdentity"), Failure.CREDENTIALS),
        (ClientError({"Error": {"Code": "AccessDenied"}}, "GetCallerIdentity"), Failure.OTHER),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_each_error_is_classified(error: Exception, kind: Failure) -> None:
    assert failure(error) == kind


@pytest.mark.parametrize(
    ("code", "message", "says"),
    [
        ("InvalidClientTokenId", "The security token included in the request is invalid.", "access key is unknown"),
        (
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
            "its secret is wrong",
        ),
        ("ExpiredToken", "The security token included in the request is expired", "session token has expired"),
    ],
)
def test_credentials_aws_refuses_are_called_wrong(code: str, message: str, says: str) -> None:
    result, account = caller_identity(refused_by_aws(code, message), "credentials", None, "")
    assert account is None and result.status == "fail"
    assert result.message.startswith(f"the credentials are wrong ({code}: {message})")
    assert says in result.message and "does not answer" not in result.message


def test_no_credentials_at_all_are_called_wrong_credentials() -> None:
    result, _ = caller_identity(sts(credentials=False), "credentials", None, "")
    assert result.message.startswith("the credentials are wrong (NoCredentialsError")
    assert "AWS_PROFILE" in result.message and "does not answer" not in result.message


def test_a_closed_local_port_is_the_emulator_not_running() -> None:
    port = free_port()
    result, account = caller_identity(sts(f"http://localhost:{port}"), "credentials", None, "")
    assert account is None and result.resource == f"http://localhost:{port}/"
    assert result.message.startswith(f"the endpoint does not answer: http://localhost:{port}/ (EndpointConnectionError")
    assert f"start it with `moto_server -H 0.0.0.0 -p {port}`" in result.message
    assert "credentials are wrong" not in result.message


def test_an_aws_endpoint_that_does_not_answer_is_no_emulator() -> None:
    """Any endpoint not on this machine: the network or a proxy, never the credentials."""
    error = ConnectTimeoutError(endpoint_url="https://sts.eu-west-1.amazonaws.com/")

    class Sts:
        def get_caller_identity(self) -> None:
            raise error

    result, _ = caller_identity(Sts(), "credentials", None, "")
    assert result.message.startswith("the endpoint does not answer: https://sts.eu-west-1.amazonaws.com/")
    assert "HTTPS_PROXY" in result.message and "moto_server" not in result.message
    assert "the credentials were not tried" in result.message


# --- the whole command: the dev stack without its emulator, then with it (moto) ------------------------------


def dev_stack(tmp_path: Path, endpoint: str) -> Path:
    text = (PROJECT_ROOT / "Pulumi.dev.yaml").read_text()
    assert DEV_ENDPOINT in text
    (tmp_path / "Pulumi.dev.yaml").write_text(text.replace(DEV_ENDPOINT, endpoint))
    return tmp_path


def test_make_verify_dev_without_the_emulator_says_how_to_start_it(tmp_path: Path, capsys) -> None:
    port = free_port()  # released again: nothing listens on it
    code = main(["--stack", "dev", "--stack-dir", str(dev_stack(tmp_path, f"http://localhost:{port}")), "--json"])
    results = json.loads(capsys.readouterr().out)
    assert code == 1 and len(results) == 1
    (only,) = results
    assert only["check"] == "credentials" and only["status"] == "fail"
    assert "the endpoint does not answer" in only["message"] and "credentials are wrong" not in only["message"]
    assert f"moto_server -H 0.0.0.0 -p {port}" in only["message"]


@pytest.mark.moto
def test_make_verify_dev_with_the_emulator_authenticates(moto: str, tmp_path: Path, capsys) -> None:
    """The control: the same stack file with the emulator answering gets past the credentials check."""
    code = main(["--stack", "dev", "--stack-dir", str(dev_stack(tmp_path, moto)), "--json"])
    results = json.loads(capsys.readouterr().out)
    first = results[0]
    assert first["check"] == "credentials" and first["status"] == "ok", first
    assert len(results) > 1 and code in (0, 1)


def test_an_unknown_profile_is_one_line_not_a_traceback(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    text = (PROJECT_ROOT / "Pulumi.dev.yaml").read_text()
    text = text.replace("  aws:accessKey: test\n", "  aws:profile: nowhere\n").replace("  aws:secretKey: test\n", "")
    (tmp_path / "Pulumi.dev.yaml").write_text(text)
    assert main(["--stack", "dev", "--stack-dir", str(tmp_path)]) == 2
    assert "could not be found" in capsys.readouterr().err
