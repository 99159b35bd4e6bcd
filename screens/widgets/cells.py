"""Terminal-cell arithmetic for Chinese text: a Chinese character takes two cells."""

from __future__ import annotations

from rich.cells import cell_len


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (ending in …) and padded to exactly ``width``."""
    if cell_len(text) > width:
        while text and cell_len(text) + 1 > width:
            text = text[:-1]
        text += "…"
    return text + " " * max(0, width - cell_len(text))
