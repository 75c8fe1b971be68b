"""The offline plan: evaluate the real program under Pulumi mocks against a stack file.

No CLI, no credentials, no network. `secure:` values and required secrets that are not set yet
become the placeholder `[secret]`; the latter are listed as secrets still to set. The result is
what `pulumi preview` would register, with every input, so it can be reviewed, diffed and checked
against the policy pack.

plan.json (version 1):
    {"version": 1, "project": "wire", "stack": "<stack>",
     "resources": [{"urn", "type", "name", "parent" (urn or null for top level), "dependencies" [urn],
                    "custom", "protect", "retainOnDelete", "read", "inputs" {...}, "secretOutputs" [...],
                    "import" and "ignoreChanges" [...] only on a resource wire:adopt adopts}],
     "outputs": {<export>: value},          # secrets as "[secret]"
     "secretOutputs": [<export>],
     "values": {<release>: "values/<release>.yaml"},
     "warnings": [...], "secretsToSet": [<wire: key path>], "drain": "<cannon drain summary>",
     "assetStorage": {<what the summary prices versions and the replica from>},
     "wireRelease": {"name": "<wire:release>", "manifest": "<wire-builds build.json URL>",
                     "chartOverrides": [<chart that differs from the release>]}}
"""

from __future__ import annotations

import copy
import json
import re
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from components.config import NAMESPACE, PLACEHOLDER, ConfigError, StackConfig
from components.config.loading import parse_value
from components.config.recovery_rules import storage_estimate
from components.k8s.values import values_yaml
from components.k8s.values.common import layering_warning
from components.outputs import redact
from components.stackfile import PROJECT_ROOT, StackFile, as_runtime_config, read_stack_file
from plan.graph import mermaid
from plan.mock_outputs import ACCOUNT_ID
from plan.mocks import Evaluation, run_program
from plan.registrations import KNOWN_AFTER_APPLY, redact_secrets, show_unknowns

PLAN_VERSION = 1
# Not a release: where the program's extraValues override warnings travel with the value trees.
_OVERRIDES = "(extraValues overrides)"
LEGEND_UP = (
    f"Made up by the mocks, not real: account {ACCOUNT_ID}, every ARN, URL and id AWS returns, DKIM tokens and "
    "load balancer hostnames (marked mock-)"
)
LEGEND_PREVIEW = (
    f"As a first `pulumi preview` shows it: {KNOWN_AFTER_APPLY} for every value only the apply knows "
    f"(ids, ARNs, DKIM tokens, load balancer hostnames); account {ACCOUNT_ID} (an invoke) is made up by the mocks"
)


