"""The visit register (来访登记簿 / 台账) as a file to hand over: XLSX or CSV.

    register = hall.stats.register("mgr01", period, department="rsj", file="登记簿.xlsx")
    Path("登记簿.xlsx").write_bytes(register_xlsx(register, "江川市联合接访中心",
                                                  config=hall.config))
    Path("登记簿.csv").write_bytes(register_csv(register))

The workbook has one sheet, 「来访登记簿」: a title row (the hall, 来访登记簿, the period, the
department or 「全部部门」, 「已脱敏」 or 「含完整个人信息」 as the register was read, how many
visits), then the bold, frozen header and one row per visit. It is written in openpyxl's
write-only mode, row by row, so a month of some 20,000 visits takes seconds, not minutes.

ID numbers, phone numbers, ticket and case numbers, dates and times are **text** cells (format
``@``): an 18-digit ID number stored as a number loses its last digits, and a phone number its
leading zero. Counts (人数) stay numbers. The CSV has the header and the rows, UTF-8 with a BOM
and CRLF line ends, as every CSV of the hall.

The register holds what visitors said (事由, 诉求: free text), so every text cell is made safe
(:func:`hall.export.figures.safe_text`): control characters dropped, and text beginning with
``=``, ``+``, ``-`` or ``@`` quoted with ``'`` so no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from hall.export.figures import cell_value, column_widths, csv_bytes, safe_text, set_widths
from hall.stats.views import Cell, Table

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from config.schema import HallConfig

__all__ = ["REGISTER_SHEET", "RegisterLike", "register_csv", "register_title", "register_xlsx",
           "text_columns"]

REGISTER_SHEET = "来访登记簿"
"""The register's sheet."""

TEXT_HINTS = ("证件", "身份证", "电话", "手机", "联系", "号", "日期", "时间")
"""A column whose name holds one of these (证件号码, 联系电话, 号码, 案号, 日期 …) is text in the
workbook, whatever its cells hold."""

_SAMPLE = 2000
"""Column widths are measured on the header and this many rows."""


class PeriodLike(Protocol):
    """What the register's period offers (:class:`hall.stats.period.Period`)."""

    start: date
    end: date

    @property
    def label(self) -> str: ...


class RegisterLike(Protocol):
    """What the writers read of :class:`hall.stats.register.Register`."""

    @property
    def table(self) -> Table: ...

    @property
    def masked(self) -> bool: ...

    @property
    def period(self) -> PeriodLike: ...

    @property
    def department(self) -> str: ...


def text_columns(columns: Sequence[str]) -> set[int]:
    """The indexes of the columns written as text (:data:`TEXT_HINTS`)."""
    return {i for i, name in enumerate(columns) if any(h in name for h in TEXT_HINTS)}


def register_title(register: RegisterLike, hall_name: str,
                   config: HallConfig | None = None) -> str:
    """The title row: 「江川市联合接访中心 来访登记簿 2026年11月（2026-11-01 至 2026-11-30）
    全部部门 已脱敏 共 3 条」; the department by name when ``config`` knows its code."""
    period = register.period
    code = register.department
    found = config.department(code) if (config is not None and code) else None
    department = found.name if found is not None else (code or "全部部门")
    mask = "已脱敏" if register.masked else "含完整个人信息"
    span = f"{period.start.isoformat()} 至 {period.end.isoformat()}"
    return (f"{hall_name} {REGISTER_SHEET} {period.label}（{span}） {department} {mask} "
            f"共 {len(register.table.rows)} 条")


def register_xlsx(register: RegisterLike, hall_name: str, *,
                  config: HallConfig | None = None) -> bytes:
    """The register as an XLSX workbook of one sheet (see the module); written row by row.
    ``config`` names the department."""
    table = register.table
    wb = Workbook(write_only=True)
    ws: WriteOnlyWorksheet = wb.create_sheet(REGISTER_SHEET)
    texts = text_columns(table.columns)
    header = [safe_text(c) for c in table.columns]
    set_widths(ws, column_widths(header, (_shown(r, texts) for r in table.rows[:_SAMPLE])))
    ws.freeze_panes = "A3"
    title = WriteOnlyCell(ws, safe_text(register_title(register, hall_name, config)))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([_bold(ws, name) for name in header])
    # One text cell per text column, reused: a row is written out as soon as it is appended.
    cells = {i: WriteOnlyCell(ws) for i in texts}
    for cell in cells.values():
        cell.number_format = "@"
    for row in table.rows:
        shown = _shown(row, texts)
        for i, cell in cells.items():
            if i < len(shown) and shown[i] is not None:
                cell.value = shown[i]
                shown[i] = cell
        ws.append(shown)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bold(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.font = Font(bold=True)
    return cell


def _shown(row: Sequence[Cell], texts: set[int]) -> list[str | int | float | None]:
    """A row's cells as written: text columns as text, the rest as :func:`cell_value`."""
    out = [cell_value(v) for v in row]
    for i in texts:
        if i < len(out) and isinstance(out[i], int | float):
            out[i] = str(out[i])
    return out


def register_csv(register: RegisterLike) -> bytes:
    """The register as CSV: the header and one row per visit, UTF-8 with a BOM, CRLF line
    ends; text made safe, ID and phone numbers as written (never reformatted)."""
    texts = text_columns(register.table.columns)
    return csv_bytes(register.table.columns, (_shown(r, texts) for r in register.table.rows))
