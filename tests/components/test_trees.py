"""Merging values trees: what the operator's files, the computed values and the chart fillers each keep."""

from __future__ import annotations

from components.trees import deep_merge, fill_missing


def test_fill_missing_adds_only_what_the_tree_lacks_and_keeps_its_order() -> None:
    tree = {"nginz": {"secrets": {"zAuth": {"publicKeys": "k"}}, "replicaCount": 3}, "brig": {}}
    filled = fill_missing(tree, {"nginz": {"secrets": {"basicAuth": "", "zAuth": {"publicKeys": "other"}}}})
    assert filled == {
        "nginz": {"secrets": {"zAuth": {"publicKeys": "k"}, "basicAuth": ""}, "replicaCount": 3},
        "brig": {},
    }
    assert list(filled) == ["nginz", "brig"] and list(filled["nginz"]["secrets"]) == ["zAuth", "basicAuth"]
    # An operator's value (a string where the filler has a map, or the same key) always stays.
    assert fill_missing({"a": "kept"}, {"a": {"b": 1}}) == {"a": "kept"}
    assert tree["nginz"]["secrets"] == {"zAuth": {"publicKeys": "k"}}, "the input is not changed"


def test_deep_merge_lets_the_override_win_and_replaces_lists() -> None:
    assert deep_merge({"a": {"b": 1, "c": [1]}}, {"a": {"c": [2], "d": 3}}) == {"a": {"b": 1, "c": [2], "d": 3}}


def test_leaves_name_every_leaf_by_its_path() -> None:
    from components.trees import leaves

    tree = {"brig": {"config": {"aws": {"sqsEndpoint": "x"}}, "list": [1, {"k.v": 2}]}}
    assert list(leaves(tree)) == [("brig.config.aws.sqsEndpoint", "x"), ("brig.list[0]", 1), ("brig.list[1].k.v", 2)]
    assert list(leaves({"k.v": 1}, key_text=lambda key: key.replace(".", "_"))) == [("k_v", 1)]
