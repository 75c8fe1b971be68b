"""One Markdown PR comment per stack, and a one-line console summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plan.counting import WHAT_IS_COUNTED
from policy.model import Violation
from review.diff import ChangedResource, PropertyChange, ResourceDiff, diff_values

# GitHub rejects comments over 65536 characters; keep room for the header and the policy section.
MAX_COMMENT = 60000
MAX_VALUES_DIFF = 20000


def marker(stack: str) -> str:
    """Invisible first line, so a workflow can find and update the stack's comment."""
    return f"<!-- wire-offline-review:{stack} -->"


@dataclass
class StackReview:
    stack: str
    base: str
    head: str
    resources: ResourceDiff = field(default_factory=ResourceDiff)
    values: dict[str, str] = field(default_factory=dict)
    outputs: list[PropertyChange] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    # Violations already present at the base: shown, but not blamed on this change.
    base_violations: list[Violation] = field(default_factory=list)
    warnings_added: list[str] = field(default_factory=list)
    warnings_removed: list[str] = field(default_factory=list)
    secrets_added: list[str] = field(default_factory=list)
    secrets_removed: list[str] = field(default_factory=list)
    # Chart version/repository per helm release, and the Wire release (wire:release) they come from.
    charts: list[PropertyChange] = field(default_factory=list)
    wire_release: PropertyChange | None = None
    base_error: str | None = None
    head_error: str | None = None

    @property
    def new_violations(self) -> list[Violation]:
        return [v for v in self.violations if v not in self.base_violations]

    @property
    def unchanged(self) -> bool:
        return self.resources.empty and not (self.values or self.outputs or self.warnings_added or self.secrets_added)


def compare_outputs(base: dict[str, Any], head: dict[str, Any]) -> list[PropertyChange]:
    return diff_values(base, head)


def _code(text: str) -> str:
    quoted = text.replace("`", "'")
    return f"`{quoted}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _violations(review: StackReview) -> list[str]:
    if review.head_error:
        return []
    if not review.violations:
        return ["✅ **Policy:** no violations (policy/rules.py, all mandatory).", ""]
    new = review.new_violations
    lines = [
        f"❌ **Policy: {len(review.violations)} violation(s)**"
        + (f", {len(new)} introduced by this change" if review.base_error is None else "")
        + " — `pulumi preview --policy-pack policy` will refuse these.",
        "",
        "| | Policy | Resource | Problem |",
        "|---|---|---|---|",
    ]
    for violation in review.violations:
        flag = "🆕" if violation in new and review.base_error is None else ""
        where = violation.urn.rsplit("::", 1)[-1] if violation.urn else "(stack)"
        lines.append(f"| {flag} | {_code(violation.policy)} | {_code(where)} | {_cell(violation.message)} |")
    return [*lines, ""]


def _resource_table(title: str, resources: list[Any]) -> list[str]:
    if not resources:
        return []
    lines = [f"**{title} ({len(resources)})**", "", "| Type | Name |", "|---|---|"]
    lines += [f"| {_code(r.get('type', ''))} | {_code(r.get('name', ''))} |" for r in resources]
    return [*lines, ""]


def _changed(changed: list[ChangedResource], title: str = "Changed") -> list[str]:
    if not changed:
        return []
    lines = [f"**{title} ({len(changed)})**", ""]
    for resource in changed:
        lines.append(f"- {_code(resource.type)} {_code(resource.name)}")
        lines += [f"  - {_code(change.describe())}" for change in resource.changes]
    return [*lines, ""]


def _charts(review: StackReview) -> list[str]:
    if not (review.charts or review.wire_release):
        return []
    lines = [f"**Charts ({len(review.charts)} release(s) change chart)**", ""]
    if review.wire_release is not None:
        lines += [f"Wire release: {_code(review.wire_release.describe().split(': ', 1)[1])}", ""]
    if review.charts:
        lines += ["| Release | Base | Head |", "|---|---|---|"]
        lines += [f"| {_code(c.path)} | {_cell(str(c.old))} | {_cell(str(c.new))} |" for c in review.charts]
    return [*lines, ""]


def _values(review: StackReview) -> list[str]:
    if not review.values:
        return []
    lines = [f"**Helm values ({len(review.values)} release(s) changed)**", ""]
    for release, text in review.values.items():
        if len(text) > MAX_VALUES_DIFF:
            text = text[:MAX_VALUES_DIFF] + "\n… (truncated; run `make review` locally for the whole diff)\n"
        lines += [f"<details open><summary><code>{release}</code></summary>", "", "```diff", text.rstrip("\n"), "```"]
        lines += ["", "</details>", ""]
    return lines


def render_markdown(review: StackReview) -> str:
    lines = [
        marker(review.stack),
        f"### Offline plan review: stack `{review.stack}`",
        "",
        f"Base {_code(review.base)} → head {_code(review.head)}. Offline plan with Pulumi mocks: no cloud access, "
        "secrets shown as `[secret]`.",
        "",
    ]
    if review.head_error:
        lines += ["⛔ **The head plan failed**, so nothing could be compared:", "", "```", review.head_error, "```", ""]
        return "\n".join(lines) + "\n"
    lines += _violations(review)
    if review.base_error:
        lines += [
            "⚠️ The base plan failed (everything below counts as added):",
            "",
            "```",
            review.base_error,
            "```",
            "",
        ]
    diff, apart = review.resources.only_counted(), review.resources.not_counted()
    lines.append(
        f"**Summary:** {len(diff.added)} to add, {len(diff.changed)} to change, {len(diff.removed)} to remove; "
        f"{len(review.values)} values file(s) changed."
    )
    lines += [f"Resources counted as in the plan summary: {WHAT_IS_COUNTED}.", ""]
    lines += _charts(review)
    if review.unchanged:
        lines += ["No changes to resources, outputs or helm values.", ""]
    lines += _resource_table("Added", diff.added)
    lines += _resource_table("Removed", diff.removed)
    lines += _changed(diff.changed)
    lines += _resource_table("Components, providers and reads added", apart.added)
    lines += _resource_table("Components, providers and reads removed", apart.removed)
    lines += _changed(apart.changed, "Components, providers and reads changed")
    if review.outputs:
        lines += [f"**Stack outputs ({len(review.outputs)} changed)**", ""]
        lines += [f"- {_code(change.describe())}" for change in review.outputs]
        lines.append("")
    for title, items in (
        ("New warnings", review.warnings_added),
        ("Resolved warnings", review.warnings_removed),
        ("New secrets to set before `pulumi up`", review.secrets_added),
        ("Secrets no longer needed", review.secrets_removed),
    ):
        if items:
            lines += [f"**{title}**", "", *[f"- {item}" for item in items], ""]
    lines += _values(review)
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_COMMENT:
        text = text[:MAX_COMMENT] + "\n\n… (comment truncated; run `make review` locally)\n"
    return text


def summary_line(review: StackReview) -> str:
    if review.head_error:
        return f"{review.stack}: head plan FAILED"
    diff = review.resources.only_counted()
    text = (
        f"{review.stack}: +{len(diff.added)} ~{len(diff.changed)} -{len(diff.removed)} resources, "
        f"{len(review.values)} values file(s) changed, {len(review.violations)} policy violation(s)"
    )
    if review.violations and not review.base_error:
        text += f" ({len(review.new_violations)} new)"
    if review.base_error:
        text += " [base plan failed]"
    return text
