"""extraValues keys that replace computed values: named once per release, with both values unless secret."""

from __future__ import annotations

from pydantic import SecretStr

from components.k8s.values.overrides import extra_value_overrides, overrides_of
from tests.components.k8s.k8s_support import aws_outputs, make_cfg


def test_no_extra_values_no_warning_and_no_second_computation() -> None:
    cfg = make_cfg()
    assert extra_value_overrides(cfg, aws_outputs(cfg)) == []


def test_a_replaced_computed_value_is_named_with_both_values() -> None:
    extra = {"wireServer": {"brig": {"config": {"optSettings": {"setMaxConvSize": 300, "setUserMaxConnections": 9}}}}}
    cfg = make_cfg(extraValues=extra)
    (warning,) = extra_value_overrides(cfg, aws_outputs(cfg))
    assert warning.startswith(
        "wire:extraValues.wireServer overrides values the program computes: "
        "brig.config.optSettings.setMaxConvSize (computed 500, extraValues 300)."
    )
    assert "setUserMaxConnections" not in warning  # not computed: nothing is replaced


def test_the_same_value_is_no_override() -> None:
    cfg = make_cfg(extraValues={"wireServer": {"brig": {"config": {"optSettings": {"setMaxConvSize": 500}}}}})
    assert extra_value_overrides(cfg, aws_outputs(cfg)) == []


def test_secret_values_are_never_shown() -> None:
    cfg = make_cfg(extraValues={"wireServer": {"brig": {"secrets": {"zAuth": "mine"}, "turn": "plain"}}})
    computed = {"wire-server": {"brig": {"secrets": {"zAuth": SecretStr("computed-secret")}, "turn": SecretStr("x")}}}
    (warning,) = overrides_of(cfg, computed)
    assert "brig.secrets.zAuth (a secret: values not shown)" in warning
    assert "brig.turn (a secret: values not shown)" in warning
    assert "mine" not in warning and "computed-secret" not in warning and "plain" not in warning


def test_one_warning_per_release() -> None:
    cfg = make_cfg(extraValues={"wireServer": {"a": 1, "b": 2}, "webapp": {"c": 3}})
    computed = {"wire-server": {"a": 0, "b": 0}, "webapp": {"c": 0}}
    warnings = overrides_of(cfg, computed)
    assert [w.split(" overrides")[0] for w in warnings] == ["wire:extraValues.wireServer", "wire:extraValues.webapp"]
    assert "a (computed 0, extraValues 1), b (computed 0, extraValues 2)" in warnings[0]
