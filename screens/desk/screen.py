"""The 登记分流 desk: register a visitor, route the matter, issue a numbered ticket.

Who uses it: the registration operator at the hall's entrance, at peak hour, dozens of visitors an
hour, with a queue in front of the counter. The most frequent action is "known or new ID in,
category chosen, matter typed, ticket out", so the screen is built around that path:

* The ID-number field has the focus. A valid ID of a known visitor fills in name, phone, address
  and district from the file and shows the 重复访 banner (earlier visits, the last one's date,
  department and outcome); a new one shows 新访 with sex, birth date and age from the number.
* Enter moves to the next field (after a known ID, straight to 诉求类别). Category, district and
  department are pickers: type Chinese, pinyin or pinyin initials ("nmg" → 农民工工资), Enter
  takes the highlighted match.
* The department follows the routing suggestion (建议：市人社局（7号窗口）), live as category
  and district change; picking another one is an override and is shown as 改派.
* From 人数 = collective threshold on, representative ID fields appear one by one.
* 同一事项 lists the visitor's open cases (a visit about one is linked to it), 其他渠道 and
  处理意见 record other channels and an earlier opinion (:mod:`screens.desk.notes`).
* F5 issues (one key). Errors appear under their fields in Chinese and the first one gets the
  focus; nothing is written until the form is valid. The ticket opens large with its QR code.

Keys for a known visitor about the same matter: ID (read or typed), Enter, F5, Enter to close
the ticket: three keys beyond the ID, since the last visit's category, district and matter are
carried over (selected: typing replaces them). A new visitor adds name, phone, category and
matter. Keys typed at any speed land in order (:mod:`screens.keys`). F2 clears the form, F10
goes to the launcher. F3 changes the identity document (居民身份证 by default; 护照, 港澳/台湾
通行证, 外国人永久居留身份证, 港澳台居民居住证; the banner asks for that number); the next visitor
starts with the ID card again.
A second ticket today asks for a reason, another name for a confirmation
(:mod:`screens.desk.confirm`). F7 opens reception-day booking and check-in (领导接待日,
:mod:`screens.desk.booking`) for the ID in the form, booking from the form's data. The
right-hand panel shows today's queue per department (polled, so other desks' tickets appear
within a second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from hall.desk.registration import FormError, NeedsConfirmation, Registration
from hall.text.documents import ID_CARD, Document, parse_document
from hall.text.idnumber import IdNumber, IdNumberError
from hall.views import IssuedTicket, VisitorFile
from screens.desk.banner import VisitHistory, VisitorBanner
from screens.desk.booking import DeskBooking
from screens.desk.confirm import DeskConfirm
from screens.desk.deskform import FIELD_ORDER, DeskForm
from screens.desk.notes import DeskNotes
from screens.desk.printing import DeskPrinting
from screens.desk.queue import QueuePanel
from screens.resume import StyledWhileShown
from screens.widgets.footer import KeyFooter
from screens.widgets.picker import Picker
from screens.widgets.topbar import TopBar
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from screens.app import HallApp

LOOKUP_HOLD_SECONDS = 2.0
"""How long keys typed after the ID's Enter wait for the visitor's file (a slow database): then
the form moves on as for a new visitor, and the file fills in what nobody has typed yet."""

HINT = "Enter 下一项 · ↑↓ 展开选项 · 属地/类别/部门可输拼音首字母（nmg→农民工工资）"


class DeskScreen(StyledWhileShown, DeskBooking, DeskConfirm, DeskNotes, DeskPrinting, HallWork,
                 Screen[None]):
    """Registration and routing (登记分流) with one-key ticket issue."""

    CSS_PATH = "desk.tcss"
    AUTO_FOCUS = "#id_number"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "issue", "出票", id="desk.issue", priority=True),
        Binding("f2", "clear", "下一位", id="desk.clear", priority=True),
        Binding("f7", "bookings", "预约签到", id="desk.bookings", priority=True),
        Binding("f3", "document", "证件", id="desk.document", priority=True),
        # Shown on the banner of a file that changed (no room left in the footer at 80 columns).
        Binding("f8", "file_history", "档案变更", id="desk.file_history", show=False,
                priority=True),
        Binding("f9", "reprint", "重打", id="desk.reprint", show=False),  # screens/desk/printing
        Binding("f10", "app.switch_mode('launcher')", "工作台", id="desk.launcher"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._person: IdNumber | Document | None = None
        self._file: VisitorFile | None = None
        self._prefilled: dict[str, str] = {}
        self._suggested: str | None = None
        self._override = False
        self._issuing = False
        self._rejected = False
        self._looking: str | None = None  # the ID whose file is being looked up
        self._focus_on_file = False  # Enter came before the file: move on when it is here
        self._slow_lookup: Timer | None = None
        self._offer_day: int | None = None  # a closed room's next day, offered to book (F7)
        self._asked = Registration("", "", "", "")

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    # -- layout --------------------------------------------------------------------------------

    @property
    def form(self) -> DeskForm:
        return self.query_one(DeskForm)

    def compose(self) -> ComposeResult:
        # Size classes before the first mount: set on resize they would restyle every widget.
        width, height = self.app.size
        self.set_class(width >= 120, "-wide")
        self.set_class(height >= 32, "-tall")
        yield TopBar("登记分流台")
        with Horizontal(id="desk-body"):
            yield DeskForm(id="desk-form")
            yield VisitHistory(id="history")
            yield QueuePanel(id="queue")
        yield Static(HINT, id="desk-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.clear_form()
        # After the first paint: loading pypinyin must not delay the screen appearing.
        self.set_timer(0.2, self._warm_search)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 120, "-wide")
        self.set_class(self.size.height >= 32, "-tall")
        # Big terminals have room for framed fields, easier on the eye than one-line ones.
        roomy = self.size.height >= 46
        if roomy != self.has_class("-roomy"):
            self.set_class(roomy, "-roomy")
            for field in self.query("#desk-form Input").results(Input):
                field.compact = not roomy

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm_search(self) -> None:
        """Load pypinyin in the background, so the first keystroke in a picker is quick."""
        from hall.text.search import search_keys

        for picker in self.query(Picker).results():
            for choice in picker.choices:
                search_keys(choice.label)

    # -- the visitor ---------------------------------------------------------------------------

    @on(Input.Changed, "#id_number")
    def _id_changed(self, event: Input.Changed) -> None:
        self._id_entered(event.value, final=False)

    @on(Input.Submitted, "#id_number")
    def _id_submitted(self, event: Input.Submitted) -> None:
        person = self._id_entered(event.value, final=True)
        if person is None:
            return
        if self._looking == person.value:
            # The file is on its way: the keys typed after Enter wait (in order) until it is
            # here, so they land where the file sends them (a known visitor: the category).
            self._focus_on_file = True
            self.hall_app.hold_keys(LOOKUP_HOLD_SECONDS)
            self._slow_lookup = self.set_timer(LOOKUP_HOLD_SECONDS - 0.1, self._after_id)
            return
        self._after_id()

    def _after_id(self) -> None:
        """The ID is in: on to the first field still to fill (a known visitor: the category)."""
        self._focus_on_file = False
        if self._slow_lookup is not None:
            self._slow_lookup.stop()
            self._slow_lookup = None
        empty = [name for name in ("name", "category", "matter") if not self._value(name)]
        self._focus_field(empty[0] if empty else "category")
        self.hall_app.release_keys()

    def action_document(self) -> None:
        """F3: the next document type (护照, 港澳/台湾通行证, 永居证, 居住证, 居民身份证)."""
        spec = self.form.next_document_type()
        self.notify(f"证件类型：{spec.name}（F3 切换）", timeout=2)
        self._forget_person()  # the same characters may be another person's number
        if self._id_entered(self._value("id_number"), final=False) is None:
            self.query_one(VisitorBanner).idle(spec.code)
        self._focus_field("id_number")

    def _id_entered(self, text: str, final: bool) -> IdNumber | Document | None:
        """Parse the number as typed; look the file up when it is complete and valid (an ID
        card's at 18 characters, other documents' on Enter)."""
        digits = "".join(text.split())
        kind = self.form.document_type
        person: IdNumber | Document | None = None
        error = ""
        if (kind == ID_CARD and len(digits) >= 18) or (final and digits):
            try:
                person = parse_document(kind, digits, today=self.hall_app.hall.today())
            except IdNumberError as exc:
                error = exc.message
        self._error("id_number", error)
        if person is None:
            self._forget_person()
            return None
        if self._person is None or person.value != self._person.value:
            self._person, self._file = person, None
            self._forget_prefill()
            self.query_one(VisitorBanner).looking(person, self.hall_app.hall.today())
            self._show_priority()
            self._lookup(person.value)
        return person

    def _forget_person(self) -> None:
        """No valid number (any more): take back what the file filled in."""
        if self._person is not None:
            self._person, self._file = None, None
            self._forget_prefill()
            self.show_rename_note()
            self.query_one(VisitorBanner).idle(self.form.document_type)
            self.query_one(VisitHistory).idle()
            self._show_priority()

    def _lookup(self, id_number: str) -> None:
        hall = self.hall_app.hall
        kind = self.form.document_type
        self._looking = id_number
        viewer = self.hall_app.staff or ""  # the file as the signed-in clerk may see it
        self.run_call("lookup", lambda: (id_number, hall.desk.visitor_file(id_number, kind,
                                                                           viewer=viewer)),
                      exclusive=True)

    def lookup_failed(self, failure: Failed) -> None:
        self._looking = None
        if self._focus_on_file:
            self._after_id()
        self.show_failure(failure, "查询来访人档案失败：")

    def lookup_done(self, found: tuple[str, VisitorFile | None]) -> None:
        id_number, file = found
        if self._person is None or self._person.value != id_number:
            return  # the ID changed meanwhile
        self._looking = None
        try:
            self._show_file(file)
        finally:
            if self._focus_on_file:
                self._after_id()

    # -- routing and the rest of the form ---------------------------------------------------------

    @on(Picker.Changed, "#category, #district")
    def _route_inputs_changed(self, event: Picker.Changed) -> None:
        self._error(event.picker.id or "", "")
        self._update_route()

    @on(Picker.Changed, "#department")
    def _department_changed(self, event: Picker.Changed) -> None:
        self._error("department", "")
        if not event.value and self._suggested:
            self._override = False
            event.picker.choose(self._suggested)  # cleared: back to the suggestion
            return
        self._override = bool(event.value) and event.value != self._suggested
        self._show_route()

    def on_queue_panel_loaded(self) -> None:
        self.call_after_refresh(self._show_route)

    @on(Input.Changed, ".field Input")
    def _typed(self, event: Input.Changed) -> None:
        name = self.form.field_of(event.input)
        if name and name != "id_number":
            self._error(name, "")
        if name == "name":
            self.show_rename_note()

    @on(Picker.Changed, "#priority")
    def _priority_changed(self) -> None:
        self._error("priority", "")
        self._show_priority()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id != "id_number":  # the ID field decides where to go itself
            self.focus_next()

    # -- issuing -------------------------------------------------------------------------------

    def registration(self) -> Registration:
        """The form as typed, with the department only when the operator overrode the route."""
        return self.form.registration(self._value("department") if self._override else "")

    def action_issue(self) -> None:
        app = self.hall_app
        if self._issuing:
            return
        if not app.staff:
            app.action_switch_staff()
            return
        for name in FIELD_ORDER:
            self._error(name, "")
        self._issuing = True
        self.query_one("#desk-hint", Static).update("[b]正在出票…[/]")
        self._issue(self.registration(), app.staff)

    def _issue(self, form: Registration, actor: str) -> None:
        self._asked = form  # what a confirmation dialog issues again
        self.run_call("issue", self.hall_app.hall.desk.issue, form, actor=actor)

    def issue_done(self, ticket: IssuedTicket) -> None:
        self._issuing = False
        self.query_one("#desk-hint", Static).update(HINT)
        self.clear_form()  # the visit is written: the form must not issue it twice
        self.query_one(QueuePanel).poll(force=True)
        if ticket.people >= self.hall_app.hall.config.collective.threshold:
            self.hall_app.collective_watch.poll()  # on this desk's own top bar at once
        self.show_ticket(ticket)  # and print it, as configured (screens/desk/printing.py)

    def issue_failed(self, failure: Failed) -> None:
        if isinstance(failure.error, NeedsConfirmation):
            self.ask_confirmation(failure.error, self._asked)
            return
        if isinstance(failure.error, FormError):
            self._offer_day = getattr(failure.error, "day_id", None)  # leaders.ClosedToday
            self._rejected_form(failure.error.errors)
            return
        # Not allowed (the role, the account), or the database: say so, keep the form for a retry.
        self._issuing = False
        self.query_one("#desk-hint", Static).update(HINT)
        if failure.refused:
            self.show_failure(failure, "未出票：")
            return
        error = failure.error
        self.notify(f"出票失败，未写入：{type(error).__name__}: {error}", title="出票失败",
                    severity="error", timeout=10, markup=False)

    def _rejected_form(self, errors: dict[str, str]) -> None:
        """The form was invalid; nothing was written."""
        self._issuing = False
        self._rejected = True
        count = len(errors)
        self.query_one("#desk-hint", Static).update(
            f"[b $error]有 {count} 处需要更正[/]（见各栏下方红字），改正后按 F5 出票")
        for name, text in errors.items():
            self._error(name, text)
        first = next((name for name in FIELD_ORDER if name in errors), None)
        if first:
            self._focus_field(first)

    def action_clear(self) -> None:
        """F2: the next visitor; a filled form asks first (what was typed would be lost)."""
        if not self.form.filled:
            self.clear_form()
            return
        from screens.window.dialogs import ConfirmDialog

        ask = ConfirmDialog("清空登记表", "登记表中已填写的内容将全部清空，确认清空？", "清空")
        self.app.push_screen(ask, lambda yes: self.clear_form() if yes else None)

    def unsaved_work(self) -> str:
        """What quitting would lose (HallApp asks before Ctrl+Q): "" when the form is empty."""
        return "登记表中已填写的内容" if self.form.filled else ""

    def clear_form(self) -> None:
        """Empty every field for the next visitor; the ID field gets the focus."""
        self._person, self._file, self._prefilled = None, None, {}
        self._override, self._suggested = False, None
        self.form.clear()
        self.show_rename_note()
        self.query_one(VisitorBanner).idle()
        self.query_one(VisitHistory).idle()
        self._show_priority()
        self._show_route()
        self._focus_field("id_number")

    # -- helpers: the form, with the hint line kept in step ------------------------------------

    def _value(self, name: str) -> str:
        return self.form.value(name)

    def _set_value(self, name: str, value: str) -> None:
        self.form.set_value(name, value)

    def _error(self, name: str, text: str) -> None:
        self.form.show_error(name, text)
        if not text and self._rejected and not self.form.has_errors:
            self._rejected = False  # everything corrected: back to the usual hint
            self.query_one("#desk-hint", Static).update(HINT)

    def _focus_field(self, name: str) -> None:
        self.form.focus_field(name)
