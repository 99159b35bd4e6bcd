"""The incident screen (`hall incidents`, launcher key 5): review and handle special situations.

Who uses it: the hall's manager (中心领导, 张主任) and the duty staff, several times a day and at
closing time. What they do most often: look at today's open incidents, open one to read its
timeline, record the step just taken (the suggested one, usually) and close it with a
conclusion; at the end of the day, the daily report and its CSV.

* The list shows today's incidents, newest first (time, severity, type, place, state, the
  suggested next step); filters above it: day (empty: every day), state, type and place. Tab
  moves between the filters and the list; a filter applies as soon as it changes.
* Enter opens the highlighted incident's detail: what happened (as last corrected), the type's
  chain with the steps done ticked, and every entry in order, corrections beside what they
  correct. Every opening is written to the audit log.
* F5 records a step (the dialog opens on the suggested one: F5, Enter, Enter; a digit picks
  another). F6 corrects an entry (both shown), F7 closes with a conclusion, F8 reopens with a
  reason; a key that does not apply says why. F3: the day's report (S saves its CSV); F12 logs.

A :class:`screens.work.Poller` reads the ``incidents`` change counter and reloads the list when it
moved; the open detail is reloaded (and audited) only when its own incident changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from hall.incidents.report import save_report_csv
from hall.incidents.views import IncidentDetail, IncidentReport, IncidentSummary
from screens.incidents.dialogs import (
    ActionDialog,
    ActionForm,
    CorrectionDialog,
    ReportDialog,
    TextDialog,
)
from screens.incidents.form import IncidentContext
from screens.incidents.texts import detail_text, fill_table, list_cells
from screens.widgets.footer import KeyFooter
from screens.widgets.picker import Choice, Picker
from screens.widgets.rowlist import RowList
from screens.widgets.topbar import TopBar
from screens.work import Failed, HallWork, Poller

if TYPE_CHECKING:
    from screens.app import HallApp

class IncidentsScreen(RowList, HallWork, Screen[None]):
    """Special situations: filter, read the timeline, record steps, close, report."""

    fill = staticmethod(fill_table)  # sizes the list's columns (RowList)
    CSS_PATH = "incidents.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (120, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "report", "日报", id="incidents.report"),
        Binding("f5", "act", "处置", id="incidents.act"),
        Binding("f6", "correct", "更正", id="incidents.correct"),
        Binding("f7", "close", "结案", id="incidents.close"),
        Binding("f8", "reopen", "重开", id="incidents.reopen"),
        Binding("f10", "app.switch_mode('launcher')", "工作台", id="incidents.launcher"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[IncidentSummary] = []
        self.detail: IncidentDetail | None = None
        self._filters: tuple[date | None, str, str, str] | None = None  # the last valid ones
        self.poller = Poller(self, self._read_list, topics=("incidents",),
                             key=lambda: self._filters, name="incidents")
        self._busy = False
        self._cells: list[tuple[str | Text, ...]] = []  # the list's cells, uncut

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        hall = self.hall_app.hall
        settings = hall.config.incidents
        yield TopBar("特殊情况")
        with Horizontal(id="inc-filters"):
            yield Label("日期", classes="inc-filter-label")
            yield Input(hall.today().isoformat(), placeholder="全部", compact=True,
                        id="inc-day", max_length=10, restrict=r"[0-9-]*")
            yield Label("状态", classes="inc-filter-label")
            yield Picker([Choice("open", "处置中"), Choice("closed", "已结案")],
                         placeholder="全部", id="inc-status")
            yield Label("类型", classes="inc-filter-label")
            yield Picker([Choice(t.code, t.name, keys=(t.code,)) for t in settings.types],
                         placeholder="全部", id="inc-type")
            yield Label("地点", classes="inc-filter-label")
            yield Picker([Choice(p, p) for p in hall.incidents.places()], placeholder="全部",
                         id="inc-place")
        with Horizontal(id="inc-body"):
            with Vertical(id="inc-list-box"):
                yield DataTable(id="inc-list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="inc-detail-box"):
                yield Static(id="inc-detail")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.query_one("#inc-list-box").border_title = "特殊情况"
        self.query_one("#inc-detail-box").border_title = "处置经过"
        self._show_detail(None)
        table.focus()
        self._filters = self.filters()
        self.poller.start()

    def incident_context(self) -> IncidentContext:
        """F12 from here: the hall; the manager fills in the place."""
        return IncidentContext(place="大厅")

    # -- filters and polling -------------------------------------------------------------------

    def filters(self) -> tuple[date | None, str, str, str] | None:
        """(day, status, type, place) as chosen; None while the day is half typed."""
        text = self.query_one("#inc-day", Input).value.strip()
        day = None
        if text:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                return None
        return (day, self.query_one("#inc-status", Picker).value,
                self.query_one("#inc-type", Picker).value,
                self.query_one("#inc-place", Picker).value)

    @on(Input.Changed, "#inc-day")
    @on(Picker.Changed)
    def _filters_changed(self) -> None:
        day = self.query_one("#inc-day", Input)
        ok = self.filters() is not None
        day.set_class(not ok, "-invalid")
        if ok:
            self.poll(force=True)

    def poll(self, force: bool = False) -> None:
        """Reload the list in a thread when the counter moved or the filters changed."""
        filters = self.filters()
        if filters is not None:
            self._filters = filters
            self.poller.poll(force)

    def _read_list(self) -> tuple[tuple, list[IncidentSummary]]:
        """The incidents the filters ask for (in the poller's thread)."""
        filters = self._filters
        assert filters is not None
        day, status, type_, place = filters
        return filters, self.hall_app.hall.incidents.list(day=day, status=status or None,
                                                     type=type_ or None, place=place or None)

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        """The database is away: keep the picture, say so."""
        if message.error is not None:
            self.notify(f"读取失败：{type(message.error).__name__}: {message.error}",
                        markup=False, severity="error", timeout=8)

    def on_poller_changed(self, message: Poller.Changed) -> None:
        filters, rows = message.data
        if filters != self.filters():
            return  # the filters changed meanwhile; a newer read is coming
        keep = self._highlighted_id()
        changed_open = None
        if self.detail is not None:
            mine = next((r for r in rows if r.id == self.detail.summary.id), None)
            if mine is not None and (mine.entries, mine.status) != (
                    self.detail.summary.entries, self.detail.summary.status):
                changed_open = mine.id
        self.rows = rows
        self._cells = list_cells(rows, many_days=filters[0] is None)
        self._fill_table(keep)
        open_count = sum(r.status == "open" for r in rows)
        self.query_one("#inc-list-box").border_title = (
            f"特殊情况 {len(rows)} 起 · 处置中 {open_count}")
        if changed_open is not None:
            self._open(changed_open)  # someone else recorded on the open incident

    # -- the detail ----------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._open(int(event.row_key.value))

    def _open(self, incident_id: int, text: str = "") -> None:
        actor = self.hall_app.staff
        if not actor:
            self.hall_app.action_switch_staff()
            return
        self._load(incident_id, actor, text)

    def _load(self, incident_id: int, actor: str, text: str) -> None:
        hall = self.hall_app.hall
        self.run_call("open", lambda: (hall.incidents.detail(incident_id, actor), text))

    def open_done(self, done: tuple[IncidentDetail, str]) -> None:
        """An incident's detail (the view was audited), with what was just done."""
        detail, text = done
        self._busy = False
        self._show_detail(detail)
        if text:
            self.notify(text, markup=False, timeout=4)
        self.poll(force=True)

    def open_failed(self, failure: Failed) -> None:
        self._busy = False
        self.show_failure(failure, breakdown="读取失败：")

    def _show_detail(self, detail: IncidentDetail | None) -> None:
        self.detail = detail
        box = self.query_one("#inc-detail-box")
        static = self.query_one("#inc-detail", Static)
        self.refresh_bindings()
        if detail is None:
            box.border_title = "处置经过"
            static.update(Text("↑↓ 选择一起，Enter 查看处置经过（查看记入审计日志）。\n"
                               "F12 登记新的特殊情况。", style="dim"))
            return
        s = detail.summary
        box.border_title = f"第 {s.id} 号 · {s.status_label}"
        static.update(detail_text(detail))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("act", "correct", "close", "reopen") and self.detail is None:
            return None  # shown, greyed: open an incident first
        return True  # open or closed, the keys stay live: one that does not apply says why

    def _refused(self, act: str) -> bool:
        """True, said in a toast, when ``act`` does not apply to the open incident's state."""
        if self.detail is None:
            return True
        closed = self.detail.summary.status == "closed"
        text = ("该情况尚未结案，无需重开（结案按 F7）" if act == "reopen" and not closed else
                f"该情况已结案：按 F8 重开（须填写理由）后才能{act}" if act != "reopen" and closed
                else "")
        if text:
            self.notify(f"第 {self.detail.summary.id} 号：{text}", severity="warning", markup=False)
        return bool(text)

    # -- acts ----------------------------------------------------------------------------------

    def _act(self, fn: Callable[..., Any], done: str) -> None:
        """Run ``fn(actor)`` in a worker, then reload the open incident with ``done`` shown."""
        if self.detail is None or self._busy:
            return
        actor = self.hall_app.staff
        if not actor:
            self.hall_app.action_switch_staff()
            return
        self._busy = True
        self._run(self.detail.summary.id, fn, actor, done)

    def _run(self, incident_id: int, fn: Callable[..., Any], actor: str, done: str) -> None:
        hall = self.hall_app.hall

        def act() -> tuple[IncidentDetail | None, str, Exception | None]:
            fn(actor)  # one transaction: when it raises, nothing of it was written
            # Written. A failed reload must not read as a failed act: a retry would record it
            # twice.
            try:
                return hall.incidents.detail(incident_id, actor), done, None
            except Exception as exc:
                return None, done, exc

        self.run_call("act", act)

    def act_done(self, result: tuple[IncidentDetail | None, str, Exception | None]) -> None:
        detail, done, error = result
        if detail is not None:
            self.open_done((detail, done))
            return
        self._busy = False
        self.notify(f"{done}（已保存）；刷新失败：{type(error).__name__}: {error}", markup=False,
                    severity="error", timeout=8)

    def act_failed(self, failure: Failed) -> None:
        self._busy = False
        self.show_failure(failure, breakdown="操作失败，未写入：")

    def _ask(self, dialog: Any, callback: Callable[[Any], None]) -> None:
        self.app.clear_notifications()
        self.app.push_screen(dialog, callback)

    def action_act(self) -> None:
        if self.detail is None or self._refused("记录处置"):
            return
        d, settings = self.detail, self.hall_app.hall.config.incidents
        done = [c.code for c in d.chain if c.done]
        self._ask(ActionDialog(f"第 {d.summary.id} 号 · {d.summary.type_name}：记录处置",
                               settings.actions, [c.code for c in d.chain], done,
                               d.summary.next_action), self._record)

    def _record(self, form: ActionForm | None) -> None:
        if form is None or self.detail is None:
            return
        hall, incident = self.hall_app.hall, self.detail.summary.id
        action = hall.config.incidents.action_of(form.action)
        self._act(lambda actor: hall.incidents.act(incident, form.action, actor, result=form.result,
                                         note=form.note),
                  f"已记录：{action.name if action else form.action}")

    def action_correct(self) -> None:
        if self.detail is not None:
            self._ask(CorrectionDialog(self.detail), self._correct)

    def _correct(self, answer: tuple[int, str] | None) -> None:
        if answer is None or self.detail is None:
            return
        hall, incident = self.hall_app.hall, self.detail.summary.id
        seq, text = answer
        self._act(lambda actor: hall.incidents.correct(incident, seq, text, actor),
                  f"已更正 #{seq}（原记录保留）")

    def action_close(self) -> None:
        if not self._refused("结案"):
            self._ask(TextDialog(f"第 {self.detail.summary.id} 号结案", "结论（必填）",
                                 "结案须填写结论", "conclusion"), self._close)

    def _close(self, text: str | None) -> None:
        if text and self.detail is not None:
            hall, incident = self.hall_app.hall, self.detail.summary.id
            self._act(lambda actor: hall.incidents.close(incident, text, actor), "已结案")

    def action_reopen(self) -> None:
        if not self._refused("reopen"):
            self._ask(TextDialog(f"重新打开第 {self.detail.summary.id} 号", "理由（必填）",
                                 "重新打开须填写理由", "reason"), self._reopen)

    def _reopen(self, text: str | None) -> None:
        if text and self.detail is not None:
            hall, incident = self.hall_app.hall, self.detail.summary.id
            self._act(lambda actor: hall.incidents.reopen(incident, text, actor), "已重新打开")

    # -- the daily report ----------------------------------------------------------------------

    def action_report(self) -> None:
        actor = self.hall_app.staff
        if not actor:
            self.hall_app.action_switch_staff()
            return
        filters = self.filters()
        day = (filters[0] if filters else None) or self.hall_app.hall.today()
        self._report(day, actor)

    def _report(self, day: date, actor: str) -> None:
        self.run_call("report", self.hall_app.hall.incidents.report, day, actor)

    def report_done(self, report: IncidentReport) -> None:
        self._ask(ReportDialog(report, self.save_report), lambda _: None)

    def report_failed(self, failure: Failed) -> None:
        self.show_failure(failure, breakdown="读取失败：")

    def save_report(self, report: IncidentReport) -> Path | None:
        """Write the report as CSV (UTF-8 with BOM) under the data directory's reports/."""
        from config.paths import private_dir, reports_dir

        folder = reports_dir(self.hall_app.data_dir)
        path = folder / f"incidents-{report.date}.csv"
        try:
            private_dir(folder)
            save_report_csv(report, path)
        except OSError as exc:
            self.notify(f"无法写入 {path}：{exc.strerror or exc}", severity="error",
                        markup=False)
            return None
        self.notify(f"已保存：{path}", markup=False, timeout=6)
        return path
