"""`python -m review` argument handling: one clear line and exit 2 for every bad argument, before any plan
runs; the stacks to review (given, or every stack file at base or head)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from review.__main__ import choose_stacks, main, split_stacks
from review.run import ReviewError

ROOT = Path(__file__).resolve().parents[2]
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the stacks dev and prod at HEAD~1, and prod removed, qa added at HEAD."""
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q")
    for stack in ("dev", "prod"):
        (work / f"Pulumi.{stack}.yaml").write_text("config: {}\n")
    (work / "Pulumi.yaml").write_text("name: wire\n")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "base")
    git(work, "rm", "-q", "Pulumi.prod.yaml")
    (work / "Pulumi.qa.yaml").write_text("config: {}\n")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "head")
    monkeypatch.chdir(work)
    return work


def refused(capsys: Any, *args: str) -> str:
    """The one error line of a refused command line."""
    status = main(list(args))
    captured = capsys.readouterr()
    assert status == 2
    assert "Traceback" not in captured.out + captured.err
    assert captured.err.count("\n") == 1, captured.err
    return captured.err


@pytest.mark.parametrize("option", ["--base", "--head"])
def test_an_unknown_revision_is_named(repo: Path, capsys: Any, option: str) -> None:
    args = ["--base", "HEAD", option, "no-such-branch"] if option == "--head" else ["--base", "no-such-branch"]
    assert refused(capsys, *args).startswith(f"error: {option} 'no-such-branch': unknown git revision")
    assert not (repo / "build").exists()


def test_outside_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.chdir(tmp_path)
    err = refused(capsys, "--base", "HEAD")
    assert err == f"error: {tmp_path} is not in a git repository: run the review inside a clone of the project\n"


def test_unknown_stacks_are_named_with_the_known_ones(repo: Path, capsys: Any) -> None:
    err = refused(capsys, "--base", "HEAD~1", "--head", "HEAD", "--stacks", "dev", "stage,test")
    assert err == (
        "error: unknown stack(s) 'stage', 'test': no Pulumi.<stack>.yaml at the base or the head; "
        "known stacks: dev, prod, qa\n"
    )


def test_out_pointing_at_a_file_is_refused(repo: Path, capsys: Any) -> None:
    (repo / "notes").write_text("")
    assert refused(capsys, "--base", "HEAD", "--out", "notes").startswith("error: --out notes: is a file")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(repo: Path, capsys: Any, jobs: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--base", "HEAD", "--jobs", jobs])
    assert exit_info.value.code == 2
    assert f"argument --jobs: '{jobs}' is not a positive whole number" in capsys.readouterr().err


def test_every_stack_file_at_base_or_head_by_default(repo: Path) -> None:
    assert choose_stacks(repo, "HEAD~1", "HEAD", []) == ["dev", "prod", "qa"]
    assert choose_stacks(repo, "HEAD", None, []) == ["dev", "qa"]


def test_given_stacks_keep_their_order(repo: Path) -> None:
    assert choose_stacks(repo, "HEAD~1", None, ["qa", "prod"]) == ["qa", "prod"]


def test_no_stack_file_at_all_is_refused(repo: Path) -> None:
    git(repo, "rm", "-q", "Pulumi.dev.yaml", "Pulumi.qa.yaml")
    git(repo, "commit", "-qm", "no stacks")
    with pytest.raises(ReviewError, match="no stack file"):
        choose_stacks(repo, "HEAD", None, [])


@pytest.mark.parametrize(
    ("values", "stacks"),
    [
        (["dev", "prod"], ["dev", "prod"]),
        (["dev,prod"], ["dev", "prod"]),
        (["dev prod"], ["dev", "prod"]),
        (["prod, dev", "prod"], ["prod", "dev"]),
        (None, []),
    ],
)
def test_stacks_by_spaces_or_commas(values: list[str] | None, stacks: list[str]) -> None:
    assert split_stacks(values) == stacks


def test_make_review_passes_stacks() -> None:
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "review", "BASE=origin/main", "STACKS=dev prod"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "-m review --base 'origin/main' --stacks 'dev prod'" in done.stdout
