"""Every command line answers bad arguments and input files as the stack file's sections answer bad config.

Each bad case runs the real entry point (`python -m verify`, `python -m migrate assets|values|adopt-check|restore`)
in process over the corpus' stacks: exit 2, no traceback, nothing touched (no AWS call, no cluster), and a
message naming the problem and the command that writes the right input. The good-but-unusual cases must not be refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.cli import main as migrate_main
from tests.corpus import bad_stacks, good_stacks, project_root
from verify.cli import main as verify_main

# `helm list -A` as it prints it (the table, not JSON).
HELM_TABLE = (
    "NAME          NAMESPACE  REVISION  UPDATED                                  STATUS    CHART\n"
    "wire-server   wire       12        2026-11-02 10:12:01.123 +0000 UTC        deployed  wire-server-5.29.5\n"
)
# The outputs of another stack (other region and bucket): they would send every check or copy elsewhere.
OTHER_OUTPUTS = {"awsRegion": "ap-south-1", "assetsBucketName": "other-wire-assets", "awsAccountId": "123456789012"}
# `pulumi config --json --show-secrets` of another stack than minimal-static-smtp (environment staging).
OTHER_CONFIG = {
    "aws:region": {"value": "eu-central-1", "secret": False},
    "wire:environment": {"value": "prod", "secret": False},
    "wire:domain": {"value": "example.com", "secret": False},
    "wire:production": {"value": "false", "secret": False},
    "wire:kubernetes": {"objectValue": {"context": "wire"}, "secret": False},
    "wire:serviceCredentials": {"objectValue": {"mode": "staticKeys"}, "secret": False},
    "wire:email": {
        "objectValue": {"mode": "smtp", "sender": "no-reply@example.com", "smtp": {"host": "smtp.example.com"}},
        "secret": False,
    },
}
SOURCE = ["--from", "http://127.0.0.1:9/dummy-bucket"]

# (case, command, argv with {root} and {files}, substrings of stderr)
BAD = [
    (
        "verify-print-manifests-without-in-cluster",
        "verify",
        ["--stack", "minimal-static-smtp", "--print-manifests"],
        ["--print-manifests prints the Jobs of --in-cluster and applies nothing: add --in-cluster"],
    ),
    (
        "verify-image-without-in-cluster",
        "verify",
        ["--stack", "minimal-static-smtp", "--image", "registry.example.com/python:3.12"],
        ["--image is the image of the --in-cluster Jobs: add --in-cluster"],
    ),
    (
        "verify-in-cluster-options-it-ignores",
        "verify",
        ["--stack", "minimal-static-smtp", "--in-cluster", "--as-service", "brig", "--push-profile", "push"],
        [
            "--as-service runs one service's calls",
            "--push-profile is for the checks run from here",
            "--in-cluster needs the stack outputs",
        ],
    ),
    (
        "verify-image-url",
        "verify",
        [
            "--stack",
            "minimal-static-smtp",
            "--in-cluster",
            "--outputs",
            "{files}/empty.json",
            "--image",
            "https://public.ecr.aws/lambda/python:3.12",
        ],
        ["--image 'https://public.ecr.aws/lambda/python:3.12' is a URL", "write 'public.ecr.aws/lambda/python:3.12'"],
    ),
    (
        "verify-endpoint-not-a-url",
        "verify",
        ["--stack", "minimal-static-smtp", "--endpoint-url", "localhost:4566"],
        ["--endpoint-url 'localhost:4566' is not an endpoint URL: give http(s)://<host>[:<port>]"],
    ),
    (
        "verify-in-cluster-without-a-cluster",
        "verify",
        ["--stack", "releases-false-unusual", "--in-cluster", "--outputs", "{files}/empty.json"],
        ["names no cluster (wire:kubernetes.releases is false)", "add --print-manifests"],
    ),
    (
        "verify-another-stacks-outputs",
        "verify",
        ["--stack", "minimal-static-smtp", "--outputs", "{files}/other-outputs.json"],
        [
            "is not the outputs of stack minimal-static-smtp",
            "pulumi stack output -s minimal-static-smtp --json --show-secrets",
        ],
    ),
    (
        "verify-outputs-table",
        "verify",
        ["--stack", "minimal-static-smtp", "--outputs", "{files}/helm-table.txt"],
        ["is not JSON", "--json, not the table"],
    ),
    (
        "verify-bad-stack",
        "verify",
        ["--stack", "charts-every-problem"],
        [
            "The stack configuration has 6 problem(s)",
            "Pulumi.charts-every-problem.yaml line 20: wire:charts.wireServer.version",
        ],
    ),
    (
        "migrate-assets-another-stacks-outputs",
        "migrate",
        ["assets", *SOURCE, "--stack", "minimal-static-smtp", "--outputs", "{files}/other-outputs.json"],
        [
            "are not stack minimal-static-smtp's",
            "awsRegion is 'ap-south-1'",
            "pulumi stack output -s minimal-static-smtp",
        ],
    ),
    (
        "migrate-assets-contradicting-options",
        "migrate",
        [
            "assets",
            *SOURCE,
            "--stack",
            "minimal-static-smtp",
            "--journal",
            "{files}",
            "--no-journal",
            "--retries",
            "-1",
            "--to-endpoint",
            "minio:9000",
        ],
        [
            "--journal names the journal and --no-journal turns it off",
            "is a directory",
            "--retries -1",
            "--to-endpoint 'minio:9000' is not an endpoint URL",
        ],
    ),
    (
        "migrate-values-another-stacks-config",
        "migrate",
        [
            "values",
            "--stack",
            "minimal-static-smtp",
            "--outputs",
            "{files}/empty.json",
            "--config",
            "{files}/other-config.json",
            "--out",
            "{files}/values",
        ],
        [
            "is not stack minimal-static-smtp's: wire:environment is 'prod'",
            "pulumi config --json --show-secrets -s minimal-static-smtp",
        ],
    ),
    (
        "migrate-values-another-stacks-outputs",
        "migrate",
        [
            "values",
            "--stack",
            "minimal-static-smtp",
            "--outputs",
            "{files}/other-outputs.json",
            "--out",
            "{files}/values",
            "--no-secrets",
        ],
        [
            "the outputs are not stack minimal-static-smtp's",
            "pulumi stack output -s minimal-static-smtp --json --show-secrets",
        ],
    ),
    (
        "migrate-values-out-is-a-file",
        "migrate",
        ["values", "--stack", "minimal-static-smtp", "--outputs", "{files}/empty.json", "--out", "{files}/empty.json"],
        ["--out", "is a file: give the directory for the values files"],
    ),
    (
        "migrate-restore-another-stacks-outputs",
        "migrate",
        [
            "restore",
            "--stack",
            "minimal-static-smtp",
            "--outputs",
            "{files}/other-outputs.json",
            "--to",
            "2026-12-07T09:00:00Z",
        ],
        [
            "are not stack minimal-static-smtp's",
            "awsRegion is 'ap-south-1'",
            "pulumi stack output -s minimal-static-smtp",
        ],
    ),
    (
        "migrate-restore-endpoint-not-a-url",
        "migrate",
        ["restore", "--stack", "minimal-static-smtp", "--to", "2026-12-07T09:00:00Z", "--endpoint-url", "minio:9000"],
        ["--endpoint-url 'minio:9000' is not an endpoint URL"],
    ),
    (
        "adopt-check-helm-table",
        "migrate",
        ["adopt-check", "--stack", "adopt-unusual", "--helm-list", "{files}/helm-table.txt"],
        [
            "is `helm list`'s table, not its JSON: write it with "
            "`helm list --all-namespaces --output json > releases.json`"
        ],
    ),
    (
        "adopt-check-helm-json-of-another-shape",
        "migrate",
        ["adopt-check", "--stack", "adopt-unusual", "--helm-list", "{files}/other-outputs.json"],
        ["is JSON, but not `helm list`'s", "helm list --all-namespaces --output json"],
    ),
    (
        "adopt-check-helm-list-missing",
        "migrate",
        ["adopt-check", "--stack", "adopt-unusual", "--helm-list", "{files}/no-such-file.json"],
        ["does not exist: write the file with `helm list --all-namespaces --output json > releases.json`"],
    ),
    (
        "adopt-check-helm-table-of-a-stack-adopting-no-release",
        "migrate",
        ["adopt-check", "--stack", "minimal-static-smtp", "--helm-list", "{files}/helm-table.txt"],
        ["is `helm list`'s table, not its JSON"],
    ),
    (
        "adopt-check-endpoint-not-a-url",
        "migrate",
        ["adopt-check", "--stack", "adopt-unusual", "--endpoint-url", "localhost"],
        ["--endpoint-url 'localhost' is not an endpoint URL"],
    ),
    (
        "adopt-check-bad-stack",
        "migrate",
        ["adopt-check", "--stack", "adopt-not-what-the-stack-creates"],
        ["Pulumi.adopt-not-what-the-stack-creates.yaml line 27: wire:adopt.aws.brigInternalQueue"],
    ),
]

# Valid but unusual: never refused.
GOOD = [
    (
        "verify-print-manifests-of-an-aws-only-stack",
        "verify",
        ["--stack", "releases-false-unusual", "--in-cluster", "--print-manifests", "--outputs", "{files}/empty.json"],
        '"kind": "List"',
    ),
    (
        "adopt-check-of-a-stack-adopting-nothing",
        "migrate",
        ["adopt-check", "--stack", "minimal-static-smtp", "--helm-list", "{files}/helm-bom.json"],
        "names nothing to adopt",
    ),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_root(tmp_path_factory.mktemp("cli"), {**good_stacks(), **bad_stacks()})


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "empty.json").write_text("{}\n")
    (folder / "other-outputs.json").write_text(json.dumps(OTHER_OUTPUTS))
    (folder / "other-config.json").write_text(json.dumps(OTHER_CONFIG))
    (folder / "helm-table.txt").write_text(HELM_TABLE)
    (folder / "helm-bom.json").write_bytes(b"\xef\xbb\xbf[]\n")
    return folder


def run(command: str, argv: list[str], root: Path, files: Path) -> int:
    args = [arg.replace("{files}", str(files)) for arg in argv]
    if command == "verify":
        return verify_main([*args, "--stack-dir", str(root)])
    return migrate_main([*args, "--stack-dir", str(root)])


@pytest.fixture(autouse=True)
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keys for the asset source and a dead AWS: a case that reached AWS or a cluster would fail, not pass."""
    monkeypatch.setenv("SOURCE_AWS_ACCESS_KEY_ID", "minio-key")
    monkeypatch.setenv("SOURCE_AWS_SECRET_ACCESS_KEY", "minio-secret")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("PATH", str(tmp_path))  # no kubectl, no helm


def test_every_command_line_is_covered() -> None:
    commands = {(command, argv[0] if command == "migrate" else "") for _, command, argv, _ in BAD}
    assert commands == {
        ("verify", ""),
        ("migrate", "assets"),
        ("migrate", "values"),
        ("migrate", "adopt-check"),
        ("migrate", "restore"),
    }


@pytest.mark.parametrize(("case", "command", "argv", "expected"), BAD, ids=[case[0] for case in BAD])
def test_a_bad_command_line_is_refused_with_every_problem_and_its_fix(
    root: Path,
    files: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    command: str,
    argv: list[str],
    expected: list[str],
) -> None:
    code = run(command, argv, root, files)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    missing = [text for text in expected if text not in captured.err]
    assert not missing, f"{case}: not said: {missing}\n{captured.err}"
    assert "minio-secret" not in captured.err


@pytest.mark.parametrize(("case", "command", "argv", "expected"), GOOD, ids=[case[0] for case in GOOD])
def test_an_unusual_but_valid_command_line_is_not_refused(
    root: Path, files: Path, capsys: pytest.CaptureFixture[str], case: str, command: str, argv: list[str], expected: str
) -> None:
    code = run(command, argv, root, files)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert expected in captured.out
