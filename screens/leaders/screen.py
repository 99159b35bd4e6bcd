"""The reception-day manager screen (``hall leaders``; launcher key 4).

Who uses it: the hall's manager (张主任), a few times a month to plan and publish the leaders'
days and the lawyer seat, and before each day to see how full it is and whom to call when a
leader cannot come. What they do most often is look: which leader receives when, and how full
(booked / capacity). So the month calendar is the screen, with the selected date's receptions
and their bookings (visitors masked) beside or below it:

* ←→↑↓ move through the days (into the next month too), PgUp/PgDn change month, T today.
* G plans the shown month from the rules (holidays and weekends moved, 调休 Saturdays kept) and
  publishes what falls within ``publish_days_ahead``: one key for the monthly chore.
* N adds a one-off day on the selected date; E edits the selected reception, P publishes it
  early, X cancels it with a reason and lists whom to notify; B books a visitor. R lists the
  rules in force, where N adds one and D retires one. A opens the leaders' roster (名册: add,
  edit, retire; :mod:`screens.leaders.roster`).
* Under the bookings: the cases the reception's leader took (包案), with state and due date
  (:mod:`screens.leaders.cases`); the case screen (launcher key 6) takes their steps.
* Tab moves between the calendar and the date's receptions (when a date has several, ↑↓ there
  picks which one the keys act on); L switches to a list of the month's days.
* S saves the published schedule of the month as CSV and iCalendar (.ics) in the data folder.

Looking at a date costs one key per day moved; planning a month is one key. Other terminals'
bookings appear within a second (the ``leaders`` change counter is polled by a
:class:`screens.work.Poller`). Every call runs through :meth:`screens.work.HallWork.run_call`: a
refusal or a database failure is shown in Chinese and the screen stays usable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from hall.leaders.schedule import day_note, month_bounds
from hall.leaders.views import UNCHECKED, DayDetail, LeaderDayView, LeaderInfo
from screens.dialogs import NoticeDialog, ReasonDialog
from screens.leaders.cases import LeaderCases
from screens.leaders.dialogs import DayFormDialog, cancel_notice
from screens.leaders.month import MonthData, bookings_text, read_month
from screens.leaders.monthgrid import UNCHECKED_MARK, MonthGrid
from screens.leaders.roster import RosterDialog
from screens.leaders.rules import RuleListDialog
from screens.widgets.footer import KeyFooter
from screens.widgets.topbar import TopBar
from screens.work import Failed, HallWork, Poller

if TYPE_CHECKING:
    from screens.app import HallApp


class LeadersScreen(HallWork, Screen[None]):
    """Plan, publish and watch the reception days of a month."""

    CSS_PATH = "leaders.tcss"
    AUTO_FOCUS = "#month-grid"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the month list (a DataTable) would take PgUp/PgDn for its own paging.
        Binding("pageup", "month(-1)", "上月", show=False, id="leaders.prev_month", priority=True),
        Binding("pagedown", "month(1)", "下月", show=False, id="leaders.next_month", priority=True),
        Binding("escape", "close_list", "日历", show=False, id="leaders.calendar"),
        Binding("t", "today", "今天", show=False, id="leaders.today"),
        Binding("g", "plan", "生成", show=False, id="leaders.plan"),  # named in the title
        Binding("n", "add_day", "新增", id="leaders.add_day"),
        Binding("e", "edit_day", "修改", id="leaders.edit_day"),
        Binding("p", "publish", "发布", show=False, id="leaders.publish"),
        Binding("x", "cancel_day", "取消", id="leaders.cancel_day"),
        Binding("b", "book", "预约", id="leaders.book"),
        Binding("r", "rules", "规则", id="leaders.rules"),
        Binding("a", "roster", "名册", show=False, id="leaders.roster"),  # named in the title
        Binding("l", "toggle_list", "列表", id="leaders.list"),
        Binding("s", "export", "导出", id="leaders.export"),
        Binding("f10", "app.switch_mode('launcher')", "工作台", id="leaders.launcher"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: MonthData | None = None
        self.selected = date(2000, 1, 1)

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        self.set_class(self.app.size.width >= 120, "-wide")
        yield TopBar("领导接待日")
        with Horizontal(id="leaders-body"):
            with Vertical(id="leaders-left"):
                yield Label(id="month-title")
                yield MonthGrid(id="month-grid")
                yield DataTable(id="month-list", cursor_type="row", zebra_stripes=True)
            with Vertical(id="leaders-right"):
                yield Label(id="date-title")
                yield OptionList(id="date-days")
                yield Static(id="day-bookings")
                yield LeaderCases(id="leader-cases")
        yield KeyFooter(compact=True)  # 80 columns keep ^q 退出 and f12 特殊情况

    def on_mount(self) -> None:
        today = self.hall_app.hall.today()
        grid = self.query_one(MonthGrid)
        grid.today = today
        self.selected = today
        grid.selected = today
        table = self.query_one("#month-list", DataTable)
        table.add_columns("编号", "日期", "时间", "接待人", "地点", "预约", "状态")
        table.display = False
        self.poller = Poller(self, lambda: read_month(self.hall_app.hall, self.selected),
                             topics=("leaders",), name="leaders")
        self.poller.start()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 120, "-wide")

    # -- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the selected date's month and details again."""
        self.run_call("load", read_month, self.hall_app.hall, self.selected, exclusive=True)

    def on_poller_changed(self, message: Poller.Changed) -> None:
        if message.data.year == self.selected.year and message.data.month == self.selected.month:
            self.load_done(message.data)

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        if message.text:
            self.notify(f"数据库暂时无法连接，正在重试：{message.text}", severity="error",
                        markup=False, timeout=5)

    def load_failed(self, failure: Failed) -> None:
        self.show_failure(failure, "读取失败：")

    def load_done(self, data: MonthData) -> None:
        self.data = data
        by_date: dict[date, list[LeaderDayView]] = defaultdict(list)
        for d in data.days:
            by_date[date.fromisoformat(d.date)].append(d)
        grid = self.query_one(MonthGrid)
        grid.show(data.year, data.month, dict(by_date))
        self.query_one("#month-title", Label).update(Text.assemble(
            (f"{data.year}年{data.month}月", "bold"),
            f"　接待日 {sum(d.status != 'cancelled' for d in data.days)} 个",
            (f"　{UNCHECKED_MARK}：{UNCHECKED}" if any(d.calendar_note for d in data.days)
             else "", "yellow"),
            ("　PgUp/PgDn 换月　G 按规则生成并发布　A 名册", "dim")))
        self._fill_list(data.days)
        self._show_date(data.details)

    def _fill_list(self, days: tuple[LeaderDayView, ...]) -> None:
        table = self.query_one("#month-list", DataTable)
        table.clear()
        for d in days:
            table.add_row(str(d.id), d.date[5:], f"{d.start}–{d.end}", d.leader_label, d.room,
                          f"{d.booked}/{d.capacity}" + (f"+{d.waitlisted}" if d.waitlisted
                                                        else ""),
                          " ".join(x for x in (d.status_label, d.calendar_note) if x),
                          key=str(d.id))

    def _show_date(self, details: tuple[DayDetail, ...]) -> None:
        day = self.selected
        weekday = "一二三四五六日"[day.weekday()]
        note = day_note(day)
        self.query_one("#date-title", Label).update(Text.assemble(
            (f"{day.isoformat()} 周{weekday}", "bold"), (f"　{note}" if note else "", "yellow")))
        options = self.query_one("#date-days", OptionList)
        keep = options.highlighted
        options.clear_options()
        for detail in details:
            d = detail.day
            line = Text.assemble((f"{d.start}–{d.end} ", "bold"), (d.leader_label, "bold"),
                                 f" {d.room} ", (f"{d.booked}/{d.capacity}", "bold"),
                                 f" {d.status_label}",
                                 (f" {d.calendar_note}" if d.calendar_note else "", "yellow"))
            if d.waitlisted:
                line.append(f" 候补{d.waitlisted}", style="yellow")
            options.add_option(Option(line, id=str(d.id)))
        if not details:
            options.add_option(Option(Text("这一天没有接待日（N 新增）", style="dim"),
                                      disabled=True))
        options.highlighted = min(keep or 0, max(0, len(details) - 1))
        self._show_bookings()

    def _show_bookings(self) -> None:
        detail = self.current_detail()
        self.query_one("#day-bookings", Static).update(bookings_text(detail) if detail
                                                       else Text())
        day = detail.day if detail else None  # the leader's cases (包案) below the bookings
        self.query_one(LeaderCases).show(day.leader if day else "",
                                         day.leader_label if day else "")

    @on(OptionList.OptionHighlighted, "#date-days")
    def _day_highlighted(self) -> None:
        self._show_bookings()

    def current_detail(self) -> DayDetail | None:
        """The reception the keys act on: the highlighted one of the selected date."""
        if self.query_one("#month-list", DataTable).display:
            return self._list_detail()
        if self.data is None or not self.data.details:
            return None
        index = self.query_one("#date-days", OptionList).highlighted or 0
        return self.data.details[min(index, len(self.data.details) - 1)]

    def _list_detail(self) -> DayDetail | None:
        table = self.query_one("#month-list", DataTable)
        if self.data is None or not self.data.days:
            return None
        day = self.data.days[min(table.cursor_row, len(self.data.days) - 1)]
        found = next((x for x in self.data.details if x.day.id == day.id), None)
        return found or DayDetail(day, ())

    @on(DataTable.RowHighlighted, "#month-list")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one("#month-list", DataTable)
        if not table.display or self.data is None or event.cursor_row >= len(self.data.days):
            return  # filling the hidden list highlights its first row: not a choice
        picked = date.fromisoformat(self.data.days[event.cursor_row].date)
        if picked != self.selected:
            self.selected = picked
            self.query_one(MonthGrid).selected = picked
            self.reload()

    # -- moving ---------------------------------------------------------------------------------

    @on(MonthGrid.Moved)
    def _moved(self, event: MonthGrid.Moved) -> None:
        self._select(event.selected)

    def _select(self, day: date) -> None:
        self.selected = day
        self.query_one(MonthGrid).selected = day
        data = self.data
        if (data is not None and (day.year, day.month) == (data.year, data.month)
                and not any(d.date == day.isoformat() for d in data.days)):
            # Nothing on that date: no need to ask the database.
            self.data = replace(data, details=())
            self._show_date(())
            return
        self.reload()

    def action_month(self, delta: int) -> None:
        first = self.selected.replace(day=1)
        target = (first + timedelta(days=32 * delta if delta > 0 else -1)).replace(day=1)
        last = month_bounds(target.year, target.month)[1]
        self._select(target.replace(day=min(self.selected.day, last.day)))

    def action_today(self) -> None:
        self._select(self.hall_app.hall.today())

    def action_close_list(self) -> None:
        """Esc in the month's list: back to the calendar."""
        if self.query_one("#month-list", DataTable).display:
            self.action_toggle_list()

    def action_toggle_list(self) -> None:
        table = self.query_one("#month-list", DataTable)
        grid = self.query_one(MonthGrid)
        table.display = not table.display
        grid.display = not table.display
        (table if table.display else grid).focus()

    # -- acts -----------------------------------------------------------------------------------

    def _staff(self) -> str | None:
        if not self.hall_app.staff:
            self.hall_app.action_switch_staff()
            return None
        return self.hall_app.staff

    def action_plan(self) -> None:
        actor = self._staff()
        if not actor:
            return
        hall, year, month = self.hall_app.hall, self.selected.year, self.selected.month

        def plan_and_publish() -> tuple[int, int, Any, list[LeaderDayView]]:
            planned = hall.leaders.plan.month(year, month, actor)
            return year, month, planned, hall.leaders.plan.publish_due(actor)

        self.run_call("plan", plan_and_publish)

    def plan_done(self, done: tuple[int, int, Any, list[LeaderDayView]]) -> None:
        year, month, result, published = done
        text = f"{year}年{month}月生成 {len(result.created)} 个接待日，发布 {len(published)} 个"
        self._after(text, "warning" if result.warnings else "information",
                    "\n".join(result.warnings))

    def plan_failed(self, failure: Failed) -> None:
        self.show_failure(failure, "生成失败：")

    def _after(self, text: str, severity: str = "information", more: str = "") -> None:
        self.notify(text + (f"\n{more}" if more else ""), severity=severity,  # type: ignore[arg-type]
                    timeout=8 if more else 4)
        self.reload()

    def action_add_day(self) -> None:
        if not self._roster():
            self.notify("名册中没有可安排的领导：按 A 打开名册添加或恢复", severity="warning")
        elif self._staff():
            self.app.push_screen(DayFormDialog(self.selected, leaders=self._roster()),
                                 self._day_saved)

    def action_edit_day(self) -> None:
        detail = self.current_detail()
        if detail is None:
            self.notify("这一天没有可修改的接待日", severity="warning")
        elif self._staff():
            self.app.push_screen(DayFormDialog(self.selected, detail.day, self._roster()),
                                 self._day_saved)

    def _day_saved(self, day: LeaderDayView | None) -> None:
        if day is not None:
            self._after(f"已保存：{day.date} {day.leader_label}（{day.status_label}）")

    def action_rules(self) -> None:
        if self._staff():
            self.app.push_screen(RuleListDialog(self._roster()), lambda changed: changed
                                 and self._after("规则已更新：按 G 按新规则生成本月接待日"))

    def _roster(self) -> tuple[LeaderInfo, ...]:
        return self.data.leaders if self.data else ()

    def action_roster(self) -> None:
        if self._staff():
            self.app.push_screen(RosterDialog(), lambda changed: changed and self.reload())

    def action_publish(self) -> None:
        detail = self.current_detail()
        if detail is not None and self._staff():
            self._act(self.hall_app.hall.leaders.plan.publish_day, detail.day.id, done="已发布")

    def action_cancel_day(self) -> None:
        detail = self.current_detail()
        if detail is None or not self._staff():
            return
        d = detail.day
        what = (f"{d.date} {d.start}–{d.end} {d.leader_label}（已预约 {d.booked} 人，"
                f"候补 {d.waitlisted} 人）")
        self.app.push_screen(ReasonDialog(what),
                             lambda reason: reason and self._cancel(d.id, reason))

    def _cancel(self, day_id: int, reason: str) -> None:
        hall, actor = self.hall_app.hall, self.hall_app.staff or ""
        self.run_call("cancel", lambda: (hall.leaders.cancel_day(day_id, reason, actor), reason))

    def cancel_done(self, done: tuple[Any, str]) -> None:
        self.reload()
        self.app.push_screen(NoticeDialog("接待日已取消", cancel_notice(*done)))

    def cancel_failed(self, failure: Failed) -> None:
        self.notify(failure.text, severity="error", markup=False)

    def _act(self, fn: Any, day_id: int, done: str) -> None:
        actor = self.hall_app.staff or ""
        self.run_call("act", lambda: (done, fn(day_id, actor)))

    def act_done(self, done: tuple[str, LeaderDayView]) -> None:
        text, view = done
        self._after(f"{text}：{view.date} {view.leader_label}")

    def act_failed(self, failure: Failed) -> None:
        self.notify(failure.text, severity="error", markup=False)

    def action_book(self) -> None:
        from screens.dialogs.booking import BookingDialog

        detail = self.current_detail()
        if self._staff():
            self.app.push_screen(BookingDialog(day_id=detail.day.id if detail else None),
                                 lambda _: self.reload())

    def action_export(self) -> None:
        from config.paths import exports_dir
        from hall.export import save_month

        app = self.hall_app
        folder = exports_dir(app.data_dir)
        self.run_call("export", save_month, app.hall, self.selected.year, self.selected.month,
                      folder)

    def export_done(self, done: tuple[int, str]) -> None:
        count, stem = done
        self.notify(f"已导出 {count} 个接待日：\n{stem}.csv\n{stem}.ics", timeout=8)

    def export_failed(self, failure: Failed) -> None:
        error = failure.error
        text = str(error) if isinstance(error, OSError) else failure.text
        self.notify(f"导出失败：{text}", severity="error", markup=False)
