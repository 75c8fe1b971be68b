"""`python -m review` on two real commits: a copy of the project, a config change and a widened IAM policy.

The copy is of the working tree (tracked and untracked, not ignored files), so the test reviews the code
under test, as every other test does; in CI the working tree is the checked-out commit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from review.render import marker

ROOT = Path(__file__).resolve().parents[2]
GIT = [
    "git",
    "-c",
    "user.name=review-test",
    "-c",
    "user.email=review-test@example.invalid",
    "-c",
    "commit.gpgsign=false",
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}: update this test with the file"
    path.write_text(text.replace(old, new))


def copy_of_project(repo: Path) -> Path:
    """The working tree's tracked and untracked (not ignored) files, copied into `repo`."""
    files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    return repo


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = copy_of_project(tmp_path_factory.mktemp("repo"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")

    # The change under review: one feature off, one DNS host more, and a widened IAM action.
    replace(repo / "Pulumi.prod.yaml", "    userJournal: true", "    userJournal: false")
    replace(repo / "Pulumi.prod.yaml", "hosts: [nginz-https, webapp,", "hosts: [assets, nginz-https, webapp,")
    replace(repo / "components/aws/policies.py", '["s3:ListBucket"]', '["s3:*"]')
    git(repo, "commit", "-qam", "head")

    out = repo / "review-out"
    done = subprocess.run(
        [sys.executable, "-m", "review", "--base", "HEAD~1", "--head", "HEAD", "--out", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out, done.stdout


def test_prod_comment_names_the_config_change(reviewed: tuple[Path, str]) -> None:
    out, _ = reviewed
    text = (out / "prod.md").read_text()
    assert text.startswith(marker("prod"))
    removed = text.split("**Removed")[1].split("**Changed")[0]
    assert "`prod-user-events.fifo`" in removed and "`prod-user-events-dlq.fifo`" in removed
    added = text.split("**Added")[1].split("**Removed")[0]
    assert "aws:route53/record:Record" in added and "assets.example.com" in added
    assert "-      userJournalQueue: prod-user-events.fifo" in text  # the wire-server values diff


def test_widened_iam_is_flagged_first_in_both_stacks(reviewed: tuple[Path, str]) -> None:
    out, stdout = reviewed
    for stack, kind in (("prod", "rolePolicy"), ("dev", "userPolicy")):
        text = (out / f"{stack}.md").read_text()
        assert "1 introduced by this change" in text
        assert text.index("`iam-no-wildcards`") < text.index("**Summary:**")
        assert "`policy.Statement[1].Action[0]: s3:ListBucket → s3:*`" in text
        assert "[iam-no-wildcards] policy: ListAssets allows every action of a service: 's3:*'" in stdout
        assert f"aws:iam/{kind}" in stdout


def test_dev_has_no_resource_additions(reviewed: tuple[Path, str]) -> None:
    out, stdout = reviewed
    assert "dev: +0 ~1 -0 resources, 0 values file(s) changed, 1 policy violation(s) (1 new)" in stdout
    assert "No changes" not in (out / "dev.md").read_text()
