"""The monthly report for the level above (月度信访工作统计报告), as an A4 PDF.

    figures = hall.stats.export("mgr01", "report.pdf", month_period("2026-11"), file="11月.pdf")
    Path("11月.pdf").write_bytes(monthly_report(figures, hall.config))

``hall report --month 2026-11 --pdf FILE`` does this. The report is headed
「江川市联合接访中心2026年11月信访工作统计报告」 (another period: its label in place of the
month), with the period, the filters if any, when and by whom it was made; then, numbered in
order, the parts that have figures:

一、总体情况: the headline figures in a paragraph and in a table (来访人次／人数, 初访／重复访,
集体访批次／人数／代表, 取号／叫号／办结, waiting and service times, cases, reception days,
special situations); 二、来访分布: visits per day (per month for a period over two months) and
by hour as bar charts, by department, category and district as tables; 三、办理情况: the
queues by department, the outcomes (with a chart) and the refusals; 四、案件办理: cases on time,
by handling unit, satisfaction; 五、领导接待与包案: reception days and leaders' cases;
六、特殊情况: incidents by kind and severity. It ends with the seal line (``cases.seal_line``,
else the hall's name) and the day it was made, as the case documents do.

A table the figures do not hold (a section not computed) is left out, and a part with nothing
in it with it; a table with no rows says 「本期无记录。」. Tables and charts are numbered
(表1, 图1).

The pages are A4 portrait throughout, like every other document the hall sends: a report
that turns sideways in the middle is awkward to bind and to read on screen. The wide tables
(the queues' 11 columns, the units' 12) are set in 9 pt (小五号, the usual size for tables in
official papers) with headers wrapped on up to three lines: their cells are short numbers,
so they stay on one line and readable; narrower tables are set in 10.5 pt (五号).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from hall.printing.layout import JOIN
from hall.printing.pdf import (
    BarChart,
    Block,
    Heading,
    Paragraph,
    PdfDocument,
    TableBlock,
    render_pdf,
)
from hall.stats.views import Cell, Figures, Headline, Table, share

if TYPE_CHECKING:
    from config.schema import HallConfig

__all__ = ["monthly_report", "report_document"]

NUMERALS = "一二三四五六七八九十"
WIDE = 8  # columns from which a table is set in the smaller size
SMALL, NORMAL = 9.0, 10.5  # pt

GROUPS: tuple[tuple[str, ...], ...] = (
    ("visits", "visitors", "people"),
    ("first_visits", "repeat_same", "repeat_other"),
    ("collective_visits", "collective_people", "representatives"),
    ("tickets_issued", "tickets_called", "tickets_finished"),
    ("no_shows", "transfers"),
    ("wait_median", "wait_p90"),
    ("service_median", "service_p90"),
    ("cases_opened", "cases_accepted_on_time", "cases_answered_on_time"),
    ("cases_overdue", "cases_extended", "cases_urged"),
    ("followups", "satisfied_rate"),
    ("reception_days_held", "bookings", "attended"),
    ("incidents",),
)
"""The headline figures the overview's table puts on one row (those present, joined by ／)."""

SENTENCES: tuple[str, ...] = (
    "本期共接待群众来访{visits}、{visitors}，涉及{people}。",
    "其中初访{first_visits}，重复访（同一事项）{repeat_same}，重复访（其他事项）{repeat_other}。",
    "集体访{collective_visits}、{collective_people}，推选代表{representatives}。",
    "大厅取号{tickets_issued}，叫号{tickets_called}，办结{tickets_finished}，过号{no_shows}，"
    "转办{transfers}。",
    "候谈时间中位数{wait_median}、第90百分位{wait_p90}；接谈时间中位数{service_median}、"
    "第90百分位{service_p90}。",
    "新立案{cases_opened}，按时受理告知{cases_accepted_on_time}，按时答复{cases_answered_on_time}；"
    "当前逾期{cases_overdue}，延期{cases_extended}，督办{cases_urged}。",
    "回访{followups}，满意率{satisfied_rate}。",
    "举行领导接待日{reception_days_held}，预约{bookings}，到场{attended}。",
    "登记特殊情况{incidents}。",
)
"""The overview's paragraph: a sentence is said when every figure it names is there."""


