"""``hall stats``, ``hall register``, ``hall report``: what the hall did, from the command line.

    hall stats [--period P | --from D --to D] [--department D] [--category C] [--district X]
               [--json] [--xlsx FILE] [--csv DIR] [--force]
    hall register [--period P | --from D --to D] [--department D] (--xlsx FILE | --csv FILE)
                  [--force] [--json]
    hall report --month YYYY-MM --pdf FILE [--force] [--json]

**The period.** ``--period`` names one (today 今天, yesterday, week 本周, last-week, month 本月,
last-month, quarter, last-quarter, year, last-year: :data:`hall.stats.period.NAMED`), or
``--from`` / ``--to`` give the business days (YYYY-MM-DD, both included; a missing ``--from`` is
the first of the month, a missing ``--to`` today); not both. Neither: today.

**``hall stats``** prints the figures of :meth:`hall.stats.Stats.figures` (managers,
``stats.read``): the headlines, then each table as aligned columns (a Chinese character takes two
columns of the terminal); ``--json`` prints :meth:`hall.stats.Figures.as_dict` instead.
``--xlsx FILE`` saves the workbook (one sheet per table, with charts) and ``--csv DIR`` one CSV
per table (UTF-8 with BOM, for Excel) in DIR: both through :meth:`hall.stats.Stats.export`
(``stats.export``), which writes the export to the audit log. With a file the text output is the
period and where the file went (``--json``: the figures and ``"files"``). Typed alone on a
terminal (global options aside), ``hall stats`` is the statistics screen's: main opens it and
never calls :func:`cmd_stats`; with any option, or piped, it prints.

**``hall register``** saves the visit register (来访登记簿, :meth:`hall.stats.Stats.register`,
``register.export``: managers in full; the desk, and window staff for their own departments, with
personal data masked), exactly one of ``--xlsx FILE`` / ``--csv FILE``, and prints how many rows,
whether masked and where.

**``hall report``** saves the monthly report for the level above as PDF
(:func:`hall.stats.report.monthly_report`, ``stats.export``, audited).

**Files.** A file is checked before anything is read or audited: a missing folder, a folder where a
file is wanted, no write permission → exit 2 and nothing written. An existing file is never
replaced without ``--force``; ``--csv DIR`` takes a new folder (made, its parent must exist) or an
empty one, and with ``--force`` a folder holding files (those of the same names are replaced).
Files are readable by their owner only (0600; the CSV folder 0700), as the hall's data is. Should
writing still fail after the export was audited (a full disk), the message says so.

Exit 2 for bad input (a bad date or month, ``--period`` with ``--from``/``--to``, an unknown
department, category or district, a file that cannot be written); 3 without a signed-in staff
member whose role may do it; 1 when the database cannot be reached.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.context import Context, UsageError, pad, print_form_errors, print_json
from cli.context import text_width as width

if TYPE_CHECKING:
    from hall.stats import Figures, Period, Table

FLAGS = {"start": "--from", "end": "--to", "period": "--period", "month": "--month",
         "department": "--department", "category": "--category", "district": "--district"}
"""A refused field's key (:mod:`hall.stats.period`, the filters) → the flag that gave it."""

