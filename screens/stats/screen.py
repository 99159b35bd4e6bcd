"""The statistics screen (`hall stats` on a terminal, launcher key 7): what the hall did.

Who uses it: the hall's managers (统计 is theirs: ``stats.read``), a few times a month preparing
the monthly report for the level above, and on a busy day to see how the day goes. What they do
most often, and what it costs:

* **Look at this month or last month** — one key: ``m`` 本月 (the screen opens on it), ``l``
  上月. The others: ``t`` 今天, ``w`` 本周, ``y`` 本年, ``r`` 时段 (two dates typed in a
  dialog: three keys and the dates); ``[`` and ``]`` step to the period before or after, of the
  same kind (last month, then the month before: one key each).
* **Switch the chart** — one key: ``→`` / ``←`` flip through the six charts, ``1``–``6`` jump
  to one: 每日来访, 来访时段, 各部门等候时间, 办理方式, 案件按时与超时, 回访满意度. A chart
  whose figures are not computed by this installation is skipped.
* **Export** — one key: ``x`` saves the workbook (XLSX, one sheet per table), ``c`` one CSV per
  table in a folder, ``p`` the report for the level above (统计报告, the PDF of ``hall report``),
  each of the period and filters shown, into the data folder's ``exports/``
  (:mod:`screens.stats.saving`); a notification says where. The report takes a second or two to
  draw: meanwhile the chart's frame says 「正在生成统计报告…」 and ``p`` waits. Every export is
  written to the audit log.
* Narrow the figures: Tab to 部门, 类别, 属地 (typed in Chinese or pinyin initials); the figures
  follow as soon as a filter changes. F5 computes again (today's figures move as the day goes).
  F10 or Esc: the launcher (Esc in a filter first leaves the filter).

The headline figures are on top; the chart's table beside the chart (its label column, the plotted
columns, then the rest). At 80x24 the table is narrow and scrolls sideways; from 120 columns
chart and table share the width. Bars of named things (departments, outcomes) are numbered, and so
are the table's rows (:mod:`screens.stats.charts`: plotext cannot draw Chinese in line).

The figures are computed in a thread worker (:meth:`hall.stats.Stats.figures`), a newer request
superseding an older one; while they are computed the body shows a loading indicator, and a
failure is said in Chinese where the figures would be.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from hall.stats import Filters, Period, named_period
from hall.stats.period import period_of
from screens.stats.cells import cell, packed
from screens.stats.charts import CHARTS, ChartHeading, ChartPlot, ChartSpec
from screens.stats.dialogs import RangeDialog
from screens.stats.saving import (
    Download,
    deliver,
    download_for,
    failure_words,
    save_csv,
    save_report,
    save_workbook,
    saved_text,
)
from screens.widgets.footer import KeyFooter
from screens.widgets.picker import Choice, Picker
from screens.widgets.topbar import TopBar
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from pathlib import Path

    from hall.stats import Figures, Table
    from screens.app import HallApp

PERIODS: dict[str, tuple[str, str]] = {"today": ("t", "今天"), "week": ("w", "本周"),
                                       "month": ("m", "本月"), "last-month": ("l", "上月"),
                                       "year": ("y", "本年")}
"""Named period → (its key, its name), in the order the period line shows them."""

HEADLINES = ("visits", "visitors", "first_visits", "repeat_same", "collective_visits",
             "tickets_issued", "wait_median", "service_median", "cases_opened", "cases_overdue",
             "satisfied_rate", "incidents")
"""The headline figures shown on top, in order (those the installation computes)."""


class FigureTable(DataTable):
    """The chart's table; ←/→ flip the chart (a row cursor has no use for them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "screen.flip(-1)", "上一图", show=False, id="stats_table.previous"),
        Binding("right", "screen.flip(1)", "换图", key_display="←→", id="stats_table.next"),
    ]


