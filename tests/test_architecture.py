"""The layers of the package: click and printing only in the command layer,
no import cycle, no module over 400 lines.

Library modules return objects or text; only the command layer (``cli.py``
and the package ``commands/``) parses options (click), writes to standard
output or standard error, prints, or draws on the terminal (rich).  Library
code does not import the command layer either, so that it cannot print
through it.  The check reads every module's syntax tree, so it holds for code
paths no other test runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from conftest import REPO

PACKAGE = REPO / "cli" / "osce_kg"

# The command layer as modules (what library code may not import).
COMMAND_MODULES = ("osce_kg.cli", "osce_kg.commands")
MAX_LINES = 400


def _command_layer(relative: str) -> bool:
    return relative == "cli.py" or relative.startswith("commands/")


def _library_modules() -> list[str]:
    found = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
    return [name for name in found if not _command_layer(name)]


def _module_of(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["osce_kg", *parts])


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The absolute names an import statement brings in."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level == 0:
        base = node.module or ""
    else:
        # A relative import is relative to the module's package.
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join(anchor + ([node.module] if node.module else []))
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names)


def _violations(relative: str, source: str) -> list[str]:
    """What module ``relative`` (a path under cli/osce_kg) does that only the
    command layer may, in the order of its lines."""
    tree = ast.parse(source, filename=relative)
    module = _module_of(relative)
    is_package = relative.endswith("__init__.py")
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = list(_imported(node, module, is_package))
            found += [(line, f"imports {top}") for top in sorted(_terminal_packages(names))]
            layer = [name for name in names if _in_command_layer(name)]
            if layer:
                found.append((line, f"imports the command layer ({layer[0]})"))
            found += [(line, f"imports {n}") for n in names if n in ("sys.stdout", "sys.stderr")]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
            and node.attr in ("stdout", "stderr")
        ):
            found.append((line, f"uses sys.{node.attr}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        ):
            found.append((line, "calls print"))
    return [f"{relative}:{line}: {what}" for line, what in sorted(found)]


def _terminal_packages(names: list[str]) -> set[str]:
    # click parses options and echoes; rich draws on the terminal.
    return {name.split(".")[0] for name in names} & {"click", "rich"}


def _in_command_layer(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in COMMAND_MODULES)


@pytest.mark.parametrize("relative", _library_modules())
def test_library_module_neither_parses_options_nor_prints(relative: str) -> None:
    found = _violations(relative, (PACKAGE / relative).read_text(encoding="utf-8"))
    assert not found, "only cli.py and commands/ may do this:\n" + "\n".join(found)


def test_the_check_sees_what_it_forbids() -> None:
    """A module doing each forbidden thing once is reported once per thing."""
    source = (
        "import sys\n"
        "import click\n"
        "from rich.console import Console\n"
        "from ..commands.options import emit\n"
        "from sys import stderr\n"
        "sys.stdout.write('x')\n"
        "print('x')\n"
    )
    assert [line.split(": ", 1)[1] for line in _violations("pkg/bad.py", source)] == [
        "imports click",
        "imports rich",
        "imports the command layer (osce_kg.commands.options)",
        "imports sys.stderr",
        "uses sys.stdout",
        "calls print",
    ]
    assert _violations("commands/fine.py", "from ..rows import render_rows\n") == []


def _import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, at any depth of its code (an
    import inside a function is an import too: it runs the other module).

    A module's own ancestor packages are left out: Python imports them before
    the module in every case, so ``from . import namespaces`` adds no edge that
    could close a cycle (the package's ``__getattr__`` loading ``osce_kg.api``
    on first use would otherwise close one with every module)."""
    files = {
        _module_of(p.relative_to(PACKAGE).as_posix()): p for p in sorted(PACKAGE.rglob("*.py"))
    }
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {
            name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for name in _imported(node, module, is_package)
            if name in files and name != module and not module.startswith(name + ".")
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others
    (strongly connected components of more than one module)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert cycles(_import_graph()) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert "osce_kg.validation.run" in _import_graph()["osce_kg.validation"]


def test_no_module_over_400_lines() -> None:
    sizes = {
        p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
