"""The window's two case dialogs: the 接谈记录 editor (Ctrl+E) and the 约谈 (Ctrl+Y).

    self.app.push_screen(InterviewDialog(5, "R007", latest), self._recorded)
    self.app.push_screen(AppointmentDialog(5, "R007", "2026-11-24"), self._appointed)

:class:`InterviewDialog` has four multi-line fields (来访人陈述, 询问, 答复, 收到材料), opened with
the latest saved version; Ctrl+S saves a new version in a thread worker
(:meth:`hall.cases.interviews.Interviews.save`) and closes with it, Tab moves between the fields,
Esc closes without saving. :class:`AppointmentDialog` asks the date (YYYY-MM-DD, the next working
day offered), the time (HH:MM) and what for; Enter on the last field (or Ctrl+S) sets it
(:meth:`~hall.cases.appointments.Appointments.appoint`). Both check the texts with the hall's own
rule before they ask the hall, and show what the hall refuses beside the field it names; the
dialog stays open until the hall took it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from hall.cases.appointments import appointment_errors
from hall.cases.interviews import LABELS, interview_errors
from hall.desk.registration import FormError
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from hall.cases.appointments import AppointmentView
    from hall.cases.interviews import InterviewView
    from screens.app import HallApp

FIELDS = ("stated", "asked", "answered", "materials")


def _show(screen: ModalScreen[Any], names: tuple[str, ...], errors: dict[str, str]) -> None:
    for name in names:
        label = screen.query_one(f"#err-{name}", Label)
        label.update(errors.get(name, ""))
        label.display = name in errors


class _Dialog(HallWork):
    """What both dialogs share: the app, and a refusal shown beside its field."""

    names: tuple[str, ...] = ()

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", cast(Any, self).app)

    def _refused(self, failure: Failed) -> None:
        screen = cast(ModalScreen[Any], self)
        error = failure.error
        if isinstance(error, FormError) and set(error.errors) & set(self.names):
            _show(screen, self.names, error.errors)
            return
        screen.query_one("#err-general", Label).update(failure.text)
        screen.query_one("#err-general", Label).display = True


class InterviewDialog(_Dialog, ModalScreen["InterviewView | None"]):
    """接谈记录 of the window's current visit: four fields, saved as a new version."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="window_interview.cancel"),
        Binding("ctrl+s", "save", "保存", id="window_interview.save", priority=True),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"),
                                                                     (36, "-tall")]
    names = FIELDS

    def __init__(self, window: int, number: str, latest: InterviewView | None) -> None:
        super().__init__()
        self.window = window
        self.number = number
        self.latest = latest

    def compose(self) -> ComposeResult:
        version = self.latest.version if self.latest else 0
        saved = f"（已保存第 {version} 版，{self.latest.at[11:16]}）" if self.latest else ""
        with Vertical(id="interview", classes="dialog"):
            yield Label(f"接谈记录 {self.number}{saved}", classes="dialog-title")
            for name in FIELDS:
                text = getattr(self.latest, name, "") if self.latest else ""
                yield Label(LABELS[name], classes="form-caption")
                yield TextArea(text, id=f"interview-{name}", classes="interview-text",
                               compact=True, soft_wrap=True, tab_behavior="focus")
                yield Label(id=f"err-{name}", classes="dialog-error")
            yield Label(id="err-general", classes="dialog-error")
            yield Label("Tab 下一项　Ctrl+S 保存（保留每一版）　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        _show(self, (*FIELDS, "general"), {})
        self.query_one("#interview-stated", TextArea).focus()

    def values(self) -> dict[str, str]:
        """The four texts as typed."""
        return {name: self.query_one(f"#interview-{name}", TextArea).text for name in FIELDS}

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        name = (event.text_area.id or "").removeprefix("interview-")
        if name in FIELDS:
            _show(self, (name,), {})

    def action_save(self) -> None:
        texts = self.values()
        errors = interview_errors(**texts)
        _show(self, FIELDS, errors)
        if errors:
            self.query_one(f"#interview-{next(iter(errors))}", TextArea).focus()
            return
        actor = self.hall_app.staff or ""
        self.run_call("save", self.hall_app.hall.cases.interviews.save, self.window, actor,
                      exclusive=True, **texts)

    def save_done(self, view: InterviewView) -> None:
        self.dismiss(view)

    def save_failed(self, failure: Failed) -> None:
        self._refused(failure)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AppointmentDialog(_Dialog, ModalScreen["AppointmentView | None"]):
    """约谈 for the window's current visit: date, time and what for."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="window_appoint.cancel"),
        Binding("ctrl+s", "save", "约谈", id="window_appoint.save", priority=True),
    ]
    names = ("at", "note")

    def __init__(self, window: int, number: str, day: str, hour: str = "09:00") -> None:
        super().__init__()
        self.window = window
        self.number = number
        self.day = day
        self.hour = hour

    def compose(self) -> ComposeResult:
        with Vertical(id="appoint", classes="dialog"):
            yield Label(f"约谈 {self.number}：来访人另约时间再来", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("日期", classes="form-label")
                yield Input(self.day, placeholder="YYYY-MM-DD", compact=True, id="appoint-date")
            with Horizontal(classes="form-row"):
                yield Label("时间", classes="form-label")
                yield Input(self.hour, placeholder="HH:MM", compact=True, id="appoint-time")
            yield Label(id="err-at", classes="dialog-error")
            with Horizontal(classes="form-row"):
                yield Label("事由", classes="form-label")
                yield Input(placeholder="必填：约谈事由、需携带的材料", compact=True,
                            id="appoint-note")
            yield Label(id="err-note", classes="dialog-error")
            yield Label(id="err-general", classes="dialog-error")
            yield Label("工作日 08:00–18:00，90 天内　Enter 下一项/确定　Esc 取消",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        _show(self, ("at", "note", "general"), {})
        self.query_one("#appoint-note", Input).focus()

    def when(self) -> datetime | None:
        """The typed date and time in the hall's zone, or None when they do not parse."""
        text = (f"{self.query_one('#appoint-date', Input).value.strip()} "
                f"{self.query_one('#appoint-time', Input).value.strip()}")
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=self.hall_app.hall.tz)
        except ValueError:
            return None

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["appoint-date", "appoint-time", "appoint-note"]
        if event.input.id == "appoint-note" or event.input.id not in order:
            self.action_save()
            return
        self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()

    def action_save(self) -> None:
        hall = self.hall_app.hall
        when = self.when()
        note = self.query_one("#appoint-note", Input).value
        errors = appointment_errors(when, note, hall.now(), hall.tz)
        if when is None:
            errors["at"] = "日期或时间格式不对：如 2026-11-25 和 09:30"
        _show(self, ("at", "note"), errors)
        if errors:
            self.query_one("#appoint-note" if "at" not in errors else "#appoint-date",
                           Input).focus()
            return
        actor = self.hall_app.staff or ""
        self.run_call("save", hall.cases.interviews.appoint, self.window, when, note, actor,
                      exclusive=True)

    def save_done(self, view: AppointmentView) -> None:
        self.dismiss(view)

    def save_failed(self, failure: Failed) -> None:
        self._refused(failure)

    def action_cancel(self) -> None:
        self.dismiss(None)
