"""Closed reception rooms on screen (issue 9 §4), in Pilot tests:

- the desk books a first-time visitor refused at the closed lawyer seat: F5 names the next duty
  day, F7 opens the booking dialog on it, Enter books it from the form (the file is opened, no
  ticket is issued anywhere);
- a name that differs from the file's asks for the confirmation F5 asks for before the booking
  renames anyone (Esc books nothing; F5 books and keeps the old name in the file's history);
- a window's transfer (F9) into the closed lawyer seat is refused with the next duty day, and the
  visitor stays at the window.

The hall's clock stands at Monday 2026-11-23 09:00; the duty lawyer's next day is Wednesday the
25th (the shipped rule: the 5th, 15th and 25th).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Label, OptionList, Static

import main
from hall import Hall
from models import LeaderBooking, Ticket, Visit, Visitor
from screens.app import HallApp
from screens.desk.screen import DeskScreen
from screens.dialogs.booking import BookingDialog
from screens.dialogs.confirm import ConfirmDialog
from screens.widgets.picker import Picker
from screens.window.dialogs import ConfirmDialog as WindowConfirm
from screens.window.forms import TransferDialog
from tests.helpers import form, make_id, only_changes, row_counts, run_async
from tests.screens.test_desk import retype, settle, text_of
from tests.screens.test_window_screen import current, notes, opened, press

NEW = make_id("19850512", seq=7)


@pytest.fixture
def duty(sqlite_hall: Hall) -> int:
    """November planned and published: the duty lawyer's day, Wednesday the 25th."""
    sqlite_hall.leaders.plan.month(2026, 11, actor="mgr01")
    sqlite_hall.leaders.plan.publish_due(actor="mgr01")
    (day,) = [d for d in sqlite_hall.leaders.days(date(2026, 11, 23), date(2026, 11, 30))
              if d.leader == "shenlv"]
    return day.id


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


async def fill(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """The ID, a name, the lawyer seat's category and a matter; F5 (refused: closed)."""
    await retype(pilot, "#id_number", NEW)
    await settle(pilot)
    await retype(pilot, "#name", name)
    await retype(pilot, "#phone", "13800001234")
    pilot.app.screen.query_one("#category", Picker).choose("legal_advice")
    await retype(pilot, "#matter", "咨询劳动仲裁的程序")
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DeskScreen)
    error = text_of(pilot.app, "#err-department")
    assert "今天没有值班律师" in error and "11月25日" in error and "F7" in error


