"""Run the real program (`__main__.py`) as `pulumi up` / a first `pulumi preview` would, under the mocks.

The configuration takes the language host's path: the stack file's `secure:` values (also nested ones)
are decrypted, objects become JSON text in `PULUMI_CONFIG`, and the top-level keys holding a secret go
to `PULUMI_CONFIG_SECRET_KEYS` (plan.mocks.run_program sets both). Required secrets are set first, the
way `pulumi config set --secret --path` writes them, so nothing is a placeholder.
"""

from __future__ import annotations

import base64
import copy
import json
import runpy
from typing import Any

import yaml

from components.config import NAMESPACE, StackConfig, load_config
from components.config.secrets import required_secrets
from components.stackfile import PROJECT_ROOT, stack_path
from plan.mocks import Evaluation, run_program
from plan.runner import set_path
from tests.components.aws.aws_support import fcm_service_account, pem

# What a test "encrypts": the ciphertext names its plain text, so decrypting needs no secrets provider.
_CIPHER_PREFIX = "v1:test-ciphertext:"


def encrypt(value: str) -> dict[str, str]:
    return {"secure": f"{_CIPHER_PREFIX}{value}"}


def decrypt(ciphertext: str) -> str:
    assert ciphertext.startswith(_CIPHER_PREFIX), f"not a test ciphertext: {ciphertext!r}"
    return ciphertext.removeprefix(_CIPHER_PREFIX)


def stack_document(stack: str) -> dict[str, Any]:
    """The `config:` mapping of a committed stack file, `secure:` values as written."""
    return dict((yaml.safe_load(stack_path(stack).read_text()) or {}).get("config") or {})


def with_required_secrets(config: dict[str, Any]) -> dict[str, Any]:
    """`config` plus an encrypted value for every required secret it lacks (as `config set --secret --path`)."""
    wire = {key.removeprefix(f"{NAMESPACE}:"): _plain(value) for key, value in config.items()}
    wire = {key: value for key, value in wire.items() if ":" not in key}
    loaded = load_config(
        wire,
        region=config.get("aws:region"),
        secret_keys={key for key, value in wire.items() if _has_secure(config[f"{NAMESPACE}:{key}"])},
        allow_missing_secrets=True,
    )
    result = copy.deepcopy(config)
    for path in required_secrets(loaded.config):
        if path not in loaded.missing_secrets:
            continue
        top = path.split(".")[0].split("[")[0]
        key = f"{NAMESPACE}:{top}"
        result[key] = set_path(result.get(key), path[len(top) :], encrypt(secret_value(loaded.config, path)))
    return result


def secret_value(cfg: StackConfig, path: str) -> str:
    """A made-up secret of the shape its key demands (push credentials are checked for their format)."""
    if path.startswith("push.apps["):
        app = cfg.push.apps[int(path.split("[")[1].split("]")[0])]
        if path.endswith(".principal"):
            return pem("CERTIFICATE", f"test-{path}")
        if app.platform == "GCM":
            return fcm_service_account(app.name)
        return pem("PRIVATE KEY", f"test-{path}")
    if path == "webApps.teamSettingsPullSecret":
        # The base64 of a Docker config.json, as Wire sends it (components/config/pull_secret.py).
        return base64.b64encode(json.dumps({"auths": {"quay.io": {"auth": "dGVzdDp0ZXN0"}}}).encode()).decode()
    return f"test-{path}"


def language_host_config(config: dict[str, Any]) -> tuple[dict[str, str], set[str]]:
    """What the language host hands the program: decrypted values as strings, and the secret top-level keys."""
    runtime: dict[str, str] = {}
    secret_keys: set[str] = set()
    for key, value in config.items():
        if _has_secure(value):
            secret_keys.add(key)
        plain = _decrypted(value)
        runtime[key] = plain if isinstance(plain, str) else json.dumps(plain)
    return runtime, secret_keys


def run_main(config: dict[str, Any], *, preview: bool = False, stack: str = "test") -> Evaluation:
    """Evaluate `__main__.py` with a stack's `config:` mapping (`secure:` values allowed)."""
    runtime, secret_keys = language_host_config(config)
    main = str(PROJECT_ROOT / "__main__.py")
    return run_program(
        lambda: runpy.run_path(main, run_name="__pulumi_main__")["program"].value_trees,
        config=runtime,
        secret_keys=secret_keys,
        preview=preview,
        stack=stack,
    )


def _has_secure(value: Any) -> bool:
    if isinstance(value, dict):
        return set(value) == {"secure"} or any(_has_secure(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_secure(item) for item in value)
    return False


def _decrypted(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return decrypt(value["secure"])
        return {key: _decrypted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decrypted(item) for item in value]
    return value


def _plain(value: Any) -> Any:
    return _decrypted(value) if _has_secure(value) else value
