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


def cut(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in … when cut (no padding)."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) + 1 > width:
        text = text[:-1]
    return text + "…"


def share_widths(natural: list[int], minimum: list[int], available: int) -> list[int]:
    """Column widths that fit ``available`` cells: each column its natural width while they
    fit; otherwise the widest columns give up cells first (never below their ``minimum``), so
    a long column is cut before a short one loses anything. Columns whose minimum equals their
    natural width are fixed."""
    widths = list(natural)
    for _ in range(sum(widths) - available):  # one cell at a time: a few dozen at most
        shrinkable = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not shrinkable:
            break  # the fixed columns alone overflow: the table scrolls
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    return widths