NO_VALUE = "—"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``hall stats``, ``hall register`` and ``hall report`` to ``hall``'s parser."""
    from hall.stats.period import NAMED

    named = "、".join(f"{k}（{v}）" for k, v in NAMED.items())

    def period(p: argparse.ArgumentParser) -> None:
        p.add_argument("--period", metavar="P", help=f"统计时段：{named}；默认 today")
        p.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                       help="起始营业日（含；默认本月1日）")
        p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="结束营业日（含；默认今天）")
        p.add_argument("--department", default="", metavar="CODE", help="只统计该部门（部门代码）")

    p = sub.add_parser("stats", parents=[common],
                       help="统计：来访、排队、办理、案件、接待日、特殊情况（管理人员）")
    period(p)
    p.add_argument("--category", default="", metavar="CODE", help="只统计该类别（类别代码）")
    p.add_argument("--district", default="", metavar="CODE", help="只统计该属地（属地代码）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出全部数字")
    p.add_argument("--xlsx", metavar="FILE", help="另存为 Excel 工作簿（每表一页，附图表）")
    p.add_argument("--csv", metavar="DIR", help="每表一个 CSV 文件（UTF-8 带 BOM）存入该目录")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("register", parents=[common], help="导出来访登记簿（按角色脱敏）")
    period(p)
    p.add_argument("--xlsx", metavar="FILE", help="存为 Excel 工作簿（与 --csv 二选一）")
    p.add_argument("--csv", metavar="FILE", help="存为 CSV 文件（UTF-8 带 BOM；与 --xlsx 二选一）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_register)

    p = sub.add_parser("report", parents=[common], help="月度统计报告（PDF，报上级）")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，如 2026-11")
    p.add_argument("--pdf", required=True, metavar="FILE", help="存为 PDF 文件")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_report)


# -- the commands ---------------------------------------------------------------------------------


def cmd_stats(ctx: Context) -> int:
    """``hall stats``: print the figures, or save them (see the module)."""
    from hall.desk.registration import FormError
    from hall.stats import Filters

    args = ctx.args
    xlsx = _file_target(args.xlsx, "--xlsx", args.force) if args.xlsx is not None else None
    csv = _folder_target(args.csv, args.force) if args.csv is not None else None
    filters = Filters(department=args.department.strip(), category=args.category.strip(),
                      district=args.district.strip())
    try:
        period = _period(ctx)
        ctx.hall.stats.check(filters)
    except FormError as exc:
        return print_form_errors(exc.errors, exc.labels, FLAGS)
    hall, actor = ctx.acting()
    if xlsx is None and csv is None:
        figures = hall.stats.figures(actor, period, filters)
        if args.json:
            print_json(figures.as_dict())
        else:
            print("\n".join(figures_lines(figures, _filters_text(ctx, figures))))
        return 0
    first = "stats.xlsx" if xlsx is not None else "stats.csv"
    figures = hall.stats.export(actor, first, period, filters,
                                file=str(xlsx if xlsx is not None else csv))
    if xlsx is not None and csv is not None:
        hall.stats.exported(actor, "stats.csv", period, filters, file=str(csv))
    files = _save_figures(ctx, figures, xlsx, csv)
    if args.json:
        print_json({**figures.as_dict(), "files": [str(f) for f in files]})
        return 0
    print(f"统计：{figures.period.label}{_filters_text(ctx, figures)}")
    if xlsx is not None:
        print(f"已保存：{xlsx}")
    if csv is not None:
        print(f"已保存：{csv}（{sum(f.parent == csv for f in files)} 个 CSV 文件）")
    return 0


def cmd_register(ctx: Context) -> int:
    """``hall register``: save the visit register of the period (see the module)."""
    from hall.desk.registration import FormError
    from hall.stats import Filters

    args = ctx.args
    if (args.xlsx is None) == (args.csv is None):
        raise UsageError("请用 --xlsx FILE 或 --csv FILE 指定登记簿存到哪个文件（二者选一）")
    flag, text = ("--xlsx", args.xlsx) if args.xlsx is not None else ("--csv", args.csv)
    target = _file_target(text, flag, args.force)
    department = args.department.strip()
    try:
        period = _period(ctx)
        ctx.hall.stats.check(Filters(department=department))
    except FormError as exc:
        return print_form_errors(exc.errors, exc.labels, FLAGS)
    hall, actor = ctx.acting()
    what = "register.xlsx" if flag == "--xlsx" else "register.csv"
    book = hall.stats.register(actor, period, department=department, what=what,
                               file=str(target))
    from hall.export.register import register_csv, register_xlsx

    data = (register_xlsx(book, ctx.config.hall.name, config=ctx.config) if flag == "--xlsx"
            else register_csv(book))
    _write(target, data)
    rows = len(book.table.rows)
    if args.json:
        print_json({"period": book.period.as_dict(), "department": book.department,
                    "rows": rows, "masked": book.masked, "file": str(target)})
        return 0
    named = ""
    if book.department:
        found = ctx.config.department(book.department)
        named = f"（{found.name if found else book.department}）"
    shown = "个人信息已按权限脱敏" if book.masked else "完整信息（请妥善保管）"
    print(f"来访登记簿：{book.period.label}{named}，共 {rows} 条，{shown}")
    print(f"已保存：{target}")
    return 0


