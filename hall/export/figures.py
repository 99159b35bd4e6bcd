"""The figures as files: a workbook with native charts, or one CSV per table.

    data = figures_xlsx(figures, "江川市联合接访中心", config=hall.config)
    Path("2026年11月统计.xlsx").write_bytes(data)
    paths = save_csv_dir(figures, Path("11月统计"))     # visits_by_day.csv … headlines.csv

The **workbook** opens on 「概要」: the hall, the period (its label and first and last day), the
filters by name (「全部」 when none is set; codes when no ``config`` is given to name them), when
and for whom the figures were computed, then every headline figure with its unit. Each table of
the figures follows on a sheet of its own, titled with the table's title (cut to Excel's 31
characters, characters Excel forbids replaced, made unique): a bold, frozen header row, numbers
as numbers (minutes and rates shown to one decimal), the table's note two rows under it, and,
where the table says how to draw it, a native Excel chart beside it (bars, stacked or not, or a
line) titled like the table, one series per charted column. A table with no rows still gets its
sheet, with its header and no chart.

The **CSV** files are one per table, named by the table's key (``visits_by_day.csv``), and
``headlines.csv`` (指标, 数值, 单位): UTF-8 with a BOM so Excel reads the Chinese, CRLF line ends,
the Chinese column names as the header. :func:`save_csv_dir` writes them into a folder readable
by its owner only.

Every text cell is made safe first (:func:`safe_text`): control characters a workbook cannot hold
are dropped, and text that a spreadsheet would take for a formula (starting with ``=``, ``+``,
``-``, ``@``) is quoted with a leading ``'``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from config.paths import private_dir
from hall.stats.views import Cell, Figures, Table

if TYPE_CHECKING:
    from openpyxl.cell import Cell as SheetCell
    from openpyxl.worksheet.worksheet import Worksheet

    from config.schema import HallConfig

__all__ = ["HEADLINES_CSV", "SUMMARY_SHEET", "csv_bytes", "figures_csv", "figures_xlsx",
           "safe_text", "save_csv_dir", "sheet_title", "text_width"]

SUMMARY_SHEET = "概要"
"""The workbook's first sheet."""

HEADLINES_CSV = "headlines.csv"
"""The CSV file of the headline figures."""

HEADLINE_HEADER = ("指标", "数值", "单位")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters a workbook cannot hold (tab, line feed and carriage return it can)."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell that a spreadsheet would evaluate begins (OWASP's list)."""
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
_MIN_WIDTH, _MAX_WIDTH = 6, 50
_BOLD = Font(bold=True)
_FILTERS = (("department", "部门", "department"), ("category", "类别", "category"),
            ("district", "属地", "district"))


def safe_text(value: str) -> str:
    """``value`` as a cell may hold it: control characters other than tab, line feed and
    carriage return dropped; a leading ``=``, ``+``, ``-``, ``@`` (or tab, carriage return),
    which a spreadsheet would run as a formula, quoted with ``'``."""
    clean = _CONTROL.sub("", value)
    return "'" + clean if clean.startswith(_FORMULA_START) else clean


def cell_value(value: object) -> str | int | float | None:
    """A cell as written: numbers as numbers, dates and times as ISO text, text made safe
    (:func:`safe_text`), None and empty text as an empty cell."""
    if type(value) is str:  # the common case first: a register has some 300,000 cells
        return safe_text(value) if value else None
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def text_width(value: object) -> int:
    """How many columns ``value`` takes in a spreadsheet: wide (CJK, full-width) characters
    count two, the widest line counts."""
    if value is None:
        return 0
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in text.splitlines() or [""]), default=0)


def column_widths(header: Iterable[object], rows: Iterable[Iterable[object]]) -> list[float]:
    """Sensible widths for columns holding ``header`` and ``rows``: the widest cell plus a
    margin, within 6 and 50."""
    widths = [text_width(h) for h in header]
    for row in rows:
        for i, value in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], text_width(value))
            else:
                widths.append(text_width(value))
    return [float(min(_MAX_WIDTH, max(_MIN_WIDTH, w + 2))) for w in widths]


def sheet_title(title: str, used: set[str]) -> str:
    """``title`` as an Excel sheet may be named: forbidden characters (``[]:*?/\\``) replaced
    by ``_``, no apostrophe at either end, at most 31 characters, and unlike every name in
    ``used`` (compared as Excel does, ignoring case; 「（2）」 … appended). The name is added to
    ``used``."""
    base = _CONTROL.sub("", _SHEET_FORBIDDEN.sub("_", title)).strip().strip("'").strip()
    base = base or "表"
    name, n = _cut(base, _SHEET_MAX), 1
    while name.casefold() in used or name.casefold() == "history":  # Excel reserves History
        n += 1
        tail = f"（{n}）"
        name = _cut(base, _SHEET_MAX - len(tail)) + tail
    used.add(name.casefold())
    return name


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units (how Excel counts a sheet name)."""
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    """Give the columns of ``ws`` these widths, first column first."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def filter_names(figures: Figures, config: HallConfig | None = None) -> list[tuple[str, str]]:
    """The filters as (label, name): 「全部」 for none; the configured name when ``config``
    knows the code, else the code."""
    out = []
    for attr, label, lookup in _FILTERS:
        code = getattr(figures.filters, attr)
        found = getattr(config, lookup)(code) if (config is not None and code) else None
        out.append((label, found.name if found is not None else (code or "全部")))
    return out


