"""What the statistics hand to the screen, the CLI and the files: frozen tables.

One :class:`Figures` is every number of a period, computed once (:mod:`hall.stats.figures`) and
shown the same everywhere: the screen draws its tables and charts, ``hall stats`` prints it or
its JSON, the workbook has one sheet per :class:`Table` (with a native chart where the table
says how to draw one), the CSV directory one file per table, the monthly report its pages.

A table's cells are plain values: ``str``, ``int``, ``float`` (minutes, rates: rounded to one
decimal by the producer) or ``None`` (no value: a median of no waits). Keys are ASCII
(``visits_by_day``): they name the CSV files and the JSON; titles and column names are what the
hall reads (「每日来访」).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hall.stats.period import Period

__all__ = ["Cell", "Chart", "Figures", "Filters", "Headline", "Table"]

Cell = str | int | float | None


@dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to (codes; "" for all): the department a visit was routed
    to, its category, the visitor's district (属地)."""

    department: str = ""
    category: str = ""
    district: str = ""

    def as_dict(self) -> dict[str, str]:
        """The filters as JSON (empty ones left out)."""
        return {k: v for k, v in (("department", self.department),
                                  ("category", self.category),
                                  ("district", self.district)) if v}


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: ``kind`` ``bar`` or ``line``; the x axis is column ``x``, the
    series are columns ``series`` (numbers); ``stacked`` bars add up."""

    kind: str = "bar"
    x: int = 0
    series: tuple[int, ...] = (1,)
    stacked: bool = False


@dataclass(frozen=True)
class Table:
    """One table of figures: ``key`` (ASCII, names its CSV and sheet), ``title`` (Chinese),
    ``columns`` and ``rows``; ``chart`` when it is drawn; ``note`` says what it counts."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Chart | None = None
    note: str = ""

    def column(self, name: str) -> list[Cell]:
        """The values of column ``name``, top to bottom."""
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def row(self, first: Cell) -> tuple[Cell, ...] | None:
        """The row whose first cell is ``first`` (a department's name, a day), or None."""
        return next((r for r in self.rows if r and r[0] == first), None)

    def as_dict(self) -> dict[str, Any]:
        """The table as JSON: title, columns, rows (lists), note."""
        return {"title": self.title, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows], "note": self.note}


@dataclass(frozen=True)
class Headline:
    """One headline figure (来访人次 1,234): ``key`` (ASCII), ``label``, ``value``, ``unit``."""

    key: str
    label: str
    value: Cell
    unit: str = ""


@dataclass(frozen=True)
class Figures:
    """Every figure of ``period`` under ``filters``, as computed at ``generated_at`` (the hall's
    local time) for ``generated_by``."""

    period: Period
    filters: Filters
    generated_at: datetime
    generated_by: str
    headlines: tuple[Headline, ...] = ()
    tables: tuple[Table, ...] = field(default_factory=tuple)

    def table(self, key: str) -> Table:
        """The table ``key``; KeyError when there is none."""
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def value(self, key: str) -> Cell:
        """The headline figure ``key``; KeyError when there is none."""
        for h in self.headlines:
            if h.key == key:
                return h.value
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        """Everything as JSON (``hall stats --json``): period, filters, when, headlines by key,
        tables by key."""
        return {"period": self.period.as_dict(), "filters": self.filters.as_dict(),
                "generated_at": self.generated_at.isoformat(timespec="seconds"),
                "generated_by": self.generated_by,
                "headlines": {h.key: {"label": h.label, "value": h.value, "unit": h.unit}
                              for h in self.headlines},
                "tables": {t.key: t.as_dict() for t in self.tables}}


def rounded(value: float | None, places: int = 1) -> float | None:
    """A figure as shown: rounded to ``places`` decimals; None stays None."""
    return None if value is None else round(value, places)


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage to one decimal; None when ``whole`` is 0."""
    return None if not whole else round(100.0 * part / whole, 1)


def nearest_rank(histogram: Sequence[tuple[int, int]], q: float) -> int | None:
    """The ``q``-quantile (0 < q ≤ 1) by nearest rank of values given as ``(value, count)``
    pairs in any order: the smallest value with at least ``q`` of all counts at or below it.
    None when there are no values. (The median of 1, 2, 3, 4 is 2; its 90th percentile 4.)"""
    import math

    pairs = sorted((v, c) for v, c in histogram if c > 0)
    total = sum(c for _, c in pairs)
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= rank:
            return value
    return pairs[-1][0]
