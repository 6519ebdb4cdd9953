"""The package's layer order, checked: no import circle, no stage importing a later one.

    python -m scripts.check_layers [PACKAGE_DIR]      (run by `make lint`)

Every import counts, at module level or inside a function, under TYPE_CHECKING or not. A module
belongs to the unit named by its first part below the package (`pipeline/ocr/page.py` → `ocr`;
`pipeline/process.py` → `process`); a unit may import its own modules and those of the units
before it in LAYERS, never one after it. Files may not import each other in a circle, even
within a unit. The package top holds at most MAX_TOP_MODULES modules.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

PACKAGE = "pipeline"
LAYERS = (
    "core",  # the typed model, text and number helpers, file identity, config
    "knowledge",  # formats, labels, phrasings as data files
    "layout",  # glyphs and rules → lines, grids, pages, joins
    "ocr",  # engines, raster, rules in images, cell readings
    "extract",  # readers: a file → pages → Document
    "outline",  # Document → outline and the report's own fields
    "facts",  # tables and sentences → facts, checks, format
    "offices",  # office names → office identity: level, area, region code, parent
    "process",  # the per-file orchestrator
    "store",  # schemas, part files, journal, reading a dataset back
    "run",  # the archive runner
    "views",  # run report, review page, terminal view
    "api",  # the Python API
    "cli",  # the command line
    "__main__",
    "__init__",
)
MAX_TOP_MODULES = 8


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path, module: str, modules: set[str]) -> set[str]:
    """Every package module `path` imports, wherever the import statement stands."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for name in names:
            # `from a.b import c`: the module a.b.c if there is one, else a.b
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def graph_of(root: Path) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    modules = set(files)
    return {m: imports_of(p, m, modules) for m, p in files.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    rank = {unit: i for i, unit in enumerate(LAYERS)}
    problems = []
    for module, targets in sorted(graph.items()):
        unit = unit_of(module)
        if unit not in rank:
            problems.append(f"{module}: unit {unit!r} is not in the layer order (scripts/check_layers.py)")
            continue
        for target in sorted(targets):
            other = unit_of(target)
            if other != unit and rank.get(other, len(LAYERS)) > rank[unit]:
                problems.append(f"{module} imports {target}: {unit} comes before {other} in the layer order")
    return problems


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(iter(children), None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def check(root: Path) -> list[str]:
    graph = graph_of(root)
    problems = upward_imports(graph)
    problems += [f"import circle: {' → '.join(c)}" for c in circles(graph)]
    top = sorted(p.name for p in root.glob("*.py"))
    if len(top) > MAX_TOP_MODULES:
        problems.append(
            f"{len(top)} modules at the package top (at most {MAX_TOP_MODULES}): {', '.join(top)}"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1] / PACKAGE
    problems = check(root)
    for problem in problems:
        print(problem)
    if not problems:
        graph = graph_of(root)
        print(f"layers ok: {len(graph)} modules, {sum(len(t) for t in graph.values())} imports, no circle")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