def monthly_report(figures: Figures, config: HallConfig) -> bytes:
    """The report of ``figures`` as an A4 PDF with the packaged Chinese font embedded."""
    return render_pdf(report_document(figures, config))


def report_document(figures: Figures, config: HallConfig) -> PdfDocument:
    """What the report says, block by block (see the module's doc)."""
    period = figures.period
    # The period's label is glued so the title breaks before or after it, never inside.
    title = f"{config.hall.name}{JOIN.join(period.label)}信访工作统计报告"
    made = figures.generated_at
    staff = config.staff_member(figures.generated_by)
    author = f"{staff.name}（{figures.generated_by}）" if staff else figures.generated_by
    subtitle = [f"统计时段：{_span(period.start, period.end)}"]
    narrowed = _filters(figures, config)
    if narrowed:
        subtitle.append(f"统计范围：{narrowed}")
    subtitle.append(f"生成时间：{_day(made)} {made:%H:%M}　制表：{author}")
    writer = _Report(figures)
    blocks: list[Block] = []
    parts = [p for p in ((name, list(fn(writer))) for name, fn in PARTS) if p[1]]
    for i, (name, part) in enumerate(parts):
        blocks.append(Heading(f"{NUMERALS[i]}、{name}"))
        blocks += part
    return PdfDocument(hall_name="", title=title, number="", subtitle=tuple(subtitle),
                       blocks=tuple(blocks), seal_line=config.cases.seal_line or config.hall.name,
                       date=_day(made), created=made)


