"""How the statistics screen writes figures: the headline figures packed into lines, a table's
cells.

    packed([Text("来访人次 76"), ...], width=78, most=2)   # lines of whole items, the rest left out
    cell(1234) → "1,234" right-aligned; cell(None) → a dim —
"""

from __future__ import annotations

from rich.text import Text

__all__ = ["cell", "packed"]


def packed(items: list[Text], width: int, most: int) -> list[Text]:
    """``items`` in lines of at most ``width`` cells, none broken, at most ``most`` lines: those
    that do not fit are left out (the tables and the exports hold them all)."""
    lines: list[Text] = []
    line = Text()
    for item in items:
        if line and line.cell_len + 2 + item.cell_len > width:
            lines.append(line)
            line = Text()
            if len(lines) == most:
                return lines
        if line:
            line.append("　")
        line.append_text(item)
    if line:
        lines.append(line)
    return lines


def cell(value: object) -> Text | str:
    """A table cell as shown: numbers right-aligned with thousands marks, empty as —."""
    if value is None:
        return Text("—", justify="right", style="dim")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Text(f"{value:,}", justify="right")
    if isinstance(value, float):
        return Text(f"{value:,.1f}", justify="right")
    return str(value)
