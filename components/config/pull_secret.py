"""team-settings' image pull secret: what the chart writes as a `.dockerconfigjson` Secret, checked before deploy.

The chart puts `secrets.configJson` into the Secret's data as it is, so it must be the base64 of a Docker
config.json (a JSON object, `{"auths": {...}}`). A value that is not fails only when the kubelet pulls the image
(ImagePullBackOff, long after `pulumi up` reported success). An encrypted value read from a stack file is a
placeholder here and is checked when the program runs.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr

from components.config.all_at_once import raw, raw_flag
from components.config.base import PLACEHOLDER

PULL_SECRET_PATH = "webApps.teamSettingsPullSecret"

_HOW = (
    "base64 -w0 < config.json (the file Wire sent), then "
    "pulumi config set --secret --path 'wire:webApps.teamSettingsPullSecret'"
)


def check_pull_secret(value: SecretStr) -> SecretStr:
    text = value.get_secret_value().strip()
    if text == PLACEHOLDER:
        return value
    if text.startswith("{"):
        raise ValueError(f"is the config.json itself; the chart needs its base64: {_HOW}")
    try:
        document = json.loads(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise ValueError(f"is not the base64 of a Docker config.json: {_HOW}") from None
    if not isinstance(document, dict):
        raise ValueError(f"decodes to a JSON {type(document).__name__}, not a Docker config.json (an object); {_HOW}")
    return value


def pull_secret_still_required(section: Any) -> bool:
    """Whether a `wire:webApps` that did not validate still deploys team-settings without its pull secret."""
    if not isinstance(section, Mapping):
        return False
    return raw_flag(section, "teamSettings") and raw(section, "teamSettingsPullSecret") is None
