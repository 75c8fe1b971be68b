"""What the operator's own helm values may not hold: the layered files' and `wire:extraValues`.

Every finding names where the value came from — the stack key and the file and line
(`wire:layeredValues.files.wireServer[0] (values/prod.yaml line 12)`), or the `wire:extraValues` key — the
values key inside it, and the fix:

- secrets the chart keeps in a Secret (chart_secrets.py) in a plain `files` entry or in extraValues, which
  the plan's values files and the Pulumi state would hold in clear: they belong under `secretFiles`;
- what brings fake-aws back (its hosts and dummy keys), and static AWS keys where the services use IRSA; a
  real access key is told to be removed and rotated, not that fake-aws is gone;
- an image given as a URL, which no kubelet pulls.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from components.config.chart_secrets import secret_keys_in
from components.config.identity import CredentialsMode
from components.config.images import image_url_problem
from components.config.layered import (
    DUMMY_VALUES,
    FAKE_AWS_HOST,
    STATIC_KEY_NAMES,
    LayeredFile,
    LayeredValues,
    read_layered_values,
    value_at,
)
from components.config.push import PushMode
from components.config.registry import RELEASES

# An IAM user's long-term key (AKIA) or a session's (ASIA): 20 upper-case letters and digits.
_ACCESS_KEY_ID = re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$")
_SECRET_ACCESS_KEY = re.compile(r"^[A-Za-z0-9/+]{40}$")
_ALLOW = "or set wire:layeredValues.allowFakeAws: true if you really mean it"


def check_layered_values(
    section: LayeredValues, valid: Mapping[str, Any], base_dir: Path | None
) -> tuple[LayeredValues, list[str]]:
    """The layered files read, and every problem of their values and of wire:extraValues (all at once)."""
    problems = unknown_release_problems(section)
    if problems:
        # Files of an unknown release are not read: no release would get them.
        known = set(RELEASES)
        section = section.model_copy(
            update={
                "files": {key: paths for key, paths in section.files.items() if key in known},
                "secret_files": {key: paths for key, paths in section.secret_files.items() if key in known},
            }
        )
    if section.releases():
        section, read_problems = read_layered_values(section, base_dir)
        problems += read_problems
    irsa = irsa_services(valid)
    for source in section.sources():
        problems += file_problems(source, irsa_services=irsa, allow_fake_aws=section.allow_fake_aws)
        if not section.allow_fake_aws:
            problems += download_endpoint_problems(source, valid.get("assets"))
    for release, tree in sorted((valid.get("extra_values") or {}).items()):
        problems += extra_values_problems(release, tree, irsa_services=irsa, allow_fake_aws=section.allow_fake_aws)
    return section, problems


def unknown_release_problems(section: LayeredValues) -> list[str]:
    problems = []
    for group, key in ((section.files, "files"), (section.secret_files, "secretFiles")):
        for release in sorted(set(group) - set(RELEASES)):
            close = difflib.get_close_matches(release, RELEASES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(
                f"wire:layeredValues.{key}.{release}: is not a release{hint}; the keys are the releases' "
                f"(as in wire:extraValues): {', '.join(RELEASES)}"
            )
    return problems


def irsa_services(valid: Mapping[str, Any]) -> set[str]:
    """The wire-server services that reach AWS with IRSA (a static key in their values is a leftover)."""
    credentials, push = valid.get("service_credentials"), valid.get("push")
    if credentials is None or credentials.mode != CredentialsMode.IRSA:
        return set()
    # Wire's push account is reached with the key Wire sent, whatever the rest uses.
    external = push is not None and push.mode == PushMode.EXTERNAL
    return {"brig", "galley", "cargohold"} | (set() if external else {"gundeck"})


def file_problems(source: LayeredFile, *, irsa_services: set[str], allow_fake_aws: bool) -> list[str]:
    problems = []
    if not source.secret:
        secrets = secret_keys_in(source.release, source.tree)
        if secrets:
            listed = ", ".join(f"{'.'.join(path)} (line {source.lines.get(path, '?')})" for path, _ in secrets)
            blocks = sorted({prefix for _, prefix in secrets})
            problems.append(
                f"{source.where()}: holds secrets the chart keeps in its Secrets ({', '.join(blocks)}): {listed}; a "
                "file under `files` is written in plain text into the plan's values files and the Pulumi state: list "
                f"{source.path} under wire:layeredValues.secretFiles.{source.release} instead (or move these keys "
                "into a file listed there)"
            )
    for path, message in value_findings(
        source.tree, secret=source.secret, irsa_services=irsa_services, allow_fake_aws=allow_fake_aws
    ):
        problems.append(f"{source.where(path)}: {'.'.join(path)} {message}")
    return problems


DOWNLOAD_ENDPOINT = ("cargohold", "config", "aws", "s3DownloadEndpoint")


def download_endpoint_problems(source: LayeredFile, assets: Any) -> list[str]:
    """cargohold's download endpoint from an old file, where the stack says another (or none).

    The program writes it only from wire:assets.downloadEndpoint, so the file's value would survive the move
    unnoticed: wire-server-deploy's example sends clients to its minio host (assets.<domain>), the object
    store that fake-aws-s3 stands for (allowFakeAws keeps it, as it keeps the other leftovers).
    """
    value = value_at(source.tree, ".".join(DOWNLOAD_ENDPOINT))
    if source.release != "wireServer" or value is None or assets is None or value == assets.download_endpoint:
        return []
    shown = "a secret value" if source.secret else f"'{value}'"
    stack = f"'{assets.download_endpoint}'" if assets.download_endpoint else "unset (S3's own host)"
    return [
        f"{source.where(DOWNLOAD_ENDPOINT)}: {'.'.join(DOWNLOAD_ENDPOINT)} is {shown}, but "
        f"wire:assets.downloadEndpoint is {stack}, from which the program writes it: remove the key from the file "
        "(the old object store's host serves nothing after the move), or set wire:assets.downloadEndpoint to it if "
        "clients must download through that host"
    ]


def extra_values_problems(release: str, tree: Any, *, irsa_services: set[str], allow_fake_aws: bool) -> list[str]:
    key = f"wire:extraValues.{release}"
    problems = [
        f"{key}.{'.'.join(path)}: is a secret the chart keeps in its Secret ({prefix}), but extraValues are plain "
        "text in the stack file, the plan and the state: put it in a values file listed under "
        f"wire:layeredValues.secretFiles.{release} and remove it here"
        for path, prefix in secret_keys_in(release, tree)
    ]
    for path, message in value_findings(tree, secret=False, irsa_services=irsa_services, allow_fake_aws=allow_fake_aws):
        problems.append(f"{key}.{'.'.join(path)}: {message.replace('from the file', 'from extraValues')}")
    return problems


def value_findings(
    tree: Any, *, secret: bool, irsa_services: set[str], allow_fake_aws: bool
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(values path, what is wrong and the fix) for every value of `tree` that may not stay."""
    for path, value in _leaves(tree, ()):
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(text, str) or not path:
            continue
        message = _finding(path, text, secret or isinstance(value, SecretStr), irsa_services, allow_fake_aws)
        if message:
            yield path, message