class StatsScreen(HallWork, Screen[None]):
    """Headline figures, a period and filters, six charts with their tables, exports."""

    CSS_PATH = "stats.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (120, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        # The period keys are on the period line, not in the footer (80 columns are few).
        *(Binding(key, f"period('{code}')", name, show=False,
                  id=f"stats.period_{code.replace('-', '_')}")
          for code, (key, name) in PERIODS.items()),
        Binding("r", "range", "时段", show=False, id="stats.range"),
        Binding("left_square_bracket", "step(-1)", "前一期", show=False, id="stats.earlier"),
        Binding("right_square_bracket", "step(1)", "后一期", show=False, id="stats.later"),
        Binding("left", "flip(-1)", "上一图", show=False, id="stats.previous_chart"),
        Binding("right", "flip(1)", "换图", key_display="←→", id="stats.next_chart"),
        *(Binding(str(n), f"chart({n - 1})", chart.title, show=False, id=f"stats.chart_{n}")
          for n, chart in enumerate(CHARTS, 1)),
        Binding("x", "export('xlsx')", "导出Excel", id="stats.xlsx"),
        Binding("c", "export('csv')", "导出CSV", id="stats.csv"),
        Binding("p", "export('pdf')", "报告PDF", id="stats.report"),
        Binding("f5", "reload", "刷新", id="stats.reload"),
        Binding("escape", "leave", "工作台", show=False, id="stats.leave"),
        Binding("f10", "app.switch_mode('launcher')", "工作台", id="stats.launcher"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: Period | None = None
        self.figures: Figures | None = None
        self.chart = 0
        self.failure = ""
        self.reporting = False
        """Whether the report is being drawn (``p`` waits meanwhile)."""

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        config = self.hall_app.hall.config
        yield TopBar("统计")
        with Horizontal(id="stats-bar"):
            yield Label(id="stats-periods")
            yield Label(id="stats-period")
        with Horizontal(id="stats-filters"):
            yield Picker([Choice(d.code, d.name, keys=(d.code,)) for d in config.departments],
                         placeholder="部门（全部）", id="stats-department")
            yield Picker([Choice(c.code, c.name, keys=(c.code,)) for c in config.categories],
                         placeholder="类别（全部）", id="stats-category")
            yield Picker([Choice(d.code, d.name, keys=(d.code,)) for d in config.districts],
                         placeholder="属地（全部）", id="stats-district")
        yield Static(id="stats-headlines")
        with Horizontal(id="stats-body"):
            with Vertical(id="stats-chart-box"):
                yield ChartHeading(id="stats-chart-title")
                yield ChartPlot(id="stats-plot")
                yield Label(id="stats-empty")
            yield FigureTable(id="stats-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.period = named_period("month", self.hall_app.hall.today())
        self.query_one("#stats-empty", Label).display = False
        self.query_one(FigureTable).focus()
        self.load()

    # -- the period and the filters ------------------------------------------------------------

    def filters(self) -> Filters:
        """The filters as chosen."""
        return Filters(*(self.query_one(f"#stats-{name}", Picker).value
                         for name in ("department", "category", "district")))

    def action_period(self, code: str) -> None:
        self.period = named_period(code, self.hall_app.hall.today())
        self.load()

    def action_step(self, direction: int) -> None:
        """The period before (-1) or after (1), of the same kind; a range moves by its length."""
        p = self.period
        if p is None:
            return
        if p.kind == "range":
            shift = timedelta(days=p.days * direction)
            self.period = Period(p.start + shift, p.end + shift, "range")
        else:
            self.period = period_of(p.kind, p.start - timedelta(days=1) if direction < 0
                                    else p.end + timedelta(days=1))
        self.load()

    def action_range(self) -> None:
        if self.period is not None:
            self.app.push_screen(RangeDialog(self.period, self.hall_app.hall.today()),
                                 self._range_chosen)

    def _range_chosen(self, period: Period | None) -> None:
        if period is not None:
            self.period = period
            self.load()

    @on(Picker.Changed)
    def _filter_changed(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_leave(self) -> None:
        """Esc: out of a filter first, else back to the launcher."""
        if isinstance(self.focused, Input):
            self.query_one(FigureTable).focus()
        else:
            self.app.switch_mode("launcher")

    # -- computing -----------------------------------------------------------------------------

    def load(self) -> None:
        """Compute the figures of the period and filters shown, in a thread."""
        actor = self.hall_app.staff
        if self.period is None or not actor:
            return
        self._show_periods()
        self.query_one("#stats-body").loading = True
        self.run_call("figures", self.hall_app.hall.stats.figures, actor, self.period,
                      self.filters(), exclusive=True)

    def figures_done(self, figures: Figures) -> None:
        if figures.period != self.period or figures.filters != self.filters():
            return  # the choice changed meanwhile; a newer computation is coming
        self.figures, self.failure = figures, ""
        self.query_one("#stats-body").loading = False
        self._show_periods()
        self._show_headlines()
        self._show_chart()
        self.refresh_bindings()  # the exports need figures shown

    def figures_failed(self, failure: Failed) -> None:
        self.figures = None
        self.failure = failure.text
        self.query_one("#stats-body").loading = False
        self._show_headlines()
        self._show_chart()
        self.refresh_bindings()

    # -- showing -------------------------------------------------------------------------------

    def _show_periods(self) -> None:
        text = Text()
        kind = self._named()
        for code, (key, name) in PERIODS.items():
            text.append(f" {key}{name} ", style="bold reverse" if code == kind else "")
        text.append(" r时段… ", style="bold reverse" if kind == "range" else "")
        self.query_one("#stats-periods", Label).update(text)
        p = self.period
        if p is not None:
            span = "" if p.days == 1 else f"（{p.start:%m-%d}至{p.end:%m-%d}，{p.days}天）"
            self.query_one("#stats-period", Label).update(
                Text.assemble((p.label, "bold"), span))

    def _named(self) -> str:
        """Which named period is shown ("range" for any other)."""
        today = self.hall_app.hall.today()
        return next((code for code in PERIODS if named_period(code, today) == self.period),
                    "range")

    def _show_headlines(self) -> None:
        static = self.query_one("#stats-headlines", Static)
        if self.figures is None:
            static.update(Text(f"统计失败：{self.failure}" if self.failure else "正在统计…",
                               style="bold red" if self.failure else "dim"))
            return
        shown = {h.key: h for h in self.figures.headlines}
        items = []
        for key in HEADLINES:
            h = shown.get(key)
            if h is None:
                continue
            value = "—" if h.value is None else (
                f"{h.value:,}" if isinstance(h.value, int) else str(h.value))
            unit = "" if h.value is None or h.unit in ("人次", "人", "批次", "件") else h.unit
            items.append(Text.assemble((f"{h.label} ", "dim"), (value, "bold"), unit))
        width = self.size.width - 2  # the line's padding
        static.update(Text("\n").join(packed(items, width, 2 if width < 118 else 3)))

    def on_resize(self) -> None:
        if self.figures is not None:
            self._show_headlines()

    def available(self) -> list[int]:
        """The charts whose table the figures hold (all six before the figures arrive)."""
        if self.figures is None:
            return list(range(len(CHARTS)))
        keys = {t.key for t in self.figures.tables}
        return [i for i, c in enumerate(CHARTS) if c.key in keys]

    def action_flip(self, direction: int) -> None:
        shown = self.available()
        if not shown:
            return
        here = shown.index(self.chart) if self.chart in shown else 0
        self.chart = shown[(here + direction) % len(shown)]
        self._show_chart()

    def action_chart(self, index: int) -> None:
        if index in self.available():
            self.chart = index
            self._show_chart()
        else:
            self.notify(f"本机尚无「{CHARTS[index].title}」的统计", severity="warning",
                        timeout=3)

    def _show_chart(self) -> None:
        shown = self.available()
        if self.chart not in shown and shown:
            self.chart = shown[0]
        title = self.query_one(ChartHeading)
        plot = self.query_one(ChartPlot)
        table_widget = self.query_one(FigureTable)
        empty = self.query_one("#stats-empty", Label)
        if self.figures is None or not shown:
            title.show(None)
            plot.display, empty.display = False, True
            empty.update(f"统计失败：{self.failure}" if self.failure else "")
            table_widget.clear(columns=True)
            return
        spec = CHARTS[self.chart]
        table = self.figures.table(spec.key)
        title.show(spec, shown.index(self.chart) + 1, len(shown))
        drawn = plot.show(spec, table, until=self.hall_app.hall.today().isoformat())
        plot.display, empty.display = drawn, not drawn
        empty.update(Text(f"{self.period.label if self.period else ''}没有可画的数据",
                          style="dim"))
        self._fill_table(spec, table)

    def _fill_table(self, spec: ChartSpec, table: Table) -> None:
        widget = self.query_one(FigureTable)
        order = spec.columns(table)
        widget.clear(columns=True)
        widget.show_row_labels = spec.numbered
        widget.fixed_columns = 1
        for i in order:
            widget.add_column(table.columns[i], key=str(i))
        for n, row in enumerate(table.rows, 1):
            widget.add_row(*(cell(row[i]) for i in order),
                           label=str(n) if spec.numbered else None)
        note = table.note
        self.query_one("#stats-chart-box").border_subtitle = note
        widget.border_title = table.title

    # -- exports -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            actor = self.hall_app.actor
            if actor is None or not actor.may("stats.export") or self.figures is None:
                return False
            return None if parameters == ("pdf",) and self.reporting else True
        return True

    def action_export(self, kind: str) -> None:
        from config.paths import exports_dir

        actor = self.hall_app.staff
        if self.period is None or not actor or self.figures is None:
            return
        folder = exports_dir(self.hall_app.data_dir)
        args = (self.hall_app.hall, actor, self.period, self.filters(), folder)
        save = save_report if kind == "pdf" else save_workbook if kind == "xlsx" else save_csv
        if self.app.is_web:  # in a browser (hall serve): a download, not a file on the server
            save = download_for(save)
        if kind == "pdf":
            self._reporting(True)
            self.run_call("report", save, *args)
            return
        self.notify("正在导出…", timeout=2)
        self.run_call("export", save, *args)

    def export_done(self, result: Path | tuple[Path, list[Path]] | Download) -> None:
        if isinstance(result, Download):
            deliver(self.app, result)
        self.notify(saved_text(result), title="导出完成", markup=False, timeout=10)

    def export_failed(self, failure: Failed) -> None:
        self.notify(f"导出失败：{failure_words(failure)}", severity="error", markup=False,
                    timeout=8)

    def report_done(self, path: Path) -> None:
        self._reporting(False)
        self.export_done(path)

    def report_failed(self, failure: Failed) -> None:
        self._reporting(False)
        self.notify(f"统计报告生成失败：{failure_words(failure)}", severity="error",
                    markup=False, timeout=8)

    def _reporting(self, busy: bool) -> None:
        """Say on the chart's frame that the report is being drawn, and hold ``p`` meanwhile."""
        self.reporting = busy
        self.query_one("#stats-chart-box").border_title = "正在生成统计报告…" if busy else ""
        self.refresh_bindings()
