"""The statistics screen's charts: which table each draws, and how, with plotext.

    chart = CHARTS[0]                       # 每日来访
    chart.draw(plot.plt, figures.table(chart.key))
    plot.refresh()

Plotext counts every character as one terminal cell, so a Chinese title or axis label (two cells
per character) pushes the frame out of line and wraps its last tick label onto the next line
(seen at 80x24). The charts therefore hold no Chinese: days are ``11-01``, hours ``09``, and a
bar of a named thing (a department, an outcome) is numbered ``1`` … ``n`` in the order of the
table beside it, whose rows carry the same numbers. The Chinese title and the colours' legend
are a label above the plot (:class:`ChartHeading`, :meth:`ChartSpec.heading`), fitted to its
width: at 80 columns a long title gives way to its short form, then the 「序号见右表」 hint goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual.widgets import Label
from textual_plotext import PlotextPlot

from hall.stats.views import Cell, Table

__all__ = ["CHARTS", "ChartHeading", "ChartPlot", "ChartSpec"]

COLOURS = ("cyan", "red", "green", "orange")
"""The series' colours in plotext, in series order; the legend uses the same names."""

_LEGEND_STYLES = {"cyan": "cyan", "red": "red", "green": "green", "orange": "dark_orange"}


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the screen: the table ``key`` it draws, its Chinese ``title``, the columns
    plotted (``series``), ``kind`` (``line``, ``bar``, ``stacked``) and how the x axis is labelled
    (``x``: ``day`` ``11-01``, ``hour`` ``09``, ``number`` 1 … n); ``short``: the title where
    the full one does not fit (80 columns)."""

    key: str
    title: str
    series: tuple[str, ...]
    kind: str = "bar"
    x: str = "number"
    colours: tuple[str, ...] = ("cyan",)
    short: str = ""

    @property
    def numbered(self) -> bool:
        """Whether the bars are numbered (the table's rows carry the numbers)."""
        return self.x == "number"

    def columns(self, table: Table) -> list[int]:
        """The table's columns in the order shown beside the chart: its label column, the
        plotted ones, then the rest."""
        plotted = [table.columns.index(name) for name in self.series if name in table.columns]
        rest = [i for i in range(1, len(table.columns)) if i not in plotted]
        return [0, *plotted, *rest]

    def heading(self, position: int, count: int, width: int = 0) -> Text:
        """The label above the plot: the title, what is plotted in which colour, a hint that
        the bars' numbers are the table's rows, and where this chart stands among the others
        (「2/6」). Within ``width`` cells (0: no limit): the first that fits of the full title
        with the hint, the short title with it, then each without the hint; cut with 「…」 only
        when even that does not fit."""
        legend = Text()
        if len(self.series) > 1 or self.kind == "stacked":
            for name, colour in zip(self.series, self.colours, strict=False):
                legend.append("■ ", style=_LEGEND_STYLES.get(colour, colour))
                legend.append(name)
                legend.append("　")
            legend.right_crop(1)
        hints = ("序号见右表", "") if self.numbered else ("",)
        text = Text()
        for hint in hints:
            for title in dict.fromkeys((self.title, self.short or self.title)):
                text = Text("　").join(part for part in (
                    Text(title, "bold"), legend, Text(hint, "dim"),
                    Text(f"{position}/{count}", "dim")) if part)
                if not width or cell_len(text.plain) <= width:
                    return text
        text.truncate(width, overflow="ellipsis")
        return text

    def draw(self, plt: Any, table: Table, until: str = "", width: int = 0) -> bool:
        """Draw ``table`` on the plotext figure ``plt`` (cleared first); False when there is
        nothing to draw (no rows, or every value empty), and then the figure stays empty.

        ``until``: the last day drawn (ISO) of a chart by day, so this month's line stops
        today rather than falling to nought over the days to come. ``width``: the plot's
        columns, so the days named along the axis do not crowd (plotext drops a label that
        overlaps its neighbour)."""
        plt.clear_figure()
        rows = table.rows
        if self.x == "day" and until:
            rows = tuple(r for r in rows if str(r[0]) <= until)
        values = [[_number(r[table.columns.index(name)]) for r in rows] for name in self.series
                  if name in table.columns]
        if not rows or not values or not any(v for s in values for v in s):
            return False
        labels = self.labels(rows)
        xs = list(range(1, len(labels) + 1))
        if self.kind == "line":
            plt.plot(xs, values[0], marker="braille", color=self.colours[0])
            ticks = _thinned(xs, max(2, (width - 6) // 8) if width else 8)
            plt.xticks(ticks, [labels[i - 1] for i in ticks])
            pad = max(0.5, len(xs) / 15)  # room for the first and last day's label
            plt.xlim(1 - pad, len(xs) + pad)
        elif self.kind == "stacked":
            plt.stacked_bar(labels, values, color=list(self.colours[:len(values)]), width=0.6)
        else:
            plt.bar(labels, values[0], color=self.colours[0], width=0.6)
        if self.kind != "line" and len(labels) > 24:  # an hour every other, a long list thinned
            ticks = _thinned(xs, 12)
            plt.xticks(ticks, [labels[i - 1] for i in ticks])
        top = max(sum(col) for col in zip(*values, strict=True)) if self.kind == "stacked" \
            else max(max(s) for s in values)
        ticks = _steps(top, whole=all(float(v).is_integer() for s in values for v in s))
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, [f"{t:g}" for t in ticks])
        return True

    def labels(self, rows: tuple[tuple[Cell, ...], ...]) -> list[str]:
        """The x axis's ASCII labels, one per row."""
        firsts = [str(row[0]) for row in rows]
        if self.x == "day":  # 2026-11-01 -> 11-01
            return [f[5:] if len(f) == 10 else f for f in firsts]
        if self.x == "hour":  # 09时 -> 09
            return ["".join(ch for ch in f if ch.isascii()) or f for f in firsts]
        return [str(i) for i in range(1, len(firsts) + 1)]


class ChartHeading(Label):
    """The label above the plot (:meth:`ChartSpec.heading`), fitted to its own width each time
    it is rendered (a resized terminal gets the form that fits)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple[ChartSpec, int, int] | None = None

    def show(self, spec: ChartSpec | None, position: int = 0, count: int = 0) -> None:
        """Head ``spec``'s chart, ``position`` of ``count``; None: nothing."""
        self.shown = (spec, position, count) if spec is not None else None
        self.refresh()

    def render(self) -> RenderableType:
        if self.shown is None:
            return ""
        spec, position, count = self.shown
        return spec.heading(position, count, self.content_size.width)


class ChartPlot(PlotextPlot):
    """The plot of one chart, drawn again at its own size each time it is rendered (the axis's
    labels depend on the width; a resized terminal gets them right)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple[ChartSpec, Table, str] | None = None

    def show(self, spec: ChartSpec, table: Table, until: str = "") -> bool:
        """Draw ``spec``'s chart of ``table``; False when there is nothing to draw."""
        self.shown = (spec, table, until)
        drawn = spec.draw(self.plt, table, until, self.size.width)
        self.refresh()
        return drawn

    def render(self) -> RenderableType:
        if self.shown is not None:
            spec, table, until = self.shown
            spec.draw(self.plt, table, until, self.size.width)
        return super().render()


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("visits_by_day", "每日来访人次", ("来访人次",), "line", "day"),
    ChartSpec("visits_by_hour", "来访时段分布（人次）", ("来访人次",), "bar", "hour"),
    ChartSpec("queues_by_department", "各部门等候时间中位数（分钟）", ("等候中位（分）",),
              short="等候中位数（分钟）"),
    ChartSpec("outcomes", "办理方式（人次）", ("人次",)),
    ChartSpec("cases_timeliness", "案件按时与超时（件）", ("按时", "超时"), "stacked",
              colours=("green", "red"), short="案件时效（件）"),
    ChartSpec("satisfaction", "回访满意度（件）", ("件数",)),
)
"""The charts in the order keys 1–6 and ←/→ reach them."""


def _number(value: Cell) -> float:
    """A cell as a plotted number (an empty median is 0)."""
    return float(value) if isinstance(value, (int, float)) else 0.0


def _steps(top: float, whole: bool = True) -> list[float]:
    """The y axis's ticks from 0 to ``top`` or just past it: at most six, a round step (1, 2
    or 5 times a power of ten; at least 1 when the values are ``whole`` counts, finer for
    minutes under 5)."""
    step = 1.0 if whole or top >= 5 else 10.0 ** math.floor(math.log10(max(top, 0.1))) / 10
    while top / step > 5:
        for factor in (2, 2.5, 2):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step *= factor
            if top / step <= 5:
                break
    count = max(1, math.ceil(round(top / step, 9)))
    return [round(i * step, 6) for i in range(count + 1)]


def _thinned(xs: list[int], most: int) -> list[int]:
    """At most about ``most`` of ``xs``, evenly spread, the first and last kept."""
    if len(xs) <= most:
        return xs
    step = -(-len(xs) // most)
    picked = xs[::step]
    if picked[-1] != xs[-1]:  # the last day or hour is always named
        picked = [*picked[:-1], xs[-1]] if xs[-1] - picked[-1] < step // 2 else [*picked, xs[-1]]
    return picked
