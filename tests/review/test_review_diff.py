"""The pure half of `python -m review`: plan vs plan, text vs text, and the Markdown comment."""

from __future__ import annotations

import json

from policy.model import Violation
from review.diff import (
    MISSING,
    PropertyChange,
    diff_list,
    diff_release_values,
    diff_resources,
    diff_text,
    diff_values,
)
from review.render import StackReview, marker, render_markdown, summary_line


def res(name: str, inputs: dict, *, kind: str = "aws:sqs/queue:Queue", protect: bool = True) -> dict:
    return {
        "urn": f"urn:pulumi:prod::wire::{kind}::{name}",
        "type": kind,
        "name": name,
        "parent": None,
        "protect": protect,
        "retainOnDelete": protect,
        "inputs": inputs,
    }


def plan(*resources: dict, **extra: object) -> dict:
    return {"version": 1, "project": "wire", "stack": "prod", "resources": list(resources), **extra}


def test_diff_values_paths() -> None:
    old = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "gone": True}
    new = {"a": 1, "b": {"c": [1, 3], "d": "y"}, "new": "[secret]"}
    assert diff_values(old, new) == [
        PropertyChange("b.c[1]", 2, 3),
        PropertyChange("b.d", "x", "y"),
        PropertyChange("gone", True, MISSING),
        PropertyChange("new", MISSING, "[secret]"),
    ]


def test_diff_values_lists_of_other_length_name_the_items() -> None:
    assert diff_values({"hosts": ["a", "c"]}, {"hosts": ["a", "b", "d"]}) == [
        PropertyChange("hosts[-]", "c", MISSING),
        PropertyChange("hosts[+]", MISSING, "b"),
        PropertyChange("hosts[+]", MISSING, "d"),
    ]
    # Same items, one duplicated: no item to name, so the whole list.
    assert diff_values(["a"], ["a", "a"]) == [PropertyChange("(value)", ["a"], ["a", "a"])]


def test_json_documents_are_compared_parsed() -> None:
    old = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]})
    new = json.dumps({"Statement": [{"Action": "s3:*", "Effect": "Allow"}]}, indent=2)
    assert diff_values({"policy": old}, {"policy": new}) == [
        PropertyChange("policy.Statement[0].Action", "s3:GetObject", "s3:*")
    ]


def test_secrets_stay_redacted() -> None:
    # A rotated secret is `[secret]` on both sides: no change, nothing revealed.
    assert diff_values({"password": "[secret]"}, {"password": "[secret]"}) == []
    change = diff_values({"values": "[secret]"}, {"values": {"a": 1}})[0]
    assert change.describe() == 'values: [secret] → {"a": 1}'


def test_diff_resources_added_removed_changed() -> None:
    base = plan(res("q1", {"name": "q1"}), res("q2", {"name": "q2", "delaySeconds": 0}))
    head = plan(
        res("q2", {"name": "q2", "delaySeconds": 5}, protect=False),
        res("q3", {"name": "q3"}),
    )
    diff = diff_resources(base, head)
    assert [r["name"] for r in diff.added] == ["q3"]
    assert [r["name"] for r in diff.removed] == ["q1"]
    assert len(diff.changed) == 1
    assert [c.describe() for c in diff.changed[0].changes] == [
        "delaySeconds: 0 → 5",
        "[protect]: true → false",
        "[retainOnDelete]: true → false",
    ]
    assert diff_resources(base, base).empty


def test_diff_text_and_release_values() -> None:
    assert diff_text("a: 1\n", "a: 1\n", "x") == ""
    text = diff_text("a: 1\nb: 2\n", "a: 1\nb: 3\n", "values/wire-server.yaml")
    assert "--- a/values/wire-server.yaml" in text and "-b: 2" in text and "+b: 3" in text
    diffs = diff_release_values({"wire-server": "a: 1\n", "old": "x: 1\n"}, {"wire-server": "a: 1\n", "new": "y: 1\n"})
    assert sorted(diffs) == ["new", "old"]
    assert "--- /dev/null" in diffs["new"] and "+++ /dev/null" in diffs["old"]


def test_diff_list() -> None:
    assert diff_list(["a", "b"], ["b", "c"]) == (["c"], ["a"])


def test_markdown_puts_violations_first_and_marks_new_ones() -> None:
    old = Violation("bucket-public-access-blocked", "bucket b: public access block off", "urn:x::bucket::b")
    new = Violation("iam-no-wildcards", "policy: S3 allows every action of a service: 's3:*'", "urn:x::role::r")
    review = StackReview(
        stack="prod",
        base="abc1234",
        head="def5678",
        resources=diff_resources(plan(res("q1", {"a": 1})), plan(res("q1", {"a": 2}), res("q2", {}))),
        values={"wire-server": diff_text("a: 1\n", "a: 2\n", "values/wire-server.yaml")},
        violations=[old, new],
        base_violations=[old],
        secrets_added=["email.smtp.password"],
    )
    text = render_markdown(review)
    assert text.startswith(marker("prod"))
    assert text.index("2 violation(s)") < text.index("**Summary:**")
    assert "1 introduced by this change" in text
    assert "| 🆕 | `iam-no-wildcards` | `r` |" in text
    assert "| 1 to add, 1 to change, 0 to remove" not in text and "1 to add, 1 to change, 0 to remove" in text
    assert "`a: 1 → 2`" in text and "```diff" in text and "+a: 2" in text
    assert "email.smtp.password" in text
    assert summary_line(review) == ("prod: +1 ~1 -0 resources, 1 values file(s) changed, 2 policy violation(s) (1 new)")


def test_markdown_of_a_failed_head_plan() -> None:
    review = StackReview(stack="dev", base="a", head="b", head_error="Traceback ...\nConfigError: bad")
    text = render_markdown(review)
    assert "head plan failed" in text and "ConfigError: bad" in text
    assert summary_line(review) == "dev: head plan FAILED"


def test_markdown_without_changes() -> None:
    text = render_markdown(StackReview(stack="dev", base="a", head="b"))
    assert "no violations" in text and "No changes to resources" in text


def test_review_counts_resources_as_the_plan_summary_does() -> None:
    """Components, providers and objects only read are shown apart and never counted (plan/counting.py)."""
    from plan.summary import counts

    def flagged(resource: dict, *, custom: bool = True, read: bool = False) -> dict:
        return {**resource, "custom": custom, "read": read}

    component = flagged(res("storage", {}, kind="wire:aws:BrigStorage"), custom=False)
    provider = flagged(res("aws", {"region": "eu-west-1"}, kind="pulumi:providers:aws"))
    read = flagged(res("envoy-wire", {}, kind="kubernetes:core/v1:Service"), read=True)
    queue = flagged(res("q1", {"name": "q1"}))
    base = plan(flagged(res("aws", {"region": "eu-central-1"}, kind="pulumi:providers:aws")))
    head = plan(component, provider, read, queue)
    review = StackReview(stack="prod", base="a", head="b", resources=diff_resources(base, head))
    text = render_markdown(review)
    created, _, _ = counts(head["resources"])
    assert created == 1
    assert f"**Summary:** {created} to add, 0 to change, 0 to remove" in text
    assert summary_line(review).startswith(f"prod: +{created} ~0 -0 resources")
    assert "components, providers and objects only read are not counted" in text
    assert "**Added (1)**" in text and "**Components, providers and reads added (2)**" in text
    # A provider's change is still shown, apart: it can move every resource.
    assert "**Components, providers and reads changed (1)**" in text and "region: eu-central-1 → eu-west-1" in text
