"""`python -m plan` and the Pulumi program never load the migration tool."""

from __future__ import annotations

from tests.test_import_graph import import_graph, project_sources


def test_nothing_the_program_or_the_plan_imports_reaches_migrate() -> None:
    graph = import_graph(project_sources())
    start = [module for module in graph if module == "__main__" or module.split(".")[0] in ("components", "plan")]
    reached, queue = set(start), list(start)
    while queue:
        for target in graph[queue.pop()] - reached:
            reached.add(target)
            queue.append(target)
    assert "plan.__main__" in reached
    assert not sorted(module for module in reached if module.split(".")[0] == "migrate")
    assert {"migrate.cli", "migrate.transfer"} <= set(graph)
