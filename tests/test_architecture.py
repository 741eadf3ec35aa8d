"""The code's shape: modules import each other one way (no cycles), at the top, and the views
stay small enough to read in one sitting."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "articles"
# Django's own lazy pattern: an AppConfig imports its signal wiring in ready().
LAZY_ALLOWED = {"apps.py"}
VIEW_MODULE_LINES = 320


def modules():
    for path in sorted(APP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def module_name(path):
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(importer, node):
    """The articles modules ``node`` (an ImportFrom) brings in, as dotted names."""
    package = importer if importer.endswith("__init__") else importer.rsplit(".", 1)[0]
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    if not target.startswith("articles"):
        return []
    names = [f"{target}.{alias.name}" for alias in node.names]
    return [target, *names]


def test_no_import_inside_a_function():
    nested = []
    for path, tree in modules():
        if path.name in LAZY_ALLOWED:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        nested.append(f"{path.relative_to(APP)}:{inner.lineno}")
    assert nested == []


def test_the_app_modules_import_each_other_without_cycles():
    names = {module_name(path): path for path, _tree in modules()}
    graph = {}
    for path, tree in modules():
        importer = module_name(path)
        if path.name == "__init__.py":
            importer += ".__init__"
        edges = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                edges |= {name for name in resolve(importer, node) if name in names}
        graph[module_name(path)] = edges - {module_name(path)}

    cycles = []
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize("path", sorted((APP / "views").glob("*.py")), ids=lambda p: p.name)
def test_each_views_module_reads_in_one_sitting(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= VIEW_MODULE_LINES
