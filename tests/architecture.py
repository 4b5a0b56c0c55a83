"""Reads the project's imports from its source (an AST walk, no module is imported) so the tests
in test_architecture.py can hold the floors of docs/architecture.md and the size rule.

Every import counts, including those inside functions: a function-level import hides a
circle, it does not remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "unionportal",
    "members",
    "welfare",
    "congress",
    "competitions",
    "rights",
    "assessment",
    "selfservice",
)

# The floors, lowest first (docs/architecture.md "Floors"). A unit may import its own modules
# and those of lower floors; units on one floor do not import each other.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("unionportal.core",),
    ("members",),
    ("welfare", "congress", "competitions", "rights"),
    # 六有六好 reads the domain apps' figures for its computed items.
    # online joining and member self-service: a member's requests go into the domain apps
    ("assessment", "selfservice"),
    ("unionportal.reporting",),
    ("unionportal", "unionportal.bench", "unionportal.demo"),
)


def floor_of(unit: str) -> int:
    for level, units in enumerate(FLOORS):
        if unit in units:
            return level
    raise KeyError(unit)


def unit_of(module: str) -> str:
    """The floor unit a module belongs to: the longest unit name that prefixes it."""
    units = sorted((u for floor in FLOORS for u in floor), key=len, reverse=True)
    for unit in units:
        if module == unit or module.startswith(unit + "."):
            return unit
    raise KeyError(module)


def project_modules(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Dotted name -> file, for the project's code (migrations and tests aside)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root)
            if "migrations" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported_names(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                # `from pkg import submodule` imports the submodule, `from mod import x` mod
                candidate = f"{source}.{alias.name}"
                names.add(candidate if candidate in modules else source)
    return names


def import_graph(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, set[str]]:
    """Module -> the project modules it imports (anywhere in the file)."""
    modules = project_modules(root, packages)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in _imported_names(module, path, modules):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


@dataclass(frozen=True)
class LayerBreach:
    importer: str
    imported: str

    def __str__(self) -> str:
        return (
            f"{self.importer} ({unit_of(self.importer)}, floor {floor_of(unit_of(self.importer))})"
            f" imports {self.imported} ({unit_of(self.imported)},"
            f" floor {floor_of(unit_of(self.imported))})"
        )


def layer_breaches(graph: dict[str, set[str]]) -> list[LayerBreach]:
    """Imports of a unit on the same or a higher floor than the importer's own unit."""
    breaches = []
    for importer, targets in sorted(graph.items()):
        source = unit_of(importer)
        for imported in sorted(targets):
            target = unit_of(imported)
            if target != source and floor_of(target) >= floor_of(source):
                breaches.append(LayerBreach(importer, imported))
    return breaches


def long_modules(root: Path = ROOT, limit: int = 600, tests_limit: int = 800) -> list[str]:
    """Project modules over `limit` lines (migrations aside) and test modules over
    `tests_limit`, as "path (lines)"."""
    too_long = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] not in (*PACKAGES, "tests") or "migrations" in rel.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > (tests_limit if rel.parts[0] == "tests" else limit):
            too_long.append(f"{rel} ({lines})")
    return too_long
