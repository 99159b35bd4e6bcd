"""The shape issue 8 set, kept by the suite: small modules, SQL text only in models/, no screen
touching the database handle, nothing importing main.py.

These read the source, not the running program: each rule is a grep a reviewer would otherwise run
by hand before every merge.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hall", "models", "config", "screens", "cli", "web")
LIMIT = 400


def _sources(*packages: str) -> list[Path]:
    files = [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]
    return files + ([ROOT / "main.py"] if "main" in packages else [])


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _sources(*PACKAGES, "main"), ids=_rel)
def test_no_module_passes_the_line_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{_rel(path)} has {lines} lines (limit {LIMIT}): split it by purpose"


_SQL_TEXT = re.compile(r"\bexecute_sql\(|\bSQL\(|\.sql\(\)")


def test_sql_text_lives_only_in_models() -> None:
    found = [f"{_rel(p)}:{n}" for p in _sources("hall", "screens", "cli", "config", "main")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if _SQL_TEXT.search(line.split("#", 1)[0])]
    assert not found, f"SQL text outside models/: {found}"


def test_no_screen_touches_the_database_handle() -> None:
    found = [f"{_rel(p)}:{n}" for p in _sources("screens")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.db\b(?!_)", line.split("#", 1)[0])]
    assert not found, f"screens reach the database handle: {found}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_nothing_imports_main() -> None:
    found = [_rel(p) for p in _sources(*PACKAGES) if "main" in _imports(p)]
    assert not found, f"main.py is the entry point only; imported by {found}"


def test_the_rules_above_would_notice(tmp_path: Path) -> None:
    """The checks are not vacuous: a planted breach of each is caught by the same expressions."""
    assert _SQL_TEXT.search('db.execute_sql("SELECT 1")')
    assert re.search(r"\.db\b(?!_)", "with self.hall.db.connection_context():")
    planted = tmp_path / "m.py"
    planted.write_text("import main\nfrom main import make_app\n", encoding="utf-8")
    assert "main" in _imports(planted)
    assert len(_sources(*PACKAGES)) > 50
