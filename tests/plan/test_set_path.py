"""Placeholders for missing secrets are set at Pulumi `--path` locations."""

from plan.runner import set_path


def test_set_path_creates_nested_objects() -> None:
    assert set_path(None, ".a.b", "x") == {"a": {"b": "x"}}


def test_set_path_reaches_into_lists_without_touching_the_input() -> None:
    original = {"apps": [{"name": "app"}]}
    assert set_path(original, ".apps[0].credential", "x") == {"apps": [{"name": "app", "credential": "x"}]}
    assert original == {"apps": [{"name": "app"}]}


def test_empty_path_replaces_the_value() -> None:
    assert set_path("old", "", "x") == "x"


def test_a_missing_section_is_created_from_its_defaults() -> None:
    defaults = {"rabbitmq": {"host": "rabbitmq-external"}, "redis": {"host": "redis"}}
    assert set_path(None, ".rabbitmq.username", "x", defaults) == {
        "rabbitmq": {"host": "rabbitmq-external", "username": "x"},
        "redis": {"host": "redis"},
    }
    assert set_path({"redis": {"host": "own"}}, ".rabbitmq.password", "x", defaults) == {
        "redis": {"host": "own"},
        "rabbitmq": {"host": "rabbitmq-external", "password": "x"},
    }
