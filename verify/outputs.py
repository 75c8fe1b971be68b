"""The stack outputs verify reads (`pulumi stack output --json --show-secrets`), and whether they are this stack's.

Every problem is one `OutputsError` naming the file and the fix; the CLI prints it and exits 2 before
any AWS call. The outputs are compared with the stack file first: outputs of another stack or region
would otherwise send every check to the wrong resources.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from components import naming
from components.config import PushMode, StackConfig

EXPORT_HINT = "pulumi stack output -s <stack> --json --show-secrets > outputs.json"


class OutputsError(ValueError):
    pass


def _decode(raw: bytes, label: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        raise OutputsError(
            f"{label} is UTF-16 (PowerShell's `>` writes that): write it as UTF-8, e.g. "
            f"`pulumi stack output --json --show-secrets | Out-File -Encoding utf8 {label}`"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OutputsError(f"{label} is not UTF-8 text (byte {error.start}): write it with `{EXPORT_HINT}`") from None


def read_outputs(source: str | None) -> dict[str, Any]:
    """The outputs as a dict; `None` means none were given, `-` reads stdin."""
    if source is None:
        return {}
    label = "the outputs on stdin" if source == "-" else f"outputs file {source}"
    if source == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    else:
        path = Path(source)
        if path.is_dir():
            raise OutputsError(f"{label} is a directory: pass the JSON file `{EXPORT_HINT}` wrote")
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise OutputsError(f"{label} does not exist: create it with `{EXPORT_HINT}`") from None
        except OSError as error:
            raise OutputsError(f"{label} cannot be read ({error.strerror}): check the path and permissions") from None
    text = _decode(raw, label)
    if not text.strip():
        raise OutputsError(f"{label} is empty: was the stack deployed? `{EXPORT_HINT}` writes the outputs")
    try:
        data = json.loads(text)
    except ValueError as error:
        raise OutputsError(
            f"{label} is not JSON (line {getattr(error, 'lineno', '?')}): write it with `{EXPORT_HINT}` "
            "(--json, not the table `pulumi stack output` prints)"
        ) from None
    if not isinstance(data, dict):
        raise OutputsError(f"{label} holds a JSON {type(data).__name__}, not the object `{EXPORT_HINT}` writes")
    return data


def _arn_fields(arn: Any) -> tuple[str, str] | None:
    """(region, account) of an ARN, or None."""
    parts = str(arn).split(":")
    return (parts[3], parts[4]) if len(parts) >= 6 and parts[0] == "arn" else None


def mismatches(cfg: StackConfig, outputs: dict[str, Any]) -> list[str]:
    """Where the outputs contradict the stack file: another stack's, region's or account's outputs."""
    if not outputs:
        return []
    env = cfg.environment
    external = cfg.push.mode == PushMode.EXTERNAL and cfg.push.external is not None
    found: list[str] = []

    def compare(key: str, wanted: Any) -> None:
        value = outputs.get(key)
        if value not in (None, "") and wanted is not None and value != wanted:
            found.append(f"{key} is {value!r}, the stack file gives {wanted!r}")

    compare("awsRegion", cfg.region)
    compare("brigInternalQueueName", naming.brig_internal_queue(env))
    compare("assetsBucketName", cfg.bucket_name)
    compare("prekeyTableName", naming.prekey_table(env))
    compare("pushArnEnv", cfg.arn_env)
    if external and cfg.push.external:
        compare("gundeckQueueName", cfg.push.external.queue_name)
        compare("awsAccountId", cfg.push.external.account)
    else:
        compare("gundeckQueueName", naming.gundeck_queue(env))
        compare("awsAccountId", _configured_account(cfg))
    compare("userJournalQueueName", naming.user_journal_queue(env) if cfg.features.user_journal else None)
    compare("teamEventsQueueName", naming.team_events_queue(env) if cfg.features.team_events_journal else None)
    # Every ARN we created is in the stack's region and the outputs' account.
    account = None if external else outputs.get("awsAccountId")
    arns = {key: outputs.get(key) for key in ("pushEventsTopicArn", "sesFeedbackTopicArn", "sesIdentityArn")}
    for group in ("serviceRoleArns", "pushPlatformApplicationArns"):
        members = outputs.get(group)
        if isinstance(members, dict):
            arns |= {f"{group}.{name}": arn for name, arn in members.items()}
    for key, arn in arns.items():
        fields = _arn_fields(arn) if arn else None
        if fields is None:
            continue
        region, arn_account = fields
        if region and region != cfg.region:
            found.append(f"{key} is in region {region}, the stack's aws:region is {cfg.region}")
        if account and arn_account and arn_account != account:
            found.append(f"{key} is in account {arn_account}, awsAccountId is {account}")
    return found


def not_this_stack(subject: str, stack: str, found: list[str], command: str) -> str:
    """`<subject> not stack <stack>'s: <what differs> (write it with `<command>`)`, e.g. subject "the outputs are"."""
    return f"{subject} not stack {stack}'s: {'; '.join(found)} (write it with `{command}`)"


def _configured_account(cfg: StackConfig) -> str | None:
    """The account the stack file itself names (OIDC provider or KMS key ARN), if any."""
    for arn in (cfg.service_credentials.oidc_provider_arn, cfg.service_credentials.kms_key_arn):
        fields = _arn_fields(arn) if arn else None
        if fields and fields[1]:
            return fields[1]
    return None


def check_outputs(cfg: StackConfig, outputs: dict[str, Any], source: str | None, stack: str) -> None:
    found = mismatches(cfg, outputs)
    if found:
        label = "the outputs on stdin" if source == "-" else f"outputs file {source}"
        details = "".join(f"\n  - {item}" for item in found)
        raise OutputsError(
            f"{label} is not the outputs of stack {stack} (Pulumi.{stack}.yaml):{details}\n"
            f"export this stack's outputs: `pulumi stack output -s {stack} --json --show-secrets`"
        )