@run_async
async def test_f7_books_a_first_time_visitor_from_the_form(app: HallApp, sqlite_hall: Hall,
                                                           duty: int) -> None:
    before = row_counts()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await fill(pilot, "李秀英")
        assert row_counts() == before
        await pilot.press("f7")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BookingDialog)
        who = str(dialog.query_one("#booking-who", Label).render())
        assert "李秀英" in who and "新来访人" in who
        assert "改选其他部门" not in who  # the old workaround is gone
        options = dialog.query_one("#booking-list", OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == f"day-{duty}"
        await pilot.press("enter")
        await settle(pilot)
        message = str(dialog.query_one("#booking-message", Label).render())
        assert "已预约 2026-11-25 09:00" in message
        # back at the desk: the booking is said, the refusal and the form are gone (the next
        # visitor's turn, as after issuing)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert "已预约 2026-11-25 09:00" in notes(app)
        assert text_of(app, "#err-department") == ""
        assert "需要更正" not in str(app.screen.query_one("#desk-hint", Static).render())
        assert app.screen.form.value("id_number") == app.screen.form.value("name") == ""
        assert app.focused is app.screen.query_one("#id_number")
    (booking,) = sqlite_hall.leaders.bookings.of(NEW)
    assert (booking.day_id, booking.status, booking.category) == (duty, "booked", "legal_advice")
    visitor = Visitor.get(Visitor.id_number == NEW)
    assert (visitor.name, visitor.phone) == ("李秀英", "13800001234")
    after = row_counts()
    assert (after["visitor"], after["visit"], after["ticket"]) == (
        before["visitor"] + 1, before["visit"], before["ticket"])


@run_async
async def test_f7_books_a_passport_holder_by_the_form_s_document_type(
        app: HallApp, sqlite_hall: Hall, duty: int) -> None:
    """F3 to 护照: F7 looks the passport number up (not as an ID card), books the day, and a
    registered passport holder is found by it afterwards."""
    before = row_counts()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")  # 护照
        await settle(pilot)
        await pilot.press(*"e12345678", "enter")
        await settle(pilot)
        await retype(pilot, "#name", "John Smith")
        await retype(pilot, "#phone", "13800001234")
        pilot.app.screen.query_one("#category", Picker).choose("legal_advice")
        await retype(pilot, "#matter", "咨询劳动仲裁的程序")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert "今天没有值班律师" in text_of(app, "#err-department")
        await pilot.press("f7")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BookingDialog)
        who = str(dialog.query_one("#booking-who", Label).render())
        assert "John Smith" in who and "新来访人" in who and "有误" not in who
        with only_changes(Ticket), only_changes(Visit):
            await pilot.press("enter")
            await settle(pilot)
        assert "已预约 2026-11-25" in str(dialog.query_one("#booking-message", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        # the file is found again by passport number: the dialog lists the booking
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press(*"e12345678", "enter")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        who = str(app.screen.query_one("#booking-who", Label).render())
        assert "John Smith" in who and "新来访人" not in who
    visitor = Visitor.get(Visitor.id_number == "E12345678")
    assert (visitor.doc_type, visitor.name) == ("passport", "John Smith")
    (booking,) = sqlite_hall.leaders.bookings.of("E12345678", doc_type="passport")
    assert (booking.day_id, booking.status) == (duty, "booked")
    after = row_counts()
    assert (after["visitor"], after["visit"], after["ticket"]) == (
        before["visitor"] + 1, before["visit"], before["ticket"])
    assert LeaderBooking.select().count() == 1


@run_async
async def test_a_new_name_is_confirmed_before_the_booking(app: HallApp, sqlite_hall: Hall,
                                                          duty: int) -> None:
    file = sqlite_hall.desk.save_file(form(name="王秀兰", id_number=NEW), actor="desk02")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await fill(pilot, "王秀英")
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, BookingDialog)
        with only_changes(Visitor), only_changes(LeaderBooking):
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, BookingDialog)
            assert "未预约" in str(app.screen.query_one("#booking-message", Label).render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        with only_changes(Visitor, file.visitor_id), only_changes(Ticket), only_changes(Visit):
            await pilot.press("f5")
            await settle(pilot)
        assert isinstance(app.screen, BookingDialog)
    assert [b.day_id for b in sqlite_hall.leaders.bookings.of(NEW)] == [duty]
    assert Visitor.get_by_id(file.visitor_id).name == "王秀英"
    history = sqlite_hall.desk.file_history(file.visitor_id, viewer="mgr01")
    assert ("name", "王秀兰", "王秀英") in {(c.field, c.old, c.new) for c in history}


@run_async
async def test_a_window_cannot_transfer_into_the_closed_lawyer_seat(sqlite_hall: Hall,
                                                                    duty: int) -> None:
    """The refusal shows in the dialog, under the department, as soon as the seat is picked; the
    dialog stays open, and another department can be chosen at once."""
    sqlite_hall.desk.issue(form(category="wages"), actor="desk01")
    app = main.make_app(sqlite_hall, "win07", start="window", window=7)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await press(pilot, "f5")
        number = current(app)
        assert number is not None
        with only_changes(Ticket), only_changes(Visit):
            await press(pilot, "f9")
            dialog = app.screen
            assert isinstance(dialog, TransferDialog)
            await pilot.press(*"lszxx")  # 律师咨询席 by pinyin initials
            await settle(pilot)
            assert dialog.chosen is not None and dialog.chosen.value == "lawyer"
            await press(pilot, "enter")
            await settle(pilot)
            assert app.screen is dialog  # still open: the operator picks another department
            error = text_of(app, "#err-department")
            assert "律师咨询席" in error and "不能转入" in error and "11月25日（周三）" in error
            assert app.focused is dialog.query_one("#transfer-search")
            await press(pilot, "enter", "enter")  # the note's Enter: refused again, still open
            await settle(pilot)
            assert app.screen is dialog and "不能转入" in text_of(app, "#err-department")
        assert current(app) == number
        # another department: the refusal goes, the transfer goes through
        await pilot.press(*(["backspace"] * 5), *"xfj")
        await settle(pilot)
        assert dialog.chosen is not None and dialog.chosen.value == "xfj"
        assert text_of(app, "#err-department") == ""
        with only_changes(Ticket, Ticket.get(Ticket.number == number).id), \
                only_changes(Visit, Ticket.get(Ticket.number == number).visit_id):
            await press(pilot, "enter", "enter")  # the department, the note
            await settle(pilot)
            assert isinstance(app.screen, WindowConfirm)
            await press(pilot, "enter")
            await settle(pilot)
        assert current(app) is None
    assert Ticket.get(Ticket.number == number).department == "xfj"