def cmd_report(ctx: Context) -> int:
    """``hall report``: save the monthly report as PDF (see the module)."""
    from hall.desk.registration import FormError
    from hall.stats.period import month_period

    args = ctx.args
    target = _file_target(args.pdf, "--pdf", args.force)
    try:
        period = month_period(args.month)
    except FormError as exc:
        return print_form_errors(exc.errors, exc.labels, FLAGS)
    ctx.expect_credentials()
    hall, actor = ctx.acting()
    figures = hall.stats.export(actor, "report.pdf", period, file=str(target))
    from hall.stats.report import monthly_report

    _write(target, monthly_report(figures, ctx.config))
    if args.json:
        print_json({"period": period.as_dict(), "file": str(target)})
        return 0
    print(f"月度统计报告：{period.label}")
    print(f"已保存：{target}")
    return 0


# -- input ----------------------------------------------------------------------------------------


def _period(ctx: Context) -> Period:
    """The period the options name (a FormError keyed start/end/period when they don't)."""
    from hall.stats.period import named_period, range_period

    args = ctx.args
    if args.period is not None and (args.start is not None or args.end is not None):
        raise UsageError("--period 与 --from/--to 只能选一种：用 --period 指定命名时段，"
                         "或用 --from/--to 指定起止日期")
    ctx.expect_credentials()  # no credentials at all: exit 3 before the database is opened
    today = ctx.hall.today()
    if args.period is not None:
        return named_period(args.period.strip(), today)
    if args.start is None and args.end is None:
        return named_period("today", today)
    return range_period(args.start, args.end, today)


def _file_target(text: str, flag: str, force: bool) -> Path:
    """The file ``flag`` names, refused (exit 2) when it cannot be written: a folder, a missing
    folder, no permission, or a file already there without ``--force``."""
    if not text.strip():
        raise UsageError(f"{flag} 需要一个文件名，如 {flag} 统计.{flag[2:]}")
    path = Path(text).expanduser()
    if path.is_dir():
        raise UsageError(f"{flag} 应为文件名，“{text}”是一个目录")
    if not path.parent.is_dir():
        raise UsageError(f"无法写入 {text}：目录 {path.parent} 不存在，请先建好或换一个位置")
    if path.exists() and not force:
        raise UsageError(f"{text} 已存在：换一个文件名，或加 --force 覆盖")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"无法写入 {text}：没有写权限，请换一个位置")
    return path


def _folder_target(text: str, force: bool) -> Path:
    """The --csv folder: new (its parent must exist) or empty, or holding files with
    ``--force``; writable. Made only once the figures are in hand (:func:`_save_figures`)."""
    if not text.strip():
        raise UsageError("--csv 需要一个目录名，如 --csv 11月统计")
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise UsageError(f"--csv 应为目录，“{text}”是一个文件")
    if not path.exists():
        if not path.parent.is_dir():
            raise UsageError(f"无法写入 {text}：目录 {path.parent} 不存在，请先建好或换一个位置")
        if not os.access(path.parent, os.W_OK):
            raise UsageError(f"无法在 {path.parent} 中建立目录 {path.name}：没有写权限")
        return path
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"无法写入 {text}：没有写权限，请换一个位置")
    if not force and any(path.iterdir()):
        raise UsageError(f"目录 {text} 不是空的：换一个新目录，或加 --force 覆盖其中的同名文件")
    return path


# -- output ---------------------------------------------------------------------------------------


