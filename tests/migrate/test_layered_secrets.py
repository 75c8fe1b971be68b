"""wire-server-deploy's own example values and secrets layered into a stack: every secret of the operator is kept."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from components.config.layered_secrets import SECRET_SOURCES
from components.stackfile import PROJECT_ROOT
from plan.runner import evaluate
from plan.summary import SECRET_HINTS

DATA = Path(__file__).parent / "data" / "wire-server-deploy"

STACK = """\
config:
  aws:region: eu-central-1
  wire:environment: legacy
  wire:domain: wire.example.org
  wire:production: false
  wire:kubernetes:
    context: wire
  wire:serviceCredentials:
    mode: irsa
    oidcProviderArn: arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC
  wire:email:
    mode: smtp
    sender: no-reply@wire.example.org
    smtp:
      host: smtp.example.org
      username: wire
  wire:databases:
    rabbitmq:
      host: rabbitmq
    postgresql:
      host: postgresql
  wire:webApps:
    teamSettings: true
  wire:linkPreviews:
    enabled: true
  wire:layeredValues:
    files:
      wireServer: [deploy/wire-server/values.yaml]
      teamSettings: [deploy/team-settings/values.yaml]
    secretFiles:
      wireServer: [deploy/wire-server/secrets.yaml]
      teamSettings: [deploy/team-settings/secrets.yaml]
    # The examples still point at fake-aws (its hosts and dummy keys): the computed values replace those.
    allowFakeAws: true
