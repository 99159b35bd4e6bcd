"""What is wrong with a configuration file: :class:`ConfigProblem` and :class:`ConfigError`.

Here, apart from the loader, so a command can catch a configuration error without importing
pydantic (``hall status`` reads its settings from the compiled copy, :mod:`config.lookup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ConfigError", "ConfigProblem", "KeyPath"]

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a configuration file."""

    source: str
    line: int
    path: KeyPath
    message: str
    suggestion: str | None = None

    @property
    def dotted(self) -> str:
        """The key path as written in messages: ``departments[2].prefix``."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or "(根)"

    def __str__(self) -> str:
        text = f"{self.source}:{self.line}: {self.dotted}: {self.message}"
        if self.suggestion:
            text += f"（是否想写“{self.suggestion}”？）"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The problem as plain data (for ``--json``)."""
        return {"file": self.source, "line": self.line, "path": self.dotted,
                "message": self.message, "suggestion": self.suggestion}


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` says why, each with its place."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(["配置文件有误：", *(f"  {p}" for p in problems)]))
