"""The package's modules import one another without a cycle.

Every ``import`` and ``from … import`` in the package is read with :mod:`ast`, at module level and
inside functions alike (an import deferred into a function still ties the two modules together), and
resolved to the module it loads: ``from . import x`` and ``from pkg import submodule`` name the
submodule, ``from pkg.mod import name`` names ``pkg.mod``. Two kinds of edge are left out:

- the parent-package initialisation Python does on the way: loading ``pkg.sub.mod`` runs
  ``pkg/__init__`` and ``pkg/sub/__init__`` first, but that is no dependency of the importer on
  them, so a package whose ``__init__`` re-exports its own submodules is no cycle;
- imports under ``if TYPE_CHECKING:``, which never run.

A cycle is reported as its modules and every import that ties them, with file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import zhengji_publish

pytestmark = pytest.mark.unit

Edge = tuple[str, str, int]  # (importing module, imported module, line of the import)


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name → source file, for every ``.py`` file under the package folder ``root``."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node``, in functions and classes too, but not under TYPE_CHECKING."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _import_nodes(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from _import_nodes(child)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Edge]:
    """The package modules that module ``name`` (source ``path``) imports, with the line of each import."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    edges: list[Edge] = []
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base_parts = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join([*base_parts, node.module] if node.module else base_parts)
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in modules else base)
        for target in targets:
            if target in modules and target != name and (name, target, node.lineno) not in edges:
                edges.append((name, target, node.lineno))
    return edges


def import_graph(root: Path, package: str) -> tuple[dict[str, Path], list[Edge]]:
    """The package's modules and the imports between them."""
    modules = module_files(root, package)
    edges = [edge for name, path in modules.items() for edge in imports_of(name, path, modules)]
    return modules, edges


def strongly_connected(nodes: list[str], edges: list[Edge]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module, each sorted, in name order."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b, _ in edges:
        succ[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # recursion depth is bounded by the number of modules
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for n in sorted(nodes):
        if n not in index:
            visit(n)
    return sorted(found)


def shortest_cycle(component: list[str], edges: list[Edge]) -> list[str]:
    """One shortest cycle through the component's first module, as ``[a, b, …, a]``."""
    inside = set(component)
    succ: dict[str, list[str]] = {}
    for a, b, _ in sorted(edges):
        if a in inside and b in inside:
            succ.setdefault(a, []).append(b)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in succ.get(v, []):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected component always has one


def describe(component: list[str], edges: list[Edge], modules: dict[str, Path], root: Path) -> str:
    inside = set(component)
    lines = [" → ".join(shortest_cycle(component, edges)), "  the imports that tie these modules:"]
    for a, b, line in sorted(edges, key=lambda e: (e[0], e[2], e[1])):
        if a in inside and b in inside:
            lines.append(f"    {modules[a].relative_to(root.parent)}:{line}: {a} imports {b}")
    return "\n".join(lines)


def cycles_in(root: Path, package: str) -> list[str]:
    """A description of each import cycle in the package at ``root`` (empty when there is none)."""
    modules, edges = import_graph(root, package)
    return [describe(c, edges, modules, root) for c in strongly_connected(list(modules), edges)]


def test_the_package_has_no_import_cycle():
    root = Path(zhengji_publish.__file__).resolve().parent
    cycles = cycles_in(root, "zhengji_publish")
    if cycles:
        pytest.fail(f"{len(cycles)} import cycle(s):\n" + "\n".join(cycles), pytrace=False)


# ------------------------------------------------------------------ the walker itself


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_imports_inside_functions_and_relative_imports_are_followed(tmp_path):
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "def f():\n    from pkg.sub import high\n",
            "sub/__init__.py": "",
            "sub/high.py": "from .. import low\n",
        },
    )
    cycles = cycles_in(root, "pkg")
    assert len(cycles) == 1
    assert cycles[0].splitlines()[0] == "pkg.low → pkg.sub.high → pkg.low"
    assert "pkg/low.py:2: pkg.low imports pkg.sub.high" in cycles[0]
    assert "pkg/sub/high.py:1: pkg.sub.high imports pkg.low" in cycles[0]


def test_from_package_import_submodule_names_the_submodule(tmp_path):
    files = {"__init__.py": "", "a.py": "from pkg import b\n", "b.py": "import pkg.c\n", "c.py": "from . import a\n"}
    cycles = cycles_in(_package(tmp_path, files), "pkg")
    assert [c.splitlines()[0] for c in cycles] == ["pkg.a → pkg.b → pkg.c → pkg.a"]
    files["c.py"] = "from pkg.b import name\n"
    cycles = cycles_in(_package(tmp_path / "2", files), "pkg")
    assert [c.splitlines()[0] for c in cycles] == ["pkg.b → pkg.c → pkg.b"]


def test_a_package_re_exporting_its_submodules_and_type_only_imports_are_no_cycle(tmp_path):
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "w/__init__.py": "from pkg.w.layout import write\n",
            "w/layout.py": "from pkg.w.draw import draw\n\ndef write():\n    pass\n",
            "w/draw.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.w.layout import write\n\n"
                "def draw():\n    pass\n"
            ),
        },
    )
    assert cycles_in(root, "pkg") == []
