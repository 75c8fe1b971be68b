"""`python -m migrate values`: the real helm values of every release, from the live stack outputs.

For operators who deploy the releases themselves (helmfile, Argo CD, Flux; `wire:kubernetes.releases:
false`): the same values the program would give its releases, computed by the same functions
(components/k8s/values/) from `pulumi stack output --json --show-secrets` instead of from the resources.
Each release gets `<release>.yaml` (no secret in it) and, when it has secrets, `<release>.secrets.yaml`
(mode 0600) holding only the secret leaves, so the two can be stored apart (a sealed secret, SOPS, a
vault) and layered again with `helm upgrade -f <release>.yaml -f <release>.secrets.yaml`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from components.config import (
    NAMESPACE,
    PLACEHOLDER,
    ConfigError,
    CredentialsMode,
    EmailMode,
    PushMode,
    StackConfig,
    load_config,
)
from components.outputs import AccessKey, AwsOutputs, PushOutputs, StoreOutputs, reveal

CONFIG_HINT = "pulumi config --json --show-secrets -s <stack> > config.json"


class ValuesProblem(ValueError):
    """Outputs or configuration that cannot give real values; the message names the key and the fix."""


# --- the AWS record from stack outputs ---------------------------------------------------------------


def _stores(cfg: StackConfig, need: Any) -> dict[str, StoreOutputs]:
    """The managed data stores from `datastoreEndpoints` ("host:port") and the secret `datastoreCredentials`."""
    managed = cfg.databases.managed_stores()
    if not managed:
        return {}
    endpoints, credentials = need("datastoreEndpoints") or {}, need("datastoreCredentials") or {}
    stores = {}
    for name in managed:
        host, _, port = str(endpoints.get(name, "")).rpartition(":")
        login = credentials.get(name) or {}
        if host and port.isdigit() and login.get("password"):
            stores[name] = StoreOutputs(
                host=host, port=int(port), password=SecretStr(str(login["password"])), username=login.get("username")
            )
    return stores


def aws_outputs_from_stack(cfg: StackConfig, outputs: dict[str, Any]) -> AwsOutputs:
    """The record `components/aws/record.py` builds from the resources, rebuilt from the stack outputs."""
    missing: list[str] = []

    def need(key: str) -> Any:
        value = outputs.get(key)
        if value in (None, ""):
            missing.append(key)
        return value

    def optional(key: str, wanted: bool) -> Any:
        return need(key) if wanted else None

    endpoints = need("endpoints") or {}
    external = cfg.push.external if cfg.push.mode == PushMode.EXTERNAL else None
    static = cfg.service_credentials.mode == CredentialsMode.STATIC_KEYS
    key_ids: dict[str, str] = (need("serviceAccessKeyIds") or {}) if static else {}
    key_secrets: dict[str, str] = (need("serviceSecretAccessKeys") or {}) if static else {}
    access_keys = {
        service: AccessKey(key_id=key_id, secret=SecretStr(str(key_secrets.get(service, ""))))
        for service, key_id in key_ids.items()
    }
    if external is not None:
        if external.aws_secret_key is None or external.aws_secret_key.get_secret_value() == PLACEHOLDER:
            missing.append(f"{NAMESPACE}:push.external.awsSecretKey (from the configuration)")
        else:
            access_keys["gundeck"] = AccessKey(key_id=external.aws_key_id, secret=external.aws_secret_key)
    record = AwsOutputs(
        region=need("awsRegion"),
        account_id=str(need("awsAccountId")),
        push=PushOutputs(
            account=external.account if external else str(outputs.get("awsAccountId")),
            region=external.region if external else cfg.region,
            arn_env=need("pushArnEnv"),
            queue_name=need("gundeckQueueName"),
            sqs_endpoint=external.sqs_endpoint if external else endpoints.get("sqs", cfg.endpoint("sqs")),
            sns_endpoint=external.sns_endpoint if external else endpoints.get("sns", cfg.endpoint("sns")),
        ),
        brig_internal_queue=need("brigInternalQueueName"),
        sqs_endpoint=endpoints.get("sqs", cfg.endpoint("sqs")),
        ses_queue=optional("sesQueueName", cfg.email.mode == EmailMode.SES),
        ses_endpoint=endpoints.get("ses", cfg.endpoint("ses")),
        prekey_table=need("prekeyTableName"),
        dynamodb_endpoint=endpoints.get("dynamodb", cfg.endpoint("dynamodb")) if cfg.features.prekey_table else None,
        user_journal_queue=optional("userJournalQueueName", cfg.features.user_journal),
        team_events_queue=optional("teamEventsQueueName", cfg.features.team_events_journal),
        bucket=need("assetsBucketName"),
        s3_endpoint=endpoints.get("s3", cfg.endpoint("s3")),
        s3_download_endpoint=cfg.assets.download_endpoint,
        cloudfront_domain=optional("cloudFrontDomain", cfg.assets.cloud_front.enabled),
        role_arns=dict(optional("serviceRoleArns", not static) or {}),
        access_keys=access_keys,
        stores=_stores(cfg, need),
    )
    if missing:
        raise ValuesProblem(
            "the stack outputs lack " + ", ".join(missing) + ": export them with "
            "`pulumi stack output --json --show-secrets -s <stack>` after `pulumi up` of this stack"
        )
    return record


# --- the configuration with its secrets ---------------------------------------------------------------


def config_from_pulumi_json(document: Any, label: str) -> StackConfig:
    """The stack configuration from `pulumi config --json --show-secrets` (decrypted secrets included)."""
    if not isinstance(document, dict) or not all(isinstance(entry, dict) for entry in document.values()):
        raise ValuesProblem(f"{label} is not what `{CONFIG_HINT}` writes (an object of {{value, secret}} entries)")
    wire: dict[str, Any] = {}
    secret_keys: set[str] = set()
    region = None
    for key, entry in document.items():
        value = entry.get("objectValue", entry.get("value"))
        if key == "aws:region":
            region = value
        if not key.startswith(f"{NAMESPACE}:"):
            continue
        name = key.removeprefix(f"{NAMESPACE}:")
        if entry.get("secret") and "value" not in entry and "objectValue" not in entry:
            raise ValuesProblem(f"{label}: {key} has no value: run `{CONFIG_HINT}` with --show-secrets")
        wire[name] = value
        if entry.get("secret"):
            secret_keys.add(name)
    try:
        return load_config(wire, region=region, secret_keys=secret_keys).config
    except ConfigError as error:
        raise ValuesProblem(f"{label}: {error}") from None


def other_stack_problems(document: Any, stack_cfg: StackConfig) -> list[str]:
    """Where a `pulumi config --json` document names another stack than the stack file (read before validating it)."""
    if not isinstance(document, dict):
        return []
    found = []
    for key, wanted in (
        (f"{NAMESPACE}:environment", stack_cfg.environment),
        (f"{NAMESPACE}:domain", stack_cfg.domain),
        ("aws:region", stack_cfg.region),
    ):
        entry = document.get(key)
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, str) and value != wanted:
            found.append(f"{key} is {value!r}, the stack file gives {wanted!r}")
    return found


# --- splitting and writing ---------------------------------------------------------------------------------


class _Absent:
    """Nothing at this path on one side of the split (None is a value: helm's null removes a chart default)."""


_ABSENT = _Absent()


def split_secrets(tree: Any) -> tuple[Any, Any]:
    """(the tree without secret leaves, the secret leaves alone at the same paths); None where empty.

    A list holding any secret goes whole to the secret side: helm replaces lists, it never merges them.
    A null stays a null on the public side: it is what the release gets (a chart default removed).
    """
    public, secret = _split(tree)
    return (None if public is _ABSENT else public), (None if secret is _ABSENT else secret)


def _split(tree: Any) -> tuple[Any, Any]:
    if isinstance(tree, SecretStr):
        return _ABSENT, tree
    if isinstance(tree, dict):
        public: dict[str, Any] = {}
        secret: dict[str, Any] = {}
        for key, value in tree.items():
            plain, hidden = _split(value)
            if plain is not _ABSENT:
                public[key] = plain
            if hidden is not _ABSENT:
                secret[key] = hidden
        return (public if public or not secret else _ABSENT), (secret or _ABSENT)
    if isinstance(tree, list) and any(_split(item)[1] is not _ABSENT for item in tree):
        return _ABSENT, tree
    return tree, _ABSENT


@dataclass(frozen=True)
class Written:
    public: list[Path]
    secret: list[Path]
    secrets_left_out: list[str]


def placeholder_secrets(tree: Any, path: str = "") -> list[str]:
    """Dotted paths of secret leaves that are only the offline placeholder (not decrypted)."""
    if isinstance(tree, SecretStr):
        return [path] if tree.get_secret_value() == PLACEHOLDER else []
    if isinstance(tree, dict):
        return [
            found for key, value in tree.items() for found in placeholder_secrets(value, f"{path}.{key}".lstrip("."))
        ]
    if isinstance(tree, list):
        return [found for index, value in enumerate(tree) for found in placeholder_secrets(value, f"{path}[{index}]")]
    return []


def write_values(
    cfg: StackConfig, aws: AwsOutputs, out: Path, *, with_secrets: bool, dump: Callable[[Any], str] | None = None
) -> Written:
    from components.k8s.values import release_values, values_yaml

    dump = dump or values_yaml
    trees = release_values(cfg, aws)
    if with_secrets:
        undecrypted = [f"{release}: {path}" for release, tree in trees.items() for path in placeholder_secrets(tree)]
        if undecrypted:
            raise ValuesProblem(
                "these secrets are still encrypted in the stack file: "
                + "; ".join(undecrypted)
                + f". Pass the decrypted configuration with --config (`{CONFIG_HINT}`), or --no-secrets"
            )
    out.mkdir(parents=True, exist_ok=True)
    written = Written([], [], [])
    for release, tree in sorted(trees.items()):
        public, secret = split_secrets(tree)
        path = out / f"{release}.yaml"
        path.write_text(
            f"# helm values of release {release} from the stack outputs (wire-infra); no secrets\n" + dump(public or {})
        )
        written.public.append(path)
        if secret is None:
            continue
        if not with_secrets:
            written.secrets_left_out.extend(f"{release}: {p}" for p in secret_paths_of(secret))
            continue
        secret_path = out / f"{release}.secrets.yaml"
        # Created private: the file never exists with wider permissions, not even for a moment.
        descriptor = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(f"# secret helm values of release {release} (wire-infra); keep this file secret\n")
            handle.write(dump(reveal(secret)))
        os.chmod(secret_path, 0o600)
        written.secret.append(secret_path)
    return written


def program_config(stack_file: Any) -> StackConfig:
    """The configuration the program sees in the offline plan: secrets not decrypted or not set yet hold the
    placeholder, so every secret key the releases get is there (and listed by --no-secrets)."""
    from plan.runner import prepare

    _, runtime, secret_keys, _ = prepare(stack_file)
    prefix = f"{NAMESPACE}:"
    wire = {key.removeprefix(prefix): value for key, value in runtime.items() if key.startswith(prefix)}
    secrets = {key.removeprefix(prefix) for key in secret_keys if key.startswith(prefix)}
    return load_config(wire, region=runtime.get("aws:region"), secret_keys=secrets, base_dir=stack_file.root).config


def secret_paths_of(tree: Any, path: str = "") -> list[str]:
    if isinstance(tree, dict):
        return [found for key, value in tree.items() for found in secret_paths_of(value, f"{path}.{key}".lstrip("."))]
    return [path]


# --- command line --------------------------------------------------------------------------------------


def add_parser(commands: Any) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "values",
        help="write every release's helm values from the live stack outputs (helmfile, Argo CD, Flux)",
        description="Write the helm values of every release the stack describes, computed from the live stack "
        "outputs exactly as `pulumi up` computes them: <release>.yaml without secrets, <release>.secrets.yaml "
        "(mode 0600) with them.",
        epilog=f"""Example:
  pulumi stack output -s prod --json --show-secrets > outputs.json
  {CONFIG_HINT.replace("<stack>", "prod")}
  python -m migrate values --stack prod --outputs outputs.json --config config.json --out values/
  helm upgrade wire-server wire/wire-server -f values/wire-server.yaml -f values/wire-server.secrets.yaml""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    p.add_argument("--outputs", required=True, metavar="FILE|-", help="`pulumi stack output --json --show-secrets`")
    p.add_argument("--config", metavar="FILE", help=f"decrypted configuration: `{CONFIG_HINT}`")
    p.add_argument("--out", type=Path, required=True, help="directory for the values files")
    p.add_argument("--no-secrets", action="store_true", help="write only the files without secrets")
    return p


def run(args: argparse.Namespace, stack_dir: Path) -> int:
    from components.stackfile import read_stack_file
    from verify.outputs import OutputsError, mismatches, not_this_stack, read_outputs

    try:
        stack_file = read_stack_file(args.stack, stack_dir)
        loaded = stack_file.load()
        stack_cfg = cfg = loaded.config
        if args.config:
            try:
                document = json.loads(Path(args.config).read_text(encoding="utf-8-sig"))
            except (OSError, ValueError) as error:
                raise ValuesProblem(
                    f"config file {args.config} cannot be read as JSON ({error}): `{CONFIG_HINT}`"
                ) from None
            other = other_stack_problems(document, stack_cfg)
            if other:
                command = CONFIG_HINT.replace("<stack>", args.stack)
                raise ValuesProblem(not_this_stack(f"config file {args.config} is", args.stack, other, command))
            cfg = config_from_pulumi_json(document, f"config file {args.config}")
        outputs = read_outputs(args.outputs)
        wrong = mismatches(stack_cfg, outputs)
        if wrong:
            command = f"pulumi stack output -s {args.stack} --json --show-secrets"
            raise ValuesProblem(not_this_stack("the outputs are", args.stack, wrong, command))
        if not args.config and not args.no_secrets and loaded.missing_secrets:
            raise ValuesProblem(
                "these secrets are still encrypted in the stack file (or not set): "
                + ", ".join(loaded.missing_secrets)
                + f". Pass the decrypted configuration with --config (`{CONFIG_HINT}`), or --no-secrets"
            )
        if not args.config:
            # As the plan evaluates it: every secret key present (placeholders), so none is left out of the list.
            cfg = program_config(stack_file)
        written = write_values(cfg, aws_outputs_from_stack(cfg, outputs), args.out, with_secrets=not args.no_secrets)
    except (ValuesProblem, OutputsError, ConfigError, FileNotFoundError) as error:
        print(f"migrate values: {error}", file=sys.stderr)
        return 2
    for path in written.public + written.secret:
        print(f"wrote {path}")
    if written.secrets_left_out:
        print("secrets left out (--no-secrets); supply them yourself: " + ", ".join(written.secrets_left_out))
    return 0
