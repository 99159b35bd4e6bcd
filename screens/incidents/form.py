"""The incident form (登记特殊情况): opened by F12 from any staff screen, saved with one key.

Who uses it: whoever is at a desk or window when something happens (a knife, a visitor
collapsing, a crowd at the door), with the visitor in front of them. It must take seconds:

* F12 opens it over the current screen with the place filled in (the window, or the desk or
  hall area) and, when the screen has a current visitor, the ticket and the visitor.
* The type has the focus: type Chinese, pinyin or initials ("gz" → 携带危险物品或管制器具,
  "jb" → 来访人突发疾病), Enter takes it and jumps to 经过 (what happened), since place and
  ticket are filled.
* Enter in 经过 saves; Ctrl+S saves from any field. Esc cancels. Errors show under their field
  in Chinese and nothing is written until the form is valid.

So a knife at window 3 is: F12, "gz", Enter, the note, Enter: three keys beyond the text. The
form saves through the facade in a thread worker and returns the new incident's summary; the
type's severity and recommended chain are shown as soon as a type is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from config.incidents import SEVERITY_LABELS
from hall.incidents import IncidentFormError, NewIncident
from hall.incidents.views import IncidentSummary
from screens.widgets.picker import Choice, Picker
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from screens.app import HallApp

FIELDS = ("type", "place", "ticket", "people", "note")


@dataclass(frozen=True)
class IncidentContext:
    """What the screen under the form knows: where it is, and who is in front of it."""

    place: str
    ticket: str = ""  # the current ticket's number
    visitor_id: int | None = None  # the visitor's file, when known without a ticket
    visitor: str = ""  # how to show the visitor (masked name)


class IncidentForm(HallWork, ModalScreen[IncidentSummary | None]):
    """Log a special situation; returns the new incident, None when cancelled."""

    CSS_PATH = "form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="incident_form.cancel"),
        Binding("ctrl+s", "save", "保存", id="incident_form.save", priority=True),
    ]

    def __init__(self, context: IncidentContext) -> None:
        super().__init__()
        self.context = context
        self._saving = False

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def unsaved_work(self) -> str:
        """What quitting would lose (HallApp asks before Ctrl+Q): "" when nothing was typed."""
        typed = self.query_one("#incident-note", Input).value.strip()
        return "未保存的特殊情况登记" if typed or self.query_one("#incident-type", Picker).value \
            else ""

    def compose(self) -> ComposeResult:
        hall = self.hall_app.hall
        settings = hall.config.incidents
        choices = [Choice(t.code, t.name, f"{SEVERITY_LABELS[t.severity]} {t.description}",
                          keys=(t.code,)) for t in settings.types]
        ctx = self.context
        with Vertical(id="incident-form"):
            yield Label("登记特殊情况", id="incident-title")
            yield from self._row("type", "类型", Picker(
                choices, placeholder="名称或拼音首字母，如 gz（管制器具）、jb（疾病）",
                id="incident-type"))
            yield Static(id="incident-chain")
            yield from self._row("place", "地点", Input(
                ctx.place, compact=True, id="incident-place",
                suggester=SuggestFromList(hall.incidents.places(), case_sensitive=False)))
            with Horizontal(classes="incident-pair"):
                yield from self._row("ticket", "票号", Input(
                    ctx.ticket, placeholder="可不填", compact=True, id="incident-ticket"))
                yield from self._row("people", "人数", Input(
                    "1", compact=True, id="incident-people", restrict=r"\d*", max_length=4))
            yield Label(f"来访人 {ctx.visitor}" if ctx.visitor else "", id="incident-visitor")
            yield from self._row("note", "经过", Input(
                placeholder="必填：发生了什么", compact=True, id="incident-note"))
            yield Label("Enter 下一项（经过栏 Enter 保存）　Ctrl+S 保存　Esc 取消",
                        id="incident-hint")

    def _row(self, name: str, label: str, control: Input | Picker) -> ComposeResult:
        with Vertical(id=f"incident-row-{name}", classes="incident-row"):
            with Horizontal(classes="incident-line"):
                yield Label(label, classes="incident-label")
                yield control
            yield Label(id=f"incident-err-{name}", classes="incident-error")

    def on_mount(self) -> None:
        self._errors({})
        self.query_one("#incident-visitor").display = bool(self.context.visitor)
        self.query_one("#incident-chain").display = False
        self.query_one("#incident-type", Picker).focus()

    # -- fields --------------------------------------------------------------------------------

    @on(Picker.Changed, "#incident-type")
    def _type_chosen(self, event: Picker.Changed) -> None:
        self._error("type", "")
        settings = self.hall_app.hall.config.incidents
        spec = settings.type_of(event.value)
        chain = self.query_one("#incident-chain", Static)
        chain.display = spec is not None
        if spec is None:
            chain.update("")
            return
        steps = " → ".join(a.name if (a := settings.action_of(c)) else c for c in spec.chain)
        level = SEVERITY_LABELS[spec.severity]
        style = "$text-error" if spec.severity == "high" else "$text-warning"
        alert = "　登记后各工作台提示" if spec.severity == "high" else ""
        chain.update(f"[b {style}]{level}级[/]{alert}\n[dim]建议处置：{steps}[/]")

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "incident-note":
            self.action_save()
        elif event.input.id == "incident-type-input":
            if self.query_one("#incident-type", Picker).value:
                self.query_one("#incident-note", Input).focus()
        else:
            self.focus_next()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("incident-")
        if name in FIELDS:
            self._error(name, "")

    # -- saving --------------------------------------------------------------------------------

    def new_incident(self) -> NewIncident:
        """The form as typed."""
        def value(name: str) -> str:
            return self.query_one(f"#incident-{name}", Input).value

        ticket = value("ticket").strip()
        return NewIncident(
            type=self.query_one("#incident-type", Picker).value, place=value("place"),
            note=value("note"), people=value("people") or "1", ticket=ticket,
            visitor_id=None if ticket else self.context.visitor_id)

    def action_save(self) -> None:
        app = self.hall_app
        if self._saving:
            return
        if not app.staff:
            app.action_switch_staff()
            return
        self._saving = True
        self.query_one("#incident-hint", Label).update("[b]正在保存…[/]")
        self._save(self.new_incident(), app.staff)

    def _save(self, new: NewIncident, actor: str) -> None:
        self.run_call("save", self.hall_app.hall.incidents.log, new, actor)

    def save_done(self, summary: IncidentSummary) -> None:
        self.dismiss(summary)

    def save_failed(self, failure: Failed) -> None:
        error = failure.error
        if isinstance(error, IncidentFormError):
            self._rejected(error.errors)
        elif failure.refused:  # the hall said no (not allowed...): its own words
            self._rejected({"note": f"保存失败，未写入：{failure.text}"})
        else:  # the database: keep the form for a retry
            self._rejected({"note": f"保存失败，未写入：{type(error).__name__}: {error}"})

    def _rejected(self, errors: dict[str, str]) -> None:
        self._saving = False
        self.query_one("#incident-hint", Label).update(
            f"[b $error]有 {len(errors)} 处需要更正[/]，改正后 Ctrl+S 保存")
        self._errors(errors)
        first = next((name for name in FIELDS if name in errors), None)
        if first == "visitor":
            first = "ticket"
        if first:
            self.query_one(f"#incident-{first}").focus()

    def _errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            self._error(name, errors.get(name, ""))
        if "visitor" in errors:
            self._error("ticket", errors["visitor"])

    def _error(self, name: str, text: str) -> None:
        label = self.query_one(f"#incident-err-{name}", Label)
        label.update(text)
        label.display = bool(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