def figures_xlsx(figures: Figures, hall_name: str, *, config: HallConfig | None = None) -> bytes:
    """The figures as an XLSX workbook: 「概要」 then one sheet per table with its chart (see the
    module). ``config`` names the filters' codes."""
    wb = Workbook()
    summary = wb.active
    used: set[str] = set()
    summary.title = sheet_title(SUMMARY_SHEET, used)
    _write_summary(summary, figures, hall_name, config)
    for table in figures.tables:
        _write_table(wb.create_sheet(sheet_title(table.title or table.key, used)), table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_summary(ws: Worksheet, figures: Figures, hall_name: str,
                   config: HallConfig | None) -> None:
    period = figures.period
    about: list[tuple[str, Cell]] = [
        ("大厅", hall_name),
        ("统计时段", period.label),
        ("起止日期", f"{period.start.isoformat()} 至 {period.end.isoformat()}"),
        ("天数", period.days),
        *((f"筛选：{label}", name) for label, name in filter_names(figures, config)),
        ("生成时间", figures.generated_at.strftime("%Y-%m-%d %H:%M:%S")),
        ("生成人", figures.generated_by),
    ]
    ws.append(["统计概要"])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in about:
        ws.append([label, cell_value(value)])
        ws.cell(ws.max_row, 1).font = _BOLD
    ws.append([])
    ws.append(list(HEADLINE_HEADER))
    for c in ws[ws.max_row]:
        c.font = _BOLD
    for h in figures.headlines:
        ws.append([safe_text(h.label), cell_value(h.value), safe_text(h.unit)])
        _number_format(ws.cell(ws.max_row, 2))
    rows = [*about, *((h.label, h.value, h.unit) for h in figures.headlines)]
    set_widths(ws, column_widths(HEADLINE_HEADER, rows))


def _number_format(cell: SheetCell) -> None:
    """Minutes and rates (floats, rounded by the producer) shown to one decimal."""
    if isinstance(cell.value, float):
        cell.number_format = "0.0"


def _write_table(ws: Worksheet, table: Table) -> None:
    ws.append([safe_text(c) for c in table.columns])
    for c in ws[1]:
        c.font = _BOLD
    ws.freeze_panes = "A2"
    for row in table.rows:
        ws.append([cell_value(v) for v in row])
        for c in ws[ws.max_row]:
            _number_format(c)
    if table.note:
        ws.cell(len(table.rows) + 3, 1, safe_text(table.note))
    set_widths(ws, column_widths(table.columns, table.rows))
    chart = _chart(ws, table)
    if chart is not None:
        ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}2")


def _chart(ws: Worksheet, table: Table) -> BarChart | LineChart | None:
    """The native chart of ``table`` (None when it has none, no rows, or no column to draw)."""
    spec = table.chart
    width = len(table.columns)
    if spec is None or not table.rows or not 0 <= spec.x < width:
        return None
    series = [i for i in spec.series if 0 <= i < width and i != spec.x]
    if not series:
        return None
    chart: BarChart | LineChart
    if spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
        if spec.stacked:
            chart.grouping = "stacked"
            chart.overlap = 100
    chart.title = table.title
    chart.width, chart.height = 18, 9
    last = len(table.rows) + 1
    for i in series:
        chart.add_data(Reference(ws, min_col=i + 1, min_row=1, max_row=last),
                       titles_from_data=True)
    categories = Reference(ws, min_col=spec.x + 1, min_row=2, max_row=last)
    chart.set_categories(categories)
    if any(isinstance(row[spec.x], str) for row in table.rows):  # names, days: text categories
        for s in chart.series:
            s.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    chart.x_axis.title = table.columns[spec.x]
    chart.x_axis.delete = False  # openpyxl 3.1 leaves the axes out unless told
    chart.y_axis.delete = False
    if len(series) == 1:
        chart.legend = None
    return chart


def csv_bytes(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A CSV file as bytes: UTF-8 with a BOM, CRLF line ends, ``header`` first; cells as
    :func:`cell_value` writes them (text made safe, None empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell_value(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else v for v in map(cell_value, row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def figures_csv(figures: Figures) -> dict[str, bytes]:
    """The figures as CSV files: ``{key}.csv`` per table (its columns as header, its rows) and
    :data:`HEADLINES_CSV` (指标, 数值, 单位), by file name."""
    files = {f"{t.key}.csv": csv_bytes(t.columns, t.rows) for t in figures.tables}
    files[HEADLINES_CSV] = csv_bytes(HEADLINE_HEADER,
                                     ((h.label, h.value, h.unit) for h in figures.headlines))
    return files


def save_csv_dir(figures: Figures, folder: Path | str) -> list[Path]:
    """Write :func:`figures_csv` into ``folder`` (made, owner only, as every folder of the
    hall's data); each file readable by its owner only. Returns the files written. Raises
    OSError when the folder cannot be made or written."""
    where = private_dir(folder)
    paths = []
    for name, data in figures_csv(figures).items():
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"unsafe file name {name!r}")
        path = where / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        path.chmod(0o600)  # a file that was there before keeps its mode otherwise
        paths.append(path)
    return paths
