"""The package's parts import in one direction: no cycle between its modules and subpackages (module-level
imports; a function-level import is how a command reaches the engine lazily)."""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.course import REPO_ROOT

PACKAGE = REPO_ROOT / "autograder"


def module_imports(package: Path = PACKAGE) -> dict[str, set[str]]:
    """``module -> modules of the package it imports at module level`` (``autograder.engine.jobs`` style)."""
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ".".join(here[:len(here) - node.level + 1] + ([node.module] if node.module else []))
                elif node.module and node.module.split(".")[0] == package.name:
                    base = node.module
                else:
                    continue
                deps.update(f"{base}.{alias.name}" for alias in node.names)
                if node.module:
                    deps.add(base)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.split(".")[0] == package.name)
        found[name] = deps
    return {m: {d for d in deps if d in found and d != m} for m, deps in found.items()}


def part(module: str) -> str:
    """The package's part a module belongs to: ``autograder.engine.jobs`` -> ``autograder.engine``."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    out, done, path = [], set(), []

    def visit(node):
        if node in path:
            out.append(path[path.index(node):] + [node])
            return
        if node in done:
            return
        done.add(node)
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            visit(dep)
        path.pop()

    for node in sorted(graph):
        visit(node)
    return out


def test_no_import_cycle_between_the_parts_of_the_package():
    graph: dict[str, set[str]] = {}
    for module, deps in module_imports().items():
        graph.setdefault(part(module), set()).update(part(d) for d in deps if part(d) != part(module))
    assert not cycles(graph), "import cycles between parts of the package: " + "; ".join(
        " -> ".join(c) for c in cycles(graph))


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    pkg = tmp_path / "autograder"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub.b import x\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("from ..a import y\nx = 1\n")
    graph = {}
    for module, deps in module_imports(pkg).items():
        graph.setdefault(part(module), set()).update(part(d) for d in deps if part(d) != part(module))
    assert cycles(graph) and {"autograder.a", "autograder.sub"} <= set(cycles(graph)[0])