def _finding(path: tuple[str, ...], text: str, secret: bool, irsa_services: set[str], allow: bool) -> str | None:
    name = path[-1]
    image = image_url_problem(text) if _is_image_key(path) else None
    if image:
        return f"is '{text}', {image}"
    if allow:
        return None
    static = name in STATIC_KEY_NAMES and path[0] in irsa_services
    if static and (_ACCESS_KEY_ID.match(text) or (name == "awsSecretKey" and _SECRET_ACCESS_KEY.match(text))):
        kind = "access key id" if name == "awsKeyId" else "secret access key"
        return (
            f"is a real-looking AWS {kind}: the services use IRSA, which replaces static keys; remove it from "
            "the file, and rotate the key (deactivate it in IAM once the services run with IRSA): it has been "
            "stored in a values file"
        )
    if FAKE_AWS_HOST in text:
        shown = "a secret value" if secret else f"'{text}'"
        return (
            f"is {shown}, a fake-aws host: fake-aws is gone with real AWS; remove it from the file (the "
            f"computed value takes its place), {_ALLOW}"
        )
    if text.lower() in DUMMY_VALUES:
        return (
            "is fake-aws' dummy credential: fake-aws is gone with real AWS; remove it from the file (the "
            f"services get their access from the stack), {_ALLOW}"
        )
    if static:
        return (
            "sets a static AWS key, but the services use IRSA (which replaces static keys): remove it from "
            f"the file, {_ALLOW}"
        )
    return None


def _is_image_key(path: tuple[str, ...]) -> bool:
    """`image: <ref>` or `<...>image.repository` (the charts' spelling); not any key ending in Image, which may be
    a picture's URL (branding)."""
    name = path[-1]
    return name == "image" or (name == "repository" and len(path) > 1 and path[-2].lower().endswith("image"))


def _leaves(tree: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*path, str(key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _leaves(value, (*path, str(index)))
    else:
        yield path, tree
