"""No import cycles between the project's modules, counting every import statement.

Imports inside functions count too (a cycle hidden in a function is still a cycle); imports under
`if TYPE_CHECKING:` are left out, as they never run, except inside the configuration (components/config):
there a type-only circle is still a circle of the design (stack.py knows the rules, the rules know stack.py),
and the rule registry (registry.py) keeps it free of them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("components", "plan", "verify", "review", "policy", "bench", "migrate")
# Packages whose imports for type checking count as well.
STRICT_PACKAGES = ("components.config",)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def project_sources(root: Path = ROOT) -> dict[str, tuple[str, bool]]:
    """Module name -> (source, is a package) of every project module."""
    paths = [root / "__main__.py", *sorted(path for package in PACKAGES for path in (root / package).rglob("*.py"))]
    return {module_name(path, root): (path.read_text(), path.name == "__init__.py") for path in paths}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, *, type_checking: bool = False) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except the body of `if TYPE_CHECKING:` (unless `type_checking`)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        if not type_checking and isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        yield from _imports(node, type_checking=type_checking)


def _strict(module: str, strict: Iterable[str]) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in strict)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(sources: Mapping[str, tuple[str, bool]], strict: Iterable[str] = ()) -> dict[str, set[str]]:
    """Module -> the project modules it imports (for modules of the `strict` packages: also for type checking)."""
    strict = tuple(strict)
    graph: dict[str, set[str]] = {}
    for module, (source, is_package) in sources.items():
        targets: set[str] = set()
        for node in _imports(ast.parse(source), type_checking=_strict(module, strict)):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
                continue
            imported = _absolute(node, module, is_package)
            for alias in node.names:
                submodule = f"{imported}.{alias.name}"
                targets.add(submodule if submodule in sources else imported)
        graph[module] = {target for target in targets if target in sources and target != module}
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) through each strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, group) for group in groups]


def _cycle_in(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def test_the_project_has_no_import_cycles() -> None:
    found = cycles(import_graph(project_sources(), strict=STRICT_PACKAGES))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_a_circle_of_the_configuration_through_type_checking_imports_is_found() -> None:
    sources = {
        "components.config.stack": ("from components.config.rules import RULES\n", False),
        "components.config.rules": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from components.config.stack import Stack\n",
            False,
        ),
        "plan.a": ("import plan.b\n", False),
        "plan.b": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import plan.a\n", False),
    }
    assert cycles(import_graph(sources, strict=STRICT_PACKAGES)) == [
        ["components.config.rules", "components.config.stack", "components.config.rules"]
    ]
    assert cycles(import_graph(sources)) == []


def test_the_configuration_never_imports_naming() -> None:
    graph = import_graph(project_sources())
    config = [module for module in graph if module == "components.config" or module.startswith("components.config.")]
    assert len(config) > 10
    assert not [module for module in config if "components.naming" in graph[module]]


def test_every_project_package_is_scanned() -> None:
    modules = set(project_sources())
    assert "__main__" in modules
    assert {package for package in PACKAGES if package in modules} == set(PACKAGES)


def test_a_cycle_through_an_import_inside_a_function_is_found_and_named() -> None:
    sources = {
        "pkg": ("", True),
        "pkg.config": ("def rule():\n    from pkg import naming\n    return naming.names()\n", False),
        "pkg.naming": ("from pkg.config import Model\n", False),
        "pkg.other": ("import pkg.naming\n", False),
    }
    assert cycles(import_graph(sources)) == [["pkg.config", "pkg.naming", "pkg.config"]]


def test_relative_imports_are_resolved() -> None:
    sources = {
        "pkg": ("from .a import x\n", True),
        "pkg.a": ("from .sub import b\n", False),
        "pkg.sub": ("", True),
        "pkg.sub.b": ("from ..a import x\n", False),
    }
    graph = import_graph(sources)
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.sub.b"}, "pkg.sub": set(), "pkg.sub.b": {"pkg.a"}}
    assert cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.a"]]


def test_imports_for_type_checking_only_are_ignored() -> None:
    sources = {
        "pkg.config": ("import pkg.naming\n", False),
        "pkg.naming": (
            "import typing\nif typing.TYPE_CHECKING:\n    from pkg.config import Model\nelse:\n    import json\n",
            False,
        ),
    }
    assert cycles(import_graph(sources)) == []
    sources["pkg.naming"] = ("if TYPE_CHECKING:\n    pass\nelse:\n    from pkg import config\n", False)
    sources["pkg"] = ("", True)
    assert cycles(import_graph(sources)) == [["pkg.config", "pkg.naming", "pkg.config"]]
