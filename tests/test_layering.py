"""Each stage of the pipeline imports only earlier stages (shared/DESIGN.md §1, §7)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "checker"

# module prefix -> rank; the longest matching prefix wins.
RANKS = {
    "checker.errors": 0,
    "checker.values": 0,
    "checker.model": 1,
    "checker.symmetry": 1,
    "checker.examples": 1,
    "checker.tla": 2,
    "checker.tla.compile": 3,
    "checker.tla.model": 3,
    "checker.tla.temporal": 3,
    "checker.tla.stdlib": 2,
    "checker.tla.classes": 3,
    "checker.tla.loader": 3,
    "checker.engine": 4,
    "checker.views": 5,
    "checker.prove": 6,
    "checker.cli": 7,
    "checker.__main__": 7,
}


def rank(module: str) -> int | None:
    best = None
    for prefix, r in RANKS.items():
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, r)
    return None if best is None else best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return [(m, line) for m, line in found if m.startswith("checker.")]


def test_every_module_imports_only_earlier_stages() -> None:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        name = module_name(path)
        if name == "checker":
            continue  # the package's public face re-exports everything
        own = rank(name)
        assert own is not None, f"{name} has no rank in tests/test_layering.py"
        for target, line in imported_modules(path):
            other = rank(target)
            if other is not None and other > own:
                problems.append(
                    f"{path.relative_to(ROOT.parent)}:{line}: {name} (rank {own}) imports {target} (rank {other})"
                )
    assert not problems, "\n".join(problems)


def test_only_the_prover_imports_z3_and_only_views_import_graphviz() -> None:
    for path in sorted(ROOT.rglob("*.py")):
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            for m in mods:
                if m.split(".")[0] == "z3":
                    assert name.startswith("checker.prove"), f"{name} imports z3"
                if m.split(".")[0] == "graphviz":
                    assert name.startswith("checker.views"), f"{name} imports graphviz"


def _import_graph() -> dict[str, set[str]]:
    """Module -> the checker modules it imports anywhere (top level, functions, TYPE_CHECKING);
    ``from checker.x import y`` counts y when y is a module."""
    names = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module in names:
                    found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in names}
        graph[name] = found - {name, "checker"}  # the package's face re-exports; not a stage
    return graph


def test_no_import_cycle_in_checker() -> None:
    graph = _import_graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_every_module_imports_a_checker_module_under_its_own_name() -> None:
    """One name for one module everywhere (the syntax module was once `s`, `ast` and `t`)."""
    aliased = []
    for path in sorted([*ROOT.rglob("*.py"), *(ROOT.parent / "tests").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "checker.tla":
                aliased += [
                    f"{path.relative_to(ROOT.parent)}:{node.lineno}: {a.name} as {a.asname}"
                    for a in node.names
                    if a.name == "syntax" and a.asname not in (None, "syntax")
                ]
    assert not aliased, "import checker.tla.syntax as `syntax`:\n" + "\n".join(aliased)
