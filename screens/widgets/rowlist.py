"""A screen's list of records in a DataTable, its columns refitted when the terminal resizes.

    class IncidentsScreen(RowList, HallWork, Screen[None]):
        fill = staticmethod(fill_table)      # (table, ids, cells, keep): sizes and fills
        ...
        self.rows = rows                     # each with an ``id``
        self._cells = list_cells(rows)       # uncut cells, one tuple per row
        self._fill_table(keep=old_id)

The incident and case screens size their columns themselves (Chinese text takes two cells a
character, and what does not fit is cut with … from the widest columns first), so a resize
must fill the table again once the new width is known, keeping the cursor on the same record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import DataTable

__all__ = ["RowList"]

Cells = tuple[str | Text, ...]


class RowList:
    """Mixin for a Screen with one DataTable listing ``rows`` (records with an ``id``)."""

    fill: ClassVar[Callable[[DataTable, Sequence[int], Sequence[Cells], int | None], None]]
    rows: Sequence[Any]
    _cells: list[Cells]
    _filled_width: int = 0

    def _fill_table(self, keep: int | None) -> None:
        """Fill the table from ``_cells``, the cursor on record ``keep`` when listed."""
        table = self.query_one(DataTable)  # type: ignore[attr-defined]
        type(self).fill(table, [r.id for r in self.rows], self._cells, keep)
        self._filled_width = table.size.width

    def on_resize(self) -> None:
        # The table's width changes with the terminal (and the side-by-side layout from 120
        # columns): size the columns again once the new layout is known.
        self.call_after_refresh(self._refit)  # type: ignore[attr-defined]

    def _refit(self) -> None:
        table = self.query_one(DataTable)  # type: ignore[attr-defined]
        if self._cells and table.size.width != self._filled_width:
            self._fill_table(self._highlighted_id())

    def _highlighted_id(self) -> int | None:
        """The id of the record under the cursor, or None."""
        table = self.query_one(DataTable)  # type: ignore[attr-defined]
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return int(self.rows[table.cursor_row].id)
