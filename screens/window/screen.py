"""The window screen (`hall window N`): call the next visitor, interview, finish or transfer.

Who uses it: the staff of one service window (窗口), all day, with visitors in front of them and
the hall board calling out their numbers. The most frequent action, by far, is calling the next
ticket, dozens of times a day: one key, F5, nothing else. Then the visitor arrives (F7), is
heard, and the visit is finished with its outcome (F8, a digit, Enter) or transferred (F9).

What it shows: on top the window, its departments and whether it serves or is paused (the bar
turns red when paused). Left, the current visitor: the number large with its state, call time
and recalls, then what the window needs from the registration (name, sex and age, masked ID
number, masked phone and address, district, category, matter, request, people and masked
representatives, priority, repeat mark, earlier visits with their outcomes); it scrolls on a
small terminal. Right, the waiting list in call order (number, minutes waited, masked name,
priority / 集N / 重 marks; from 120 columns also the issue time and, for a window serving
several departments, the department), and under it the window's 约谈 for today (^Y sets one).

Keys (bindings with ids; all but F2, F3, F4, F11, F12 in the footer, ^E and ^Y while a visitor is
current; F2 in the state bar beside the state it changes, F12 beside it, F11 beside a recused
visitor, so the footer fits 80 columns):

=====  ========  ==============================================================================
F5     叫号      call the next ticket (priority, then issue time) of the window's departments
F6     重呼      call the current visitor again; the board shows and speaks it again
F7     接谈      the visitor has arrived: the interview starts
F8     办结      finish with the outcome: a digit picks it, Enter; refusals need reason+channel;
                 an outcome that opens a case shows the case and asks its unit (.casekeys)
^E     接谈记录  the interview record: stated, asked, answered, materials; every save a version
^Y     约谈      a follow-up appointment (date, time, what for); today's are under the queue
F9     转办      transfer to another department (search by name or pinyin initials), confirmed;
                 the visitor keeps the ticket number and the original place in order
F3     过号      no-show, confirmed; only once the configured rule allows it, else says when
                 (shown beside the visitor's state: 可过号 F3)
F4     指定叫号  call a given number (Enter on a line of the waiting list does the same); not in
                 the footer, which keeps its room for ^E and ^Y
F2     暂停      pause the window (it calls nobody); F2 again resumes (恢复)
F11    回避      recuse from the current visitor, with a reason: back to the queue, original place
F10    工作台    back to the launcher (F10 does that on every screen, so pause is not on it)
F12    特殊情况  log a special situation, prefilled with this window and the current visitor
^R     显示完整  the masked ID number, phone and address in full, audited (screens.window.reveal)
=====  ========  ==============================================================================

Every act runs in a thread worker through the facade (:meth:`screens.work.HallWork.run_call`);
a refusal or a database failure appears as a notification in Chinese. A :class:`Poller` reloads
the view only when the change counter moved (or the minute turned). The current visitor lives in
the database: a restarted terminal finds it again. F11: screens.window.recusal, ^R: .reveal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static

from hall.views import WindowView
from screens.resume import StyledWhileShown
from screens.widgets.footer import KeyFooter
from screens.widgets.topbar import TopBar
from screens.window.casekeys import CASE_ACTIONS, CASE_BINDINGS, CaseKeys
from screens.window.dialogs import CallNumberDialog, ConfirmDialog, WindowPickDialog
from screens.window.forms import TransferForm
from screens.window.recusal import RecusalKey
from screens.window.reveal import RevealKey
from screens.window.transfer import TransferDialog
from screens.window.visit import CurrentVisitPanel
from screens.window.waiting import WaitingList, appointments_text
from screens.work import Failed, HallWork, Poller

if TYPE_CHECKING:
    from screens.app import HallApp
    from screens.incidents.form import IncidentContext

Key = tuple[int, date, int]
"""What a loaded view depends on: change counter, business day, minute of the clock."""


class WindowScreen(RecusalKey, CaseKeys, StyledWhileShown, HallWork, RevealKey):
    """One service window: its current visitor and its waiting list."""

    CSS_PATH = "window.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (120, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in the state bar beside the state they change, which leaves the footer room.
        Binding("f2", "pause", "暂停", id="window.pause", show=False),
        Binding("f2", "resume", "恢复", id="window.resume", show=False),
        # Shown beside the visitor's state once the rule allows it (可过号 F3).
        Binding("f3", "no_show", "过号", id="window.no_show", show=False),
        # Enter on a waiting line does the same: the footer keeps its room for ^E and ^Y.
        Binding("f4", "call_number", "指定叫号", id="window.call_number", show=False),
        Binding("f5", "call_next", "叫号", id="window.call_next"),
        Binding("f6", "recall", "重呼", id="window.recall"),
        Binding("f7", "start", "接谈", id="window.start"),
        Binding("f8", "finish", "办结", id="window.finish"),
        Binding("f9", "transfer", "转办", id="window.transfer"),
        *CASE_BINDINGS,
        Binding("f10", "app.switch_mode('launcher')", "工作台", id="window.launcher"),
        Binding("f11", "recuse", "回避", id="window.recuse", show=False),  # beside the visitor
        # The app's special-situation key, shown in the state bar: the footer is full at 80.
        Binding("f12", "app.log_incident", "特殊情况", id="window.incident", show=False,
                priority=True),
    ]

    def __init__(self, number: int | None = None) -> None:
        super().__init__()
        self.number = number
        self.view: WindowView | None = None
        self._seen: Key | None = None
        self.poller = Poller(self, lambda: self._read(self.number or 0),
                             topics=("tickets", "cases"), key=self._minute, name="window")
        self._busy = False
        self._trouble = ""

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar("窗口接谈")
        with Horizontal(id="win-head"):
            yield Label(id="win-title")
            yield Label(id="win-state")
        with Horizontal(id="win-body"):
            yield CurrentVisitPanel(id="current")
            with Vertical(id="waiting"):
                header = Static(id="waiting-header")
                yield header
                yield WaitingList(header=header, id="waiting-list")
                yield Static(id="appointments")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#waiting").border_title = "候谈"
        self.query_one(WaitingList).focus()  # arrows pick a line, Enter calls that number
        if self.number is None:
            self.number = getattr(self.app, "window", None)
        if self.number is None:
            member = self.hall_app.hall.config.staff_member(self.hall_app.staff or "")
            self.app.push_screen(WindowPickDialog(self.hall_app.hall.config,
                                                  member.department if member else None),
                                 self._picked)
        else:
            self._begin()

    def _picked(self, number: int | None) -> None:
        if number is None:
            self.app.switch_mode("launcher")
            return
        self.number = number
        self._begin()

    def _begin(self) -> None:
        assert self.number is not None
        spec = self.hall_app.hall.windows.spec(self.number)
        config = self.hall_app.hall.config
        names = "、".join(d.name for code in spec.departments
                         if (d := config.department(code)) is not None)
        self.query_one("#win-title", Label).update(f"[b]{spec.title}[/b]　{names}")
        self.poller.start()

    # -- polling -------------------------------------------------------------------------------

    def poll(self, force: bool = False) -> None:
        """Look for changes now; ``force`` reloads the view even when nothing moved."""
        if self.number is not None:
            self.poller.poll(force)

    def _minute(self) -> int:
        return int(self.hall_app.hall.now().timestamp() // 60)

    def _key(self) -> Key:
        hall = self.hall_app.hall
        return hall.change_version(), hall.today(), self._minute()

    def _read(self, number: int) -> tuple[WindowView, Key]:
        """The window's view and what it depends on (call inside a connection context)."""
        key = self._key()  # read first: the view is at least this fresh
        return self.hall_app.hall.windows.view(number, viewer=self.hall_app.staff or ""), key

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        """The database is away: keep the last picture, say so, keep trying."""
        self._trouble = message.text
        if self.view is not None:
            self._show_state(self.view)

    def on_poller_changed(self, message: Poller.Changed) -> None:
        self._apply(*message.data)

    def _apply(self, view: WindowView, key: Key) -> None:
        if self._seen is not None and key[1] == self._seen[1] and key[0] < self._seen[0]:
            return  # an older read overtaken by a newer one
        self._seen = key
        was = (self.view.paused, self.view.current is None) if self.view is not None else None
        self.view = view
        self._show_state(view)
        scale = 2 if self.size.width >= 140 and self.size.height >= 40 else 1
        self.query_one(CurrentVisitPanel).show(view.current, view.paused, len(view.waiting),
                                               scale, year=key[1].year)
        waiting = self.query_one(WaitingList)
        waiting.show(view.waiting, several_departments=len(view.departments) > 1)
        self.query_one("#waiting").border_title = f"候谈 {len(view.waiting)} 人"
        self.query_one("#appointments", Static).update(appointments_text(view))
        self.query_one("#appointments").display = bool(view.appointments)
        if (view.paused, view.current is None) != was:
            self.refresh_bindings()  # F2 pauses or resumes, ^E ^Y need a visitor (check_action)

    def _show_state(self, view: WindowView) -> None:
        head = self.query_one("#win-head")
        head.set_class(view.paused, "-paused")
        head.set_class(bool(self._trouble), "-trouble")
        state = "[b]‖ 已暂停[/b]　F2 恢复服务" if view.paused else "● 服务中　[dim]F2 暂停[/]"
        state += " [dim]F12 特殊情况[/]"
        if self._trouble:
            state = "[b]数据库暂时无法连接，正在重试[/b]　" + state
        self.query_one("#win-state", Label).update(f"{state}　候谈 {len(view.waiting)} 人")

    def on_resize(self) -> None:
        if self.view is not None:
            self.call_after_refresh(self._apply, self.view, self._seen or (0, date.min, 0))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        paused = bool(self.view and self.view.paused)
        if action == "pause":
            return not paused
        if action == "resume":
            return paused
        if action in CASE_ACTIONS:
            return bool(self.view and self.view.current)
        return True

    # -- acts ----------------------------------------------------------------------------------

    def _act(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], str]) -> None:
        """Run ``fn(window, *args, actor)`` in a worker; report and reload afterwards."""
        if self.number is None:
            return
        if self._busy:
            self.notify("上一步操作尚未完成，请稍候", timeout=2)
            return
        actor = self.hall_app.staff
        if not actor:
            self.hall_app.action_switch_staff()
            return
        self._busy = True
        self._run(self.number, fn, args, actor, done)

    def _run(self, number: int, fn: Callable[..., Any], args: tuple[Any, ...], actor: str,
             done: Callable[[Any], str]) -> None:
        def act() -> tuple[str, WindowView, Key]:
            result = fn(number, *args, actor=actor)
            return done(result), *self._read(number)

        self.run_call("act", act)

    def act_done(self, done: tuple[str, WindowView, Key]) -> None:
        text, view, key = done
        self._busy = False
        self._apply(view, key)
        self.notify(text, markup=False, timeout=4)

    def act_failed(self, failure: Failed) -> None:
        self._busy = False
        self.show_failure(failure, breakdown="操作失败：")  # the screen stays usable
        self.poll(force=True)

    def _ask(self, dialog: Any, callback: Callable[[Any], None]) -> None:
        """Open a dialog; notifications would cover it at 80x24, so they go first."""
        self.app.clear_notifications()
        self.app.push_screen(dialog, callback)

    def _title(self) -> str:
        return self.hall_app.hall.windows.spec(self.number or 0).title

    def action_call_next(self) -> None:
        title = self._title()
        self._act(self.hall_app.hall.windows.call_next, done=lambda notice: (
            f"请 {notice.number} 号到{title}" if notice else "当前没有候谈的来访"))

    def action_recall(self) -> None:
        self._act(self.hall_app.hall.windows.recall,
                  done=lambda notice: f"重呼：请 {notice.number} 号到{self._title()}")

    def action_start(self) -> None:
        current = self.view.current if self.view else None
        number = current.number if current else ""
        self._act(self.hall_app.hall.windows.start_interview, done=lambda _: f"{number} 开始接谈")

    def action_pause(self) -> None:
        self._act(self.hall_app.hall.windows.pause,
                  done=lambda _: f"{self._title()}已暂停，不再叫号")

    def action_resume(self) -> None:
        self._act(self.hall_app.hall.windows.resume, done=lambda _: f"{self._title()}已恢复服务")

    def action_call_number(self, number: str = "") -> None:
        if self.view is None:
            return
        prefixes = [d.prefix for code in self.view.departments
                    if (d := self.hall_app.hall.config.department(code)) is not None]
        suggested = number or self.query_one(WaitingList).highlighted_number
        self._ask(CallNumberDialog(prefixes, suggested), self._call_number)

    def _call_number(self, number: str | None) -> None:
        if number:
            title = self._title()
            self._act(self.hall_app.hall.windows.call_number, number,
                      done=lambda notice: f"请 {notice.number} 号到{title}")

    @on(OptionList.OptionSelected, "#waiting-list")
    def _waiting_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_call_number(event.option.id or "")

    def incident_context(self) -> IncidentContext:
        """F12 (special situation): this window, its current ticket and visitor."""
        from hall.text.masking import mask_name
        from screens.incidents.form import IncidentContext

        current = self.view.current if self.view else None
        place = self._title() if self.number is not None else "窗口"
        if current is None:
            return IncidentContext(place=place)
        return IncidentContext(place=place, ticket=current.number,
                               visitor=f"{mask_name(current.name)}（{current.number}）")

    def _need_current(self, act: str) -> bool:
        if self.view is None or self.view.current is None:
            self.notify(f"{self._title()}当前没有来访，无法{act}", severity="warning",
                        markup=False)
            return False
        return True

    def action_transfer(self) -> None:
        if not self._need_current("转办"):
            return
        current = self.view.current  # type: ignore[union-attr]
        assert current is not None
        self._ask(TransferDialog(self.hall_app.hall.config.departments, current.department,
                                 current.number),
                  lambda form: self._confirm_transfer(current.number, form))

    def _confirm_transfer(self, number: str, form: TransferForm | None) -> None:
        if form is None:
            return
        dept = self.hall_app.hall.config.department(form.department)
        name = dept.name if dept else form.department
        message = (f"将 {number} 转办至「{name}」？\n来访人保留票号 {number} 和原排队顺序，"
                   "本窗口随即空闲。")
        self._ask(ConfirmDialog("确认转办", message, "转办"),
                  lambda yes: self._transfer(form, name) if yes else None)

    def _transfer(self, form: TransferForm, name: str) -> None:
        hall = self.hall_app.hall

        def transfer(window: int, *, actor: str) -> str:
            return hall.windows.transfer(window, form.department, actor, note=form.note)

        self._act(transfer, done=lambda number: f"{number} 已转办至{name}，保留原排队顺序")

    def action_no_show(self) -> None:
        if self.number is not None and not self._busy:
            self._check_no_show(self.number)  # the rule depends on the time: ask afresh

    def _check_no_show(self, number: int) -> None:
        self.run_call("no_show_check", self._read, number)

    def no_show_check_done(self, done: tuple[WindowView, Key]) -> None:
        self._apply(*done)
        self._ask_no_show(done[0])

    def no_show_check_failed(self, failure: Failed) -> None:
        self.show_failure(failure, breakdown="读取失败：")
        self.poll(force=True)

    def _ask_no_show(self, view: WindowView) -> None:
        current = view.current
        if current is None or current.status != "called":
            text = (f"{self._title()}当前没有来访，无法过号" if current is None
                    else f"{current.number} 已在接谈，无法过号")
            self.notify(text, severity="warning", markup=False)
            return
        if not current.no_show_allowed:
            self.notify(current.no_show_hint, severity="warning", markup=False, timeout=6)
            return
        message_text = (f"{current.number} 已重呼 {current.recalls} 次仍未到，确认过号？\n"
                        "过号后可到登记台重新排队（保留原顺序）。")
        self._ask(ConfirmDialog("确认过号", message_text, "过号"),
                  lambda yes: self._act(self.hall_app.hall.windows.no_show,
                                        done=lambda n: f"{n} 已过号") if yes else None)
