"""The desk's booking and check-in dialog (预约签到, F7 on the desk; B on the manager screen).

Who uses it: the desk operator, when a visitor says "I booked the leader's day" (check-in, on the
day: the most frequent use) or "I want to see the leader" (booking). The ID number comes over from
the desk form when it holds a valid one (of the form's document type: a passport holder is looked
up and booked by passport number), so the usual check-in is F7, Enter: the visitor's booking
of today is listed first and highlighted, and Enter turns it into a ticket in the leader room's
queue (the desk then shows the ticket as after F5). Booking is F7, ↓ to the day, Enter. C cancels
the highlighted booking (the waiting list moves up); M then Enter on a day moves it there (改约,
the old booking kept). Esc goes back to the desk form.

From the desk the dialog also gets the registration form: a booking then opens the visitor's file
from it, or updates it, as F5 would (a first-time visitor at a closed lawyer seat is booked
straight away; a new name asks for the confirmation F5 asks for), with the form's category and
matter. Nothing is written when the booking is refused.

Returns the :class:`hall.views.IssuedTicket` of a check-in, or None.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hall.desk.registration import NeedsConfirmation, Registration
from hall.leaders.views import BookingView, DeskBookings, LeaderDayView
from hall.text.documents import ID_CARD, document_type
from hall.views import IssuedTicket
from screens.dialogs.form import DIALOG_CSS
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from screens.app import HallApp


def day_text(d: LeaderDayView) -> str:
    """「12-01 周二 09:00 张伟副市长 领导接访室 余5」"""
    weekday = "一二三四五六日"[date.fromisoformat(d.date).weekday()]
    room = f"余{d.free}" if d.free else f"满·候补{d.waitlisted}"
    return f"{d.date[5:]} 周{weekday} {d.start} {d.leader_label} {d.room} {room}"


class BookingDialog(HallWork, ModalScreen[IssuedTicket | None]):
    """Check a booked visitor in, or book a day, for one ID number."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "返回", id="booking.cancel"),
        Binding("c", "cancel_booking", "取消预约", id="booking.cancel_booking"),
        Binding("m", "move_booking", "改约", id="booking.move_booking"),
    ]

    def __init__(self, id_number: str = "", day_id: int | None = None,
                 form: Registration | None = None, doc_type: str = ID_CARD) -> None:
        super().__init__()
        self.id_number = id_number
        self.doc_type = (form.document_type if form is not None else doc_type) or ID_CARD
        """The number's document type (the desk form's: F3 there picks a passport...)."""
        self.day_id = day_id  # the manager screen's selected day: highlighted when bookable
        self.form = form  # the desk's form of that ID: a booking opens or updates the file
        self._day: int | None = None  # the day being booked (again, after a confirmation)
        self.found: DeskBookings | None = None
        self._busy = False
        self._moving: int | None = None  # the booking being moved (改约): Enter on a day moves it
        self.booked = ""
        """What the last booking of the desk form's visitor said (「已预约 …」), else empty."""

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="booking", classes="dialog"):
            yield Label("领导接待日 · 预约与签到", classes="dialog-title")
            spec = document_type(self.doc_type)
            kind = spec.short if spec is not None and spec.code != ID_CARD else "身份证号"
            yield Input(self.id_number, placeholder=f"来访人{kind}，Enter 查询", compact=True,
                        id="booking-id")
            yield Label(id="booking-who")
            yield OptionList(id="booking-list")
            yield Label(id="booking-message")
            yield Label("Enter 签到/预约　C 取消预约　M 改约　Esc 返回", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#booking-list", OptionList).display = False
        if self.id_number:
            self._load(self.id_number)
        else:
            self.query_one(Input).focus()

    @on(Input.Submitted, "#booking-id")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip().upper() != self.id_number:
            self.form = None  # another person than the desk form's
        self._load(event.value)

    def _load(self, id_number: str, message: str = "") -> None:
        hall, kind, viewer = self.hall_app.hall, self.doc_type, self.hall_app.staff or ""
        self.run_call("load", lambda: (hall.leaders.bookings.for_desk(id_number, kind,
                                                                      viewer=viewer), message),
                      exclusive=True)

    def load_done(self, done: tuple[DeskBookings, str]) -> None:
        self._show(*done)

    def load_failed(self, failure: Failed) -> None:
        self._show_problem(failure.text)

    def _show_problem(self, text: str) -> None:
        self.found = None
        self.query_one("#booking-who", Label).update(Text(text, style="red"))
        self.query_one("#booking-list", OptionList).display = False
        self.query_one(Input).focus()

    def _show(self, found: DeskBookings, message: str) -> None:
        self.found = found
        who = self.query_one("#booking-who", Label)
        options = self.query_one("#booking-list", OptionList)
        options.clear_options()
        if not found.registered and self.form is None:
            who.update(Text(f"{found.id_number_masked} 没有登记档案：请在登记分流台填写姓名和"
                            "证件号码后按 F7 预约（预约时按登记表建档）", style="yellow"))
            options.display = False
            self.query_one(Input).focus()
            return
        if found.registered:
            who.update(Text.assemble((found.name, "bold"), f"  {found.id_number_masked}"))
        else:
            who.update(Text.assemble((self.form.name.strip() or "（未填姓名）", "bold"),
                                     f"  {found.id_number_masked}  ",
                                     ("新来访人：预约时按登记表建档", "yellow")))
        today = self.hall_app.hall.today().isoformat()
        booked_days = {b.day_id for b in found.bookings
                       if b.status in ("booked", "waitlisted", "checked_in")}
        highlight = None
        for b in found.bookings:
            options.add_option(self._booking_option(b, today))
            if highlight is None and b.status == "booked" and b.date == today:
                highlight = options.option_count - 1
        for d in found.days:
            if d.id in booked_days:
                continue
            options.add_option(Option(Text.assemble(("预约 ", "bold cyan"), day_text(d),
                                                    (f"　{d.topic}" if d.topic else "", "dim")),
                                      id=f"day-{d.id}"))
            if highlight is None and d.id == self.day_id:
                highlight = options.option_count - 1
        if options.option_count == 0:
            options.add_option(Option(Text("没有已发布的接待日", style="dim"), disabled=True))
        options.display = True
        options.highlighted = highlight if highlight is not None else 0
        options.focus()
        self.query_one("#booking-message", Label).update(message)

    def _booking_option(self, b: BookingView, today: str) -> Option:
        if b.status == "booked" and b.date == today:
            head = ("签到 ", "bold reverse green")
        elif b.status == "checked_in":
            head = (f"已签到 {b.ticket_number} ", "green")
        else:
            head = (f"{b.status_label} ", "yellow" if b.status == "waitlisted" else "")
        place = f"（候补第{b.waitlist_position}位）" if b.waitlist_position else ""
        return Option(Text.assemble(head, f"{b.date[5:]} {b.start} {b.leader_label} "
                                          f"{b.room}{place}", (f" 预约{b.id}", "dim")),
                      id=f"booking-{b.id}")

    @on(OptionList.OptionSelected, "#booking-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self._busy or self.found is None or not event.option.id:
            return
        kind, _, number = event.option.id.partition("-")
        if kind == "booking":
            self._moving = None
            self._busy = True
            self._check_in(int(number))
        elif self._moving is not None:
            self._busy = True
            self._move(self._moving, int(number))
            self._moving = None
        else:
            self._busy = True
            self._book(int(number))

    def _check_in(self, booking_id: int) -> None:
        self.run_call("check_in", self.hall_app.hall.leaders.bookings.check_in, booking_id,
                      self.hall_app.staff or "", exclusive=True)

    def check_in_done(self, ticket: IssuedTicket) -> None:
        self.dismiss(ticket)

    def check_in_failed(self, failure: Failed) -> None:
        self._done(failure.text)

    def act_done(self, text: str) -> None:
        self._done(text, True)

    def book_done(self, text: str) -> None:
        if self.form is not None:  # the desk form's visitor is booked: the desk moves on
            self.booked = text
        self._done(text, True)

    def book_failed(self, failure: Failed) -> None:
        self.act_failed(failure)

    def act_failed(self, failure: Failed) -> None:
        if isinstance(failure.error, NeedsConfirmation) and self.form and self._day is not None:
            self._ask_rename(failure.error, self._day)
            return
        self._done(failure.text)

    def _ask_rename(self, asked: NeedsConfirmation, day_id: int) -> None:
        """A name that differs from the file's: F5 confirms it (the old one stays in the
        file's history) and books; Esc books nothing."""
        from screens.dialogs.confirm import ConfirmDialog

        assert self.form is not None
        form = self.form
        text = (f"档案姓名：{asked.file_name}\n本次填写：{form.name.strip()}\n\n"
                "确为同一人改名？原姓名将保留在档案历史中。证件号码输错的，请返回修改号码。")

        def answered(yes: bool | None) -> None:
            if not yes:
                self._done("未预约：姓名与档案不同，未确认改名")
                return
            self.form = replace(form, rename=True)
            self._book(day_id)

        self.app.push_screen(ConfirmDialog("姓名与档案不同", text, "F5 确认改名并预约　Esc 返回"),
                             answered)

    def _book(self, day_id: int) -> None:
        assert self.found is not None
        hall, id_number, actor = self.hall_app.hall, self.query_one(Input).value, \
            self.hall_app.staff or ""
        form, self._day, kind = self.form, day_id, self.doc_type

        def book() -> str:
            bookings = hall.leaders.bookings
            b = (bookings.book_form(day_id, form, actor) if form is not None
                 else bookings.book(day_id, id_number, actor, doc_type=kind)).booking
            return (f"已预约 {b.date} {b.start} {b.leader_label}（预约 {b.id}）"
                    if b.status == "booked"
                    else f"名额已满：已登记候补第 {b.waitlist_position} 位（预约 {b.id}），"
                         "有人取消时依次递补")

        self.run_call("book", book, exclusive=True)

    def _highlighted_booking(self, key: str) -> int | None:
        options = self.query_one("#booking-list", OptionList)
        if self._busy or not options.display or options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        if not (option.id or "").startswith("booking-"):
            self.query_one("#booking-message", Label).update(f"请选中一条预约再按 {key}")
            return None
        return int((option.id or "").removeprefix("booking-"))

    def action_cancel_booking(self) -> None:
        booking_id = self._highlighted_booking("C 取消")
        if booking_id is not None:
            self._busy = True
            self._cancel(booking_id)

    def action_move_booking(self) -> None:
        booking_id = self._highlighted_booking("M 改约")
        if booking_id is not None:
            self._moving = booking_id
            self.query_one("#booking-message", Label).update(
                Text(f"改约预约 {booking_id}：选中要改到的接待日，按 Enter", style="bold"))

    def _move(self, booking_id: int, day_id: int) -> None:
        hall, actor = self.hall_app.hall, self.hall_app.staff or ""

        def move() -> str:
            result = hall.leaders.bookings.reschedule(booking_id, day_id, actor)
            b = result.booking
            text = f"已改约到 {b.date} {b.start} {b.leader_label}（预约 {b.id}，{b.status_label}）"
            if result.promoted is not None:
                text += f"；原日期候补 {result.promoted.name_masked} 已递补，请通知"
            return text

        self.run_call("act", move, exclusive=True)

    def _cancel(self, booking_id: int) -> None:
        hall, actor = self.hall_app.hall, self.hall_app.staff or ""

        def cancel() -> str:
            result = hall.leaders.bookings.cancel(booking_id, actor, "来访人在登记台取消")
            text = f"预约 {booking_id} 已取消"
            if result.promoted is not None:
                promoted = result.promoted
                text += f"；候补 {promoted.name_masked}（预约 {promoted.id}）已递补，请通知"
            return text

        self.run_call("act", cancel, exclusive=True)

    def _done(self, text: str, ok: bool = False) -> None:
        self._busy = False
        if ok:
            self._load(self.query_one(Input).value, text)
        else:
            self.query_one("#booking-message", Label).update(Text(text, style="red"))

    def action_cancel(self) -> None:
        self.dismiss(None)