@dataclass
class Plan:
    stack: str
    config: StackConfig
    evaluation: Evaluation
    values: dict[str, Any]  # release -> values tree, secrets redacted
    secrets_to_set: list[str]
    # Evaluated like a stack's first `pulumi preview`: what only the apply knows is "(known after apply)".
    preview: bool = False
    # Per release: where the computed values override the operator's layered values files.
    layering: list[str] = field(default_factory=list)
    # Per release: where the operator's wire:extraValues override the computed values.
    overrides: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return self.config.warnings() + self.layering + self.overrides

    def document(self) -> dict[str, Any]:
        stack_urn = next(
            (r.parent for r in self.evaluation.resources if r.parent and "::pulumi:pulumi:Stack::" in r.parent), None
        )
        resources = []
        # Registration order depends on when Outputs resolve; sorting keeps plan.json identical run to run.
        for r in sorted(self.evaluation.resources, key=lambda registration: registration.urn):
            resources.append(
                {
                    "urn": r.urn,
                    "type": r.type,
                    "name": r.name,
                    "parent": None if r.parent == stack_urn else r.parent,
                    "dependencies": sorted(r.dependencies),
                    "custom": r.custom,
                    "protect": r.protect,
                    "retainOnDelete": r.retain_on_delete,
                    "read": r.read,
                    "inputs": _redact_inputs(r.inputs),
                    "secretOutputs": sorted(set(r.additional_secret_outputs)),
                    # Only on an adopted resource (wire:adopt), so a plan without adoption reads as before.
                    **({"import": r.import_id, "ignoreChanges": sorted(r.ignore_changes)} if r.import_id else {}),
                }
            )
        outputs = {
            key: PLACEHOLDER if key in self.evaluation.secret_outputs else redact_secrets(value)
            for key, value in sorted(self.evaluation.stack_outputs.items())
        }
        return {
            "version": PLAN_VERSION,
            "project": NAMESPACE,
            "stack": self.stack,
            "resources": resources,
            "outputs": outputs,
            "secretOutputs": sorted(self.evaluation.secret_outputs),
            "values": {release: f"values/{release}.yaml" for release in sorted(self.values)},
            "warnings": self.warnings,
            "secretsToSet": self.secrets_to_set,
            "drain": self.config.cannon.drain.summary(),
            "wireRelease": self.wire_release(),
            "assetStorage": storage_estimate(self.config),
            "mode": "preview" if self.preview else "up",
            "legend": LEGEND_PREVIEW if self.preview else LEGEND_UP,
        } | self.asset_copy()

    def asset_copy(self) -> dict[str, Any]:
        """A migrating stack (wire:assets.migration): how long its asset copy is expected to take."""
        migration = self.config.assets.migration
        if migration is None:
            return {}
        from plan.copy_estimate import estimate_text

        return {"assetCopy": estimate_text(migration.objects, migration.size_bytes, migration.shards)}

    def wire_release(self) -> dict[str, Any]:
        from components.config.wire_builds import known_releases

        release = known_releases()[self.config.release]
        return {"name": release.name, "manifest": release.source, "chartOverrides": self.config.chart_overrides}

    def write(self, out: Path) -> dict[str, Any]:
        """Write plan.json, graph.mmd and values/ to `out`; the plan.json document (for the summary)."""
        out.mkdir(parents=True, exist_ok=True)
        values_dir = out / "values"
        if values_dir.exists():
            for stale in values_dir.glob("*.yaml"):
                stale.unlink()
        values_dir.mkdir(exist_ok=True)
        document = self.document()
        (out / "plan.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        # The creation-order picture with the critical path to wire-server (render with any Mermaid viewer).
        (out / "graph.mmd").write_text(mermaid(document))
        for release, tree in sorted(self.values.items()):
            (values_dir / f"{release}.yaml").write_text(dump_values(release, tree))
        return document


def dump_values(release: str, tree: Any) -> str:
    header = f"# helm values of release {release}, computed by wire-infra (secrets redacted as {PLACEHOLDER})\n"
    return header + values_yaml(tree)


def _redact_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    redacted = redact_secrets(inputs)
    # Pulumi-internal bookkeeping keys carry no meaning for a reviewer.
    return {key: value for key, value in redacted.items() if not key.startswith("__")}


def prepare(stack_file: StackFile) -> tuple[StackConfig, dict[str, str], set[str], list[str]]:
    """Validate the stack and fill placeholders for required secrets not set yet.

    A placeholder never replaces a default: a section the stack leaves out (e.g. `wire:databases`) is
    filled with its defaults before the placeholder goes in, so the program sees what it validated.
    """
    loaded = stack_file.load()
    config = copy.deepcopy(stack_file.config)
    secret_keys = set(stack_file.secret_keys)
    defaults = loaded.config.model_dump(by_alias=True, mode="json", exclude_none=True)
    # Secrets taken from the layered files are read from them again by the program, not from these defaults
    # (where a secret is only its mask).
    for path in loaded.config.layered_values.kept_secrets:
        *parents, last = path.split(".")
        node = defaults
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    for path in loaded.missing_secrets:
        top = path.split(".")[0].split("[")[0]
        key = f"{NAMESPACE}:{top}"
        current = config.get(key, defaults.get(top))
        config[key] = set_path(parse_value(current), path[len(top) :], PLACEHOLDER, defaults.get(top))
        secret_keys.add(key)
    return loaded.config, as_runtime_config(config), secret_keys, list(loaded.missing_secrets)


_STEP = re.compile(r"\.([A-Za-z0-9_]+)|\[(\d+)\]")


def set_path(container: Any, path: str, value: Any, defaults: Any = None) -> Any:
    """Set `value` at a Pulumi `--path` suffix (".a.b[0].c") inside `container`, creating dicts as needed.

    A missing object on the way is created from the matching part of `defaults` (when given), so a
    placeholder set into a section the stack leaves out keeps that section's defaults.
    """
    steps = [(name, int(index) if index else None) for name, index in _STEP.findall(path)]
    if not steps:
        return value
    if container is None:
        container = copy.deepcopy(defaults) if defaults is not None else ({} if steps[0][1] is None else [])
    root = copy.deepcopy(container)
    node = root
    for position, (name, index) in enumerate(steps):
        last = position == len(steps) - 1
        key: Any = name if index is None else index
        defaults = _step(defaults, key)
        if last:
            node[key] = value
        else:
            nxt = steps[position + 1]
            if isinstance(node, dict) and key not in node:
                node[key] = copy.deepcopy(defaults) if defaults is not None else ({} if nxt[1] is None else [])
            node = node[key]
    return root


def _step(tree: Any, key: Any) -> Any:
    if isinstance(tree, dict) and isinstance(key, str):
        return tree.get(key)
    if isinstance(tree, list) and isinstance(key, int) and key < len(tree):
        return tree[key]
    return None


def evaluate(stack: str, root: Path = PROJECT_ROOT, *, preview: bool = False) -> Plan:
    """Evaluate the program's real `__main__.py` for `stack` under the mocks (`preview`: as a first preview)."""
    cfg, runtime_config, secret_keys, missing = prepare(read_stack_file(stack, root))
    return evaluate_config(stack, cfg, runtime_config, secret_keys, missing, root, preview=preview)


def evaluate_config(
    stack: str,
    cfg: StackConfig,
    runtime_config: dict[str, str],
    secret_keys: set[str],
    missing: list[str],
    root: Path = PROJECT_ROOT,
    *,
    preview: bool = False,
) -> Plan:
    """Evaluate `__main__.py` with runtime config as `pulumi up` would hand it over."""
    main = str(root / "__main__.py")

    def program() -> Any:
        built = runpy.run_path(main, run_name="__pulumi_main__")["program"]
        if built.extra_value_overrides is None:
            return built.value_trees
        return {**built.value_trees, _OVERRIDES: built.extra_value_overrides}

    evaluation = run_program(
        program, config=runtime_config, secret_keys=sorted(secret_keys), stack=stack, preview=preview
    )
    trees = dict(evaluation.result or {})
    # A list once the AWS outputs are known; unknown in a first preview, where `pulumi up` reports them.
    overrides = trees.pop(_OVERRIDES, None)
    evaluation.result = trees  # the releases' value trees, as every reader of the evaluation expects
    values = {release: show_unknowns(redact(tree)) for release, tree in trees.items()}
    # Unknown values (a first preview) cannot be compared with the operator's files: `pulumi up` reports them.
    layering = [] if preview else [w for r, t in sorted(trees.items()) if (w := layering_warning(cfg, r, t))]
    return Plan(
        stack=stack,
        config=cfg,
        evaluation=evaluation,
        values=values,
        secrets_to_set=missing,
        preview=preview,
        layering=layering,
        overrides=overrides if isinstance(overrides, list) else [],
    )


__all__ = ["ConfigError", "Plan", "dump_values", "evaluate", "set_path"]