def _save_figures(ctx: Context, figures: Figures, xlsx: Path | None,
                  csv: Path | None) -> list[Path]:
    """Write the workbook and/or the CSV folder; the files written."""
    files: list[Path] = []
    if xlsx is not None:
        from hall.export.figures import figures_xlsx

        _write(xlsx, figures_xlsx(figures, ctx.config.hall.name, config=ctx.config))
        files.append(xlsx)
    if csv is not None:
        from hall.export.figures import save_csv_dir

        try:
            files += save_csv_dir(figures, csv)  # makes the folder
        except OSError as exc:
            raise UsageError(_failed(csv, exc)) from None
    return files


def _write(path: Path, data: bytes) -> None:
    """``data`` into ``path``, readable by its owner only (a register holds ID numbers; the
    CSV folder is made so too). Checked by :func:`_file_target`; a full disk or a race can still
    fail here, after the export was audited: the message says so."""
    from config.paths import PRIVATE_FILE

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        path.chmod(PRIVATE_FILE)  # a file replaced with --force keeps its mode otherwise
    except OSError as exc:
        raise UsageError(_failed(path, exc)) from None


def _failed(path: Path, exc: OSError) -> str:
    return (f"无法写入 {path}：{exc.strerror or exc}（导出已记入审计日志，但文件没有写成，"
            "请处理后重新导出）")


def _filters_text(ctx: Context, figures: Figures) -> str:
    """「（部门：市人社局；类别：欠薪）」 for the filters set, "" for none."""
    config = ctx.config
    parts = []
    for name, label, find in (("department", "部门", config.department),
                              ("category", "类别", config.category),
                              ("district", "属地", config.district)):
        code = getattr(figures.filters, name)
        if code:
            found = find(code)
            parts.append(f"{label}：{found.name if found else code}")
    return f"（{'；'.join(parts)}）" if parts else ""


def cell_text(value: Any) -> str:
    """A cell as printed: None as 「—」, a float to one decimal, the rest as is."""
    if value is None:
        return NO_VALUE
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class _Column:
    width: int
    right: bool  # numbers (and the no-value dash among them) align right


def table_lines(table: Table) -> list[str]:
    """``table`` as aligned columns: its title, the heads, the rows; text left, numbers right,
    widths in terminal columns (a CJK character takes two)."""

    texts = [[cell_text(c) for c in row] for row in table.rows]
    columns = []
    for i, head in enumerate(table.columns):
        values = [row[i] for row in table.rows]
        right = any(isinstance(v, (int, float)) for v in values) and all(
            v is None or isinstance(v, (int, float)) for v in values)
        columns.append(_Column(max([width(head)] + [width(t[i]) for t in texts]), right))

    def line(cells: list[str]) -> str:
        out = []
        for text, col in zip(cells, columns, strict=True):
            gap = " " * (col.width - width(text))
            out.append(gap + text if col.right else pad(text, col.width))
        return "  ".join(out).rstrip()

    title = table.title + (f"（{table.note}）" if table.note else "")
    lines = [title, line(list(table.columns))]
    lines += [line(t) for t in texts] or ["（无数据）"]
    return lines


def figures_lines(figures: Figures, filters: str = "") -> list[str]:
    """The figures as ``hall stats`` prints them: heading (``filters``: the filters as named,
    「（部门：市人社局）」), headlines, then every table."""

    f = figures
    lines = [f"统计时段：{f.period.label}（{f.period.start} 至 {f.period.end}）{filters}",
             f"生成：{f.generated_at:%Y-%m-%d %H:%M}  {f.generated_by}", ""]
    label_w = max((width(h.label) for h in f.headlines), default=0)
    value_w = max((len(cell_text(h.value)) for h in f.headlines), default=0)
    for h in f.headlines:
        value = cell_text(h.value)
        unit = h.unit if h.value is not None else ""  # 「满意率 —」, not 「— %」
        lines.append(f"{pad(h.label, label_w)}  {value:>{value_w}} {unit}".rstrip())
    for table in f.tables:
        lines.append("")
        lines += table_lines(table)
    return lines