class _Report:
    """The figures with the helpers the parts draw with; tables and charts numbered in order."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.tables = 0
        self.charts = 0

    def headline(self, key: str) -> Headline | None:
        return next((h for h in self.figures.headlines if h.key == key), None)

    def table(self, key: str) -> Table | None:
        try:
            return self.figures.table(key)
        except KeyError:
            return None

    def grid(self, key: str, shares: str = "") -> Iterable[Block]:
        """Table ``key`` as printed (nothing when absent); ``shares`` adds 占比（%） of that
        column."""
        table = self.table(key)
        if table is None:
            return
        columns, rows = table.columns, [list(r) for r in table.rows]
        if shares and shares in columns:
            i = columns.index(shares)
            whole = sum(r[i] for r in rows if isinstance(r[i], int))
            columns = (*columns, "占比（%）")
            for r in rows:
                r.append(share(r[i], whole) if isinstance(r[i], int) else None)
        self.tables += 1
        # Figures right, words left: a column is set right when it holds only numbers.
        align = tuple("R" if i and all(_number(r[i]) is not None or r[i] is None
                                       for r in rows if i < len(r)) else "L"
                      for i in range(len(columns)))
        yield TableBlock(columns=tuple(columns),
                         rows=tuple(tuple(cell(c) for c in r) for r in rows), align=align,
                         size=SMALL if len(columns) >= WIDE else NORMAL,
                         title=f"表{self.tables}　{table.title}", note=table.note)

    def chart(self, key: str, column: str, unit: str, title: str = "",
              shorten: Callable[[Cell], str] | None = None) -> Iterable[Block]:
        """A bar chart of column ``column`` of table ``key`` by its first column."""
        table = self.table(key)
        if table is None or column not in table.columns or not table.rows:
            return
        self.charts += 1
        labels = tuple((shorten or cell)(r[0]) for r in table.rows)
        yield BarChart(f"图{self.charts}　{title or table.title}", labels,
                       tuple(_number(v) for v in table.column(column)), unit)

    def daily(self) -> Iterable[Block]:
        """Visits per day; per month when the period is longer than two months."""
        table = self.table("visits_by_day")
        if table is None or "来访人次" not in table.columns or not table.rows:
            return
        days = [(date.fromisoformat(str(r[0])[:10]), _number(v))
                for r, v in zip(table.rows, table.column("来访人次"), strict=True)]
        self.charts += 1
        period = self.figures.period
        if period.days > 62:
            months: dict[tuple[int, int], float] = {}
            for d, v in days:
                months[d.year, d.month] = months.get((d.year, d.month), 0) + (v or 0)
            one_year = len({y for y, _ in months}) == 1
            labels = tuple(f"{m}月" if one_year else f"{y}-{m:02d}" for y, m in months)
            yield BarChart(f"图{self.charts}　每月来访人次", labels, tuple(months.values()),
                           "人次")
            return
        one_month = (period.start.year, period.start.month) == (period.end.year,
                                                                 period.end.month)
        labels = tuple(str(d.day) if one_month else f"{d.month}/{d.day}" for d, _ in days)
        yield BarChart(f"图{self.charts}　每日来访人次", labels, tuple(v for _, v in days),
                       "人次")


def _overview(r: _Report) -> Iterable[Block]:
    said = []
    for sentence in SENTENCES:
        found = {k: r.headline(k) for k in _fields(sentence)}
        if all(found.values()):
            said.append(sentence.format(**{k: amount(h) for k, h in found.items() if h}))
    if said:
        yield Paragraph("".join(said))
    rows = []
    for group in (*GROUPS, *((h.key,) for h in r.figures.headlines
                             if not any(h.key in g for g in GROUPS))):
        present = [h for h in map(r.headline, group) if h is not None]
        if present:
            rows.append(("／".join(h.label for h in present),
                         "／".join(amount(h) for h in present)))
    if rows:
        r.tables += 1
        yield TableBlock(("指标", "数值"), tuple(rows), widths=(5, 6), align=("L", "L"),
                         title=f"表{r.tables}　主要指标")


def _distribution(r: _Report) -> Iterable[Block]:
    yield from r.daily()
    yield from r.chart("visits_by_hour", "来访人次", "人次")
    yield from r.grid("visits_by_department")
    yield from r.grid("visits_by_category", shares="来访人次")
    yield from r.grid("visits_by_district", shares="来访人次")


def _handling(r: _Report) -> Iterable[Block]:
    yield from r.grid("queues_by_department")
    yield from r.chart("outcomes", "人次", "人次", "办理方式")
    yield from r.grid("outcomes")
    yield from r.grid("refusals")


def _cases(r: _Report) -> Iterable[Block]:
    yield from r.grid("cases_timeliness")
    yield from r.grid("cases_by_unit")
    yield from r.grid("satisfaction")


def _receptions(r: _Report) -> Iterable[Block]:
    yield from r.grid("reception_days")
    yield from r.grid("leader_cases")


def _incidents(r: _Report) -> Iterable[Block]:
    yield from r.grid("incidents_by_kind")


PARTS: tuple[tuple[str, Callable[[_Report], Iterable[Block]]], ...] = (
    ("总体情况", _overview),
    ("来访分布", _distribution),
    ("办理情况", _handling),
    ("案件办理", _cases),
    ("领导接待与包案", _receptions),
    ("特殊情况", _incidents),
)
"""The report's parts in order: (heading, what it draws)."""


def cell(value: Cell) -> str:
    """A table cell as printed: whole numbers as they are, fractions to one decimal, 「—」 for
    no value."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def amount(h: Headline) -> str:
    """A headline figure with its unit: 「1234人次」, 「12.5分钟」, 「—」."""
    return cell(h.value) + (h.unit if h.value is not None else "")


def _number(value: Cell) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _span(start: date, end: date) -> str:
    return _day(start) if start == end else f"{_day(start)}至{_day(end)}"


def _filters(figures: Figures, config: HallConfig) -> str:
    """The filters by name (「部门：市人社局；属地：江北区」), "" for none."""
    f = figures.filters
    parts = []
    for label, code, find in (("部门", f.department, config.department),
                              ("类别", f.category, config.category),
                              ("属地", f.district, config.district)):
        if code:
            found = find(code)
            parts.append(f"{label}：{found.name if found else code}")
    return "；".join(parts)
