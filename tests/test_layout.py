"""The house in rooms: no import cycles, and every import points from cli down to models."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "usce_planner"
# Each room, with the rooms below it that it may import (the top-level helpers are open to all).
BELOW = {
    "cli": {"app", "suggest", "export", "plan", "eligibility", "storage", "timing", "models"},
    "app": {"suggest", "export", "plan", "eligibility", "storage", "timing", "models"},
    "suggest": {"plan", "eligibility", "timing", "models"},
    "export": {"plan", "eligibility", "timing", "models"},
    "plan": {"eligibility", "timing", "models"},
    "eligibility": {"timing", "models"},
    "storage": {"models"},
    "timing": {"models"},
    "models": set(),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(path: Path) -> set[str]:
    """Return the usce_planner modules imported when ``path`` is imported (lazy ones aside)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("usce_planner.")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: _module_level_imports(path) & modules.keys() for name, path in modules.items()}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    path: list[str] = []
    on_path: set[str] = set()
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        on_path.add(node)
        for target in sorted(graph[node]):
            found = visit(target)
            if found:
                return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    return visit(start)


def test_package_has_no_import_cycle() -> None:
    graph = _graph()
    cycles = [cycle for name in sorted(graph) if (cycle := _cycle_from(name, graph))]
    assert cycles == []


def test_cycle_finder_finds_a_cycle_when_there_is_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycle_from("a", graph) == ["a", "b", "c", "a"]
    assert _cycle_from("d", graph) is None


@pytest.mark.parametrize("room", sorted(BELOW))
def test_room_imports_only_rooms_below_it(room: str) -> None:
    graph = _graph()
    wrong = set()
    for module, targets in graph.items():
        if module.split(".")[1:2] != [room]:
            continue
        for target in targets:
            target_room = target.split(".")[1]
            if target_room in BELOW and target_room != room and target_room not in BELOW[room]:
                wrong.add(f"{module} -> {target}")
    assert sorted(wrong) == []
