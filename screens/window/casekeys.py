"""The window's case keys: 接谈记录 (Ctrl+E), 约谈 (Ctrl+Y), and 办结 (F8) that opens a case.

    class WindowScreen(CaseKeys, ..., Screen[None]): ...

Ctrl+E reads the latest 接谈记录 of the current visit (a worker; the read is audited) and opens
the editor with it (:class:`~screens.window.casework.InterviewDialog`); saving keeps every
version. Ctrl+Y sets a follow-up appointment (约谈) with a date, a time and what for
(:class:`~screens.window.casework.AppointmentDialog`, the next working day offered); the
window's appointments for today are listed under its waiting list. Both keys are in the footer
while a visitor is current (there is nothing to record otherwise). Ctrl+D saves the latest
接谈记录 as a PDF in the exports folder for the visitor to confirm and sign (audited).

F8 finishes with the outcome (:class:`~screens.window.forms.OutcomeDialog`); an outcome that
opens a case shows what it opens (the unit, the acceptance and handling due dates, or the open
case the visit joins) and asks the unit: the outside unit's name for 转送, a department for the
others (the visit's when left empty). The success message names the case: 「已办结 R007，已立案：
江信〔2026〕第 0137 号」.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType
from textual.screen import Screen

from hall.leaders.schedule import working_day
from screens.widgets.saving import save_pdf
from screens.window.casework import AppointmentDialog, InterviewDialog
from screens.window.forms import FinishForm, OutcomeDialog
from screens.work import Failed

if TYPE_CHECKING:
    from hall.cases.appointments import AppointmentView
    from hall.cases.interviews import InterviewView
    from hall.windows.acts import Finished

CASE_ACTIONS = frozenset({"interview", "appoint", "print_interview"})
"""The actions that need a current visitor to be offered at all."""

CASE_BINDINGS: list[BindingType] = [
    Binding("ctrl+e", "interview", "接谈记录", id="window.interview",
            tooltip="记录来访人陈述、询问、答复和收到的材料；每次保存留一版"),
    Binding("ctrl+y", "appoint", "约谈", id="window.appoint",
            tooltip="未能办结或需补材料：约定日期和时间再来"),
    Binding("ctrl+d", "print_interview", "打印接谈记录", id="window.print_interview",
            show=False),
]
"""^E and ^Y: in the window's footer after F9 while a visitor is current."""


def next_working_day(today: date) -> date:
    """The first working day after ``today`` (the appointment dialog offers it)."""
    day = today + timedelta(days=1)
    while not working_day(day)[0]:
        day += timedelta(days=1)
    return day


class CaseKeys(Screen[None]):
    """Ctrl+E, Ctrl+Y and F8 of :class:`screens.window.screen.WindowScreen` (which provides
    ``view``, ``number``, ``hall_app``, ``_act``, ``_ask``, ``_need_current``, ``poll`` and
    ``run_call``)."""

    # -- 接谈记录 -----------------------------------------------------------------------------

    def action_interview(self) -> None:
        """Open the 接谈记录 editor with the latest saved version."""
        screen: Any = self
        if not screen._need_current("记录接谈"):
            return
        current = screen.view.current
        viewer = screen.hall_app.staff or ""
        screen.run_call("interview_latest", screen.hall_app.hall.cases.interviews.latest,
                        current.visit_id, viewer, exclusive=True)

    def interview_latest_done(self, latest: InterviewView | None) -> None:
        screen: Any = self
        current = screen.view.current if screen.view else None
        if current is None or screen.number is None:
            return
        screen._ask(InterviewDialog(screen.number, current.number, latest), self._recorded)

    def interview_latest_failed(self, failure: Failed) -> None:
        self.notify(failure.text, severity="warning", markup=False)

    def _recorded(self, view: InterviewView | None) -> None:
        if view is not None:
            self.notify(f"接谈记录已保存（第 {view.version} 版）；Ctrl+D 打印供来访人确认签名",
                        markup=False, timeout=6)
            self.poll(force=True)  # type: ignore[attr-defined]

    def action_print_interview(self) -> None:
        """Print the current visit's latest 接谈记录 (PDF in the exports folder) for the
        visitor to confirm and sign; each print is audited."""
        from config.paths import exports_dir

        screen: Any = self
        if not screen._need_current("打印接谈记录"):
            return
        hall, actor = screen.hall_app.hall, screen.hall_app.staff or ""
        visit_id, folder = screen.view.current.visit_id, exports_dir(screen.hall_app.data_dir)
        screen.run_call("print_interview", lambda: save_pdf(
            hall.cases.documents.render_interview(visit_id, actor), folder), exclusive=True)

    def print_interview_done(self, path: Path) -> None:
        self.notify(f"接谈记录已保存：{path}（打印后请来访人确认签名）", markup=False,
                    timeout=8)

    def print_interview_failed(self, failure: Failed) -> None:
        self.notify(failure.text, severity="warning", markup=False)

    # -- 约谈 -----------------------------------------------------------------------------------

    def action_appoint(self) -> None:
        """Set a follow-up appointment for the current visit."""
        screen: Any = self
        if not screen._need_current("约谈"):
            return
        day = next_working_day(screen.hall_app.hall.now().astimezone(
            screen.hall_app.hall.tz).date())
        screen._ask(AppointmentDialog(screen.number, screen.view.current.number, str(day)),
                    self._appointed)

    def _appointed(self, view: AppointmentView | None) -> None:
        if view is not None:
            on_case = f"（{view.case_number}）" if view.case_number else ""
            self.notify(f"已约谈：{view.at} 到{self.number}号窗口{on_case}",  # type: ignore[attr-defined]
                        markup=False, timeout=5)
            self.poll(force=True)  # type: ignore[attr-defined]

    # -- 办结 -----------------------------------------------------------------------------------

    def action_finish(self) -> None:
        screen: Any = self
        if not screen._need_current("办结"):
            return
        current = screen.view.current
        screen._ask(OutcomeDialog(screen.hall_app.hall.config.outcomes, current.number,
                                  current.name, visit_id=current.visit_id), self._finish)

    def _finish(self, form: FinishForm | None) -> None:
        if form is None:
            return
        screen: Any = self
        hall = screen.hall_app.hall
        spec = hall.config.outcome(form.outcome)
        name = spec.name if spec else form.outcome

        def finish(window: int, *, actor: str) -> Finished:
            return hall.windows.finish_visit(window, form.outcome, actor, note=form.note,
                                             reason=form.reason, channel=form.channel,
                                             unit=form.unit)

        screen._act(finish, done=lambda done: finished_text(done, name))


def finished_text(done: Finished, outcome_name: str) -> str:
    """What the window says once a visit is finished: the case it opened or joined, if any."""
    if done.case is None:
        return f"{done.number} 已办结：{outcome_name}"
    if done.case.new:
        return f"已办结 {done.number}，已立案：{done.case.number}"
    return f"已办结 {done.number}，已记入 {done.case.number}"
