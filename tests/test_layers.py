"""The layers hold: the import-linter contracts in pyproject.toml, nothing importing main.py, and no
import cycle between the project's modules.

The contracts are read from pyproject.toml and checked by import-linter in one run (it reads the
import graph, TYPE_CHECKING imports included); each contract is its own test, so a breach names
the rule it broke. A contract listed in :data:`PENDING` is skipped with its reason: the place to
park a rule that a helper's unfinished move still breaks, and to enable it again by deleting the
line. The runtime import test (tests/test_imports.py) proves the same for what actually loads.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hall", "models", "config", "screens", "cli", "web")

CONTRACTS = {c["id"]: c["name"] for c in
             tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
             ["tool"]["importlinter"]["contracts"]}

PENDING: dict[str, str] = {
    # "screens-not-models": "the screens' move to the facade is not merged yet",
}
"""Contracts not enforced yet, with the reason; empty when every rule holds."""


@pytest.fixture(scope="module")
def report() -> str:
    """import-linter's report over every enforced contract (one graph, one run)."""
    pytest.importorskip("importlinter")
    enforced = [cid for cid in CONTRACTS if cid not in PENDING]
    limit = [arg for cid in enforced for arg in ("--contract", cid)]
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
         "--config", "pyproject.toml", "--no-cache", "--no-logo", *limit],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200"})
    assert "Contracts:" in done.stdout, done.stdout + done.stderr
    return done.stdout


def test_the_contracts_are_there() -> None:
    assert {"core-no-ui", "models-below-hall", "config-alone", "cli-no-ui",
            "screens-not-models"} <= set(CONTRACTS)


@pytest.mark.parametrize("contract", sorted(CONTRACTS))
def test_contract_is_kept(contract: str, report: str) -> None:
    if contract in PENDING:
        pytest.skip(f"pending: {PENDING[contract]}")
    name = CONTRACTS[contract]
    assert re.search(re.escape(name) + r"\s*KEPT", report), report


# -- main.py is the entry point only --------------------------------------------------------------


def _modules() -> dict[str, Path]:
    """Every project module by dotted name (packages by their own name), main.py included."""
    found = {"main": ROOT / "main.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(name: str, path: Path, *, lazy: bool) -> set[str]:
    """The project modules ``name`` imports: when it is imported (module level, TYPE_CHECKING
    blocks left out), or also inside functions with ``lazy``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()

    def visit(nodes: list[Any]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not lazy:
                continue  # runs when called, not when the module is imported
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit(children)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 2)}
    found: set[str] = set()
    for target in targets:
        parts = target.split(".")
        # Importing a.b.c runs a, a.b and a.b.c; a module's own packages are already running.
        for i in range(1, len(parts) + 1):
            module = ".".join(parts[:i])
            if module in MODULES and module not in own:
                found.add(module)
    return found


def test_no_project_module_imports_main() -> None:
    importers = [name for name, path in MODULES.items()
                 if name != "main" and "main" in _imported(name, path, lazy=True)]
    assert importers == [], f"main.py is the entry point only; imported by {importers}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
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


def test_no_import_cycle_at_import_time() -> None:
    graph = {name: _imported(name, path, lazy=False) for name, path in MODULES.items()}
    assert _cycles(graph) == []


def test_the_command_line_has_no_cycle_even_through_lazy_imports() -> None:
    cli = {name: path for name, path in MODULES.items() if name == "main" or name[:4] == "cli."
           or name == "cli"}
    graph = {name: _imported(name, path, lazy=True) & set(cli) for name, path in cli.items()}
    assert _cycles(graph) == []


def test_the_cycle_check_would_notice() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