"""
FILES = {
    "deploy/wire-server/values.yaml": "wire-server.prod-values.example.yaml",
    "deploy/wire-server/secrets.yaml": "wire-server.prod-secrets.example.yaml",
    "deploy/team-settings/values.yaml": "team-settings.prod-values.example.yaml",
    "deploy/team-settings/secrets.yaml": "team-settings.prod-secrets.example.yaml",
}
SECRETS_FILE = "deploy/wire-server/secrets.yaml"


def project(tmp_path: Path, stack: str = STACK) -> Path:
    shutil.copy2(PROJECT_ROOT / "__main__.py", tmp_path / "__main__.py")
    (tmp_path / "Pulumi.legacy.yaml").write_text(stack)
    for target, name in FILES.items():
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(DATA / name, tmp_path / target)
    return tmp_path


def at(tree: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        tree = tree[key]
    return tree.get_secret_value() if isinstance(tree, SecretStr) else tree


def test_every_secret_of_the_example_files_is_kept_not_asked_for_again(tmp_path: Path) -> None:
    plan = evaluate("legacy", project(tmp_path))
    assert plan.secrets_to_set == []
    cfg = plan.config
    assert cfg.secrets.turn_secret.get_secret_value() == "CHANGEMEE6KHMJU1uDhhgvsVWoIyzmn3u3GHRoWjTp"
    assert cfg.secrets.zauth_public_keys.get_secret_value() == "<public key>"
    assert cfg.databases.rabbitmq.password.get_secret_value() == "guest"
    assert cfg.databases.postgresql.password.get_secret_value() == "verysecurepassword"
    assert cfg.email.smtp.password.get_secret_value() == "dummyPassword"
    assert cfg.web_apps.team_settings_pull_secret.get_secret_value() == "e30K"

    wire_server = plan.evaluation.result["wire-server"]
    for chart_path, expected in [
        ("brig.secrets.zAuth.publicKeys", "<public key>"),
        ("brig.secrets.zAuth.privateKeys", "<private key>"),
        ("nginz.secrets.zAuth.publicKeys", "<public key>"),
        ("brig.secrets.turn.secret", "CHANGEMEE6KHMJU1uDhhgvsVWoIyzmn3u3GHRoWjTp"),
        ("brig.secrets.pgPassword", "verysecurepassword"),
        ("galley.secrets.rabbitmq.password", "guest"),
        ("brig.secrets.smtpPassword", "dummyPassword"),
    ]:
        assert at(wire_server, chart_path) == expected, chart_path
    # The operator's proxy_config (their giphy key) is kept, not written empty.
    assert "giphy" in at(wire_server, "proxy.secrets.proxy_config")

    # No secret of the operator is replaced: the override report names none.
    layering = " ".join(plan.layering)
    assert "secrets." not in layering
    assert "configJson" not in layering
    [note] = [w for w in plan.warnings if "kept from your files" in w]
    assert f"secrets.turnSecret from {SECRETS_FILE} (brig.secrets.turn.secret)" in note
    assert "webApps.teamSettingsPullSecret from deploy/team-settings/secrets.yaml (secrets.configJson)" in note
    # Still secret everywhere the plan shows it.
    assert "CHANGEMEE6K" not in str(plan.document())


def test_a_secret_set_in_the_stack_wins_and_the_override_is_reported(tmp_path: Path) -> None:
    stack = STACK.replace("  wire:layeredValues:", "  wire:secrets:\n    turnSecret: new-turn\n  wire:layeredValues:")
    root = project(tmp_path, stack)
    # The plan runs only with encrypted secrets; here the runtime marks the section as secret.
    from components.stackfile import read_stack_file

    stack_file = read_stack_file("legacy", root)
    from components.config import load_config

    wire = {k.removeprefix("wire:"): v for k, v in stack_file.config.items() if k.startswith("wire:")}
    loaded = load_config(wire, region="eu-central-1", secret_keys={"secrets"}, base_dir=root)
    assert loaded.config.secrets.turn_secret.get_secret_value() == "new-turn"
    assert "secrets.turnSecret" not in loaded.config.layered_values.kept_secrets
    assert "secrets.zauthPublicKeys" in loaded.config.layered_values.kept_secrets


def test_secrets_absent_everywhere_are_still_to_set_with_copy_first_hints(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / SECRETS_FILE).write_text("brig:\n  secrets:\n    turn:\n      secret: kept-turn\n")
    plan = evaluate("legacy", root)
    assert "secrets.turnSecret" not in plan.secrets_to_set
    assert "secrets.zauthPublicKeys" in plan.secrets_to_set
    for path in ("secrets.zauthPublicKeys", "secrets.turnSecret", "databases.rabbitmq.password"):
        assert SECRET_HINTS[path].startswith("copy it from your existing"), path


def test_every_kept_secret_names_a_required_secret_with_a_hint() -> None:
    assert set(SECRET_SOURCES) <= set(SECRET_HINTS)


def test_every_override_is_reported_once_with_the_side_that_wins(tmp_path: Path) -> None:
    own = (
        "  wire:secrets:\n    turnSecret:\n      secure: v1:bm90LWRlY3J5cHRhYmxlLWhlcmU=\n"
        "  wire:extraValues:\n    wireServer:\n      brig:\n        replicaCount: 5\n"
    )
    plan = evaluate("legacy", project(tmp_path, STACK.replace("  wire:layeredValues:", own + "  wire:layeredValues:")))
    [warning] = [w for w in plan.layering if w.startswith("wire-server:")]
    computed, secret, extra = warning.split("; ")[0], warning.split("; ")[-2], warning.split("; ")[-1]
    assert "brig.config.optSettings.setFederationDomain" in computed and "AWS resources" in computed
    assert secret.startswith("the stack's own secrets (pulumi config --secret) win over your layered files for: ")
    assert secret.count("brig.secrets.turn.secret") == 1 and "zAuth" not in secret
    assert extra == "your wire:extraValues win over your layered files for: brig.replicaCount"
    assert warning.count("brig.replicaCount") == 1 and warning.count("brig.secrets.turn.secret") == 1
    assert "secrets.turnSecret" not in " ".join(w for w in plan.warnings if "kept from your files" in w)


def test_a_section_the_stack_leaves_out_still_gets_the_kept_secrets(tmp_path: Path) -> None:
    # No wire:databases in the stack: a placeholder for a secret found nowhere fills that section from its
    # defaults, and the secrets kept from the files must stay the files' (never their mask).
    stack = STACK.replace(
        "  wire:databases:\n    rabbitmq:\n      host: rabbitmq\n    postgresql:\n      host: postgresql\n", ""
    )
    root = project(tmp_path, stack)
    (root / SECRETS_FILE).write_text("brig:\n  secrets:\n    pgPassword: kept-pg\n")
    plan = evaluate("legacy", root)
    assert "databases.rabbitmq.password" in plan.secrets_to_set
    assert at(plan.evaluation.result["wire-server"], "brig.secrets.pgPassword") == "kept-pg"
