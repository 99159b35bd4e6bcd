"""Every configuration field carries a docstring: it is the reference for whoever edits hall.yaml.

pydantic is not asked to read them at run time (that costs every start 50 ms), so this test reads
the source instead: in every pydantic model of config/, each annotated field is followed by a
string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "config"


def _undocumented(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and _is_model(n)):
        body = cls.body
        for i, node in enumerate(body):
            if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
                continue
            name = node.target.id
            if name.startswith("_") or name == "model_config":
                continue
            after = body[i + 1] if i + 1 < len(body) else None
            if not (isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str) and after.value.value.strip()):
                missing.append(f"{path.name}:{node.lineno} {cls.name}.{name}")
    return missing


def _is_model(cls: ast.ClassDef) -> bool:
    """A pydantic model of the configuration (based on ``ConfigModel`` or ``BaseModel``)."""
    names = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases}
    return bool(names & {"ConfigModel", "BaseModel"})


@pytest.mark.parametrize("path", sorted(CONFIG.glob("*.py")), ids=lambda p: p.name)
def test_every_field_has_a_docstring(path: Path) -> None:
    assert _undocumented(path) == []


def test_the_check_finds_a_missing_docstring(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("class A(ConfigModel):\n    a: int = 1\n    '''doc'''\n    b: int = 2\n"
                      "    c: int\n", encoding="utf-8")
    assert _undocumented(source) == ["x.py:4 A.b", "x.py:5 A.c"]
