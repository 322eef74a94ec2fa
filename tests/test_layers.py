"""The import layers of docs/contracts.md §0: imports run one way, no cycle between or inside packages.

The graph is read from the source (ast), so a new import that climbs a layer or closes a loop fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("fanzha", "ingestion", "expectations", "dashboards", "tools")

# Lowest first. A module may import modules of its own layer or a lower one, never a higher one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("fanzha.core", "fanzha"),  # `fanzha` itself is only its __init__ (the version)
    ("ingestion", "expectations", "fanzha.build", "fanzha.build_docs", "fanzha.assessment", "fanzha.notice",
     "fanzha.access", "fanzha.alerts", "fanzha.spark"),
    ("fanzha.pipeline",),
    ("fanzha.cli", "fanzha.build_command", "fanzha.dashboard_command", "fanzha.demo", "dashboards"),
    ("tools",),
)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def layer_of(module: str) -> int:
    best, best_len = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if best < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS (and docs/contracts.md §0)")
    return best


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("fanzha", "tools") and len(parts) > 1 else parts[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> None:
        state[v] = 1
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if state.get(w) == 1:
                cycles.append([*stack[stack.index(w):], w])
            elif w not in state:
                visit(w)
        stack.pop()
        state[v] = 2

    for v in sorted(graph):
        if v not in state:
            visit(v)
    return cycles


MODULES = _modules()
GRAPH = _graph(MODULES)


def test_no_module_imports_a_higher_layer() -> None:
    climbs = [f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
              for m, targets in GRAPH.items() for t in targets if layer_of(t) > layer_of(m)]
    assert climbs == []


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(GRAPH) == []


def test_no_import_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = {}
    for m, targets in GRAPH.items():
        packages.setdefault(package_of(m), set()).update(
            package_of(t) for t in targets if package_of(t) != package_of(m))
    assert _cycles(packages) == []


@pytest.mark.parametrize(("graph", "expected"), [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b", "a"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_cycle_finder_finds_a_known_loop(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert _cycles(graph) == expected


def test_layer_rule_catches_a_climb() -> None:
    assert layer_of("fanzha.core.paths") < layer_of("ingestion.ingest") < layer_of("fanzha.pipeline.run")
    assert layer_of("tools.generate.command") > layer_of("fanzha.cli")


def test_spark_is_reached_from_the_build_command_only() -> None:
    """fanzha/spark (the optional Spark extra) is a part beside fanzha/build.py: the build command reaches
    it; nothing else in the product imports it (so the default install never needs pyspark)."""
    importers = {m for m, targets in GRAPH.items() if package_of(m) != "fanzha.spark"
                 and any(package_of(t) == "fanzha.spark" for t in targets)}
    assert importers == {"fanzha.build_command"}
