"""libyaml reads YAML as PyYAML's own reader does: the same values, the same line marks."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from components import yaml_text
from components.stackfile import PROJECT_ROOT

HELM_LIKE = "a: 012\nb: 'x'\nc: [1, 2.5, true, null]\nd: 2024-01-02\ne: |\n  line\n---\n- not a mapping\n"
# Values files as operators layer them (wire-server-deploy's examples among them) and the repo's other YAML.
FILES = sorted(
    str(path.relative_to(PROJECT_ROOT))
    for pattern in ("tests/corpus/values/*.yaml", "tests/migrate/data/**/*.yaml", "tests/components/k8s/*.yaml")
    for path in PROJECT_ROOT.glob(pattern)
)


def marks(node: Any) -> list[tuple[int, int]]:
    if node is None:
        return []
    found = [(node.start_mark.line, node.start_mark.column)]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += marks(key) + marks(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += marks(item)
    return found


def test_documents_load_as_with_pyyamls_reader() -> None:
    assert list(yaml_text.load_all(HELM_LIKE)) == list(yaml.safe_load_all(HELM_LIKE))


@pytest.mark.parametrize("path", FILES)
def test_files_load_and_compose_as_with_pyyamls_reader(path: str) -> None:
    text = Path(PROJECT_ROOT / path).read_text(encoding="utf-8-sig")
    try:
        expected = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:  # the line a problem names (components/config/layered.py)
        with pytest.raises(yaml.MarkedYAMLError) as fast:
            yaml_text.load(text)
        assert getattr(fast.value.problem_mark, "line", None) == getattr(error.problem_mark, "line", None)
        return
    assert yaml_text.load(text) == expected
    assert marks(yaml_text.compose(text)) == marks(yaml.compose(text, Loader=yaml.SafeLoader))


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    assert (yaml_text.SAFE_LOADER is not yaml.SafeLoader) == yaml.__with_libyaml__
