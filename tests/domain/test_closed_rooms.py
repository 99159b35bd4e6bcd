"""The gaps around closed reception rooms (issue 9 §4), on SQLite and PostgreSQL:

1. a first-time visitor at a closed lawyer seat is booked on the next duty day from the form (the
   file is opened without a ticket, in the booking's transaction, by the desk's file rules);
2. a window cannot transfer (转办) a visitor into a closed lawyer seat or leader room;
3. after the day's last reception in a room has ended, walk-ins are refused like a closed room.

The hall's clock stands at Monday 2026-11-23 09:00. The oracle for "the next duty day" is the
shipped rule read off by hand: the duty lawyer sits on the 5th, 15th and 25th, and 25 November
2026 is a Wednesday.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hall import Hall
from hall.desk.registration import FormError, NeedsConfirmation
from hall.errors import NotFound, Refused
from hall.leaders import ClosedToday
from models import AuditEvent, LeaderBooking, Ticket, Visitor
from tests.conftest import CST
from tests.helpers import form, make_id, only_changes, row_counts

TODAY = date(2026, 11, 23)
NEW = make_id("19850512", seq=7)
LAWYER = form(name="李秀英", id_number=NEW, category="legal_advice", matter="咨询劳动仲裁的程序",
              phone="13800001234", district="jiangbei")


def duty_day(hall: Hall) -> int:
    """Plan and publish November: the duty lawyer's next day is Wednesday the 25th."""
    hall.leaders.plan.month(2026, 11, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    (duty,) = [d for d in hall.leaders.days(TODAY, date(2026, 11, 30)) if d.leader == "shenlv"]
    assert duty.date == "2026-11-25"
    return duty.id


def at(hall: Hall, hhmm: str) -> None:
    hall.clock.set(datetime(2026, 11, 23, int(hhmm[:2]), int(hhmm[3:]),  # type: ignore[attr-defined]
                            tzinfo=CST))


# -- 1. a first-time visitor booked from the form ------------------------------------------------

def test_a_first_time_visitor_is_booked_on_the_next_duty_day_from_the_form(hall: Hall) -> None:
    day = duty_day(hall)
    with pytest.raises(ClosedToday) as caught:
        hall.desk.issue(LAWYER, actor="desk01")
    assert caught.value.day_id == day
    with pytest.raises(NotFound):  # the old path: no file, no booking
        hall.leaders.bookings.book(day, NEW, actor="desk01")
    before = row_counts()
    booked = hall.leaders.bookings.book_form(day, LAWYER, actor="desk01").booking
    assert (booked.day_id, booked.status, booked.category, booked.matter) == (
        day, "booked", "legal_advice", "咨询劳动仲裁的程序")
    after = row_counts()
    # One file and two audit events (the file, the booking); no visit, no ticket, no history.
    assert {k: after[k] - before[k] for k in after} == {
        "visitor": 1, "visit": 0, "representative": 0, "ticket": 0, "ticket_event": 0,
        "audit_event": 2, "visitor_change": 0}
    visitor = Visitor.get(Visitor.id_number == NEW)
    assert (visitor.name, visitor.phone, visitor.district) == ("李秀英", "13800001234", "jiangbei")
    assert [e.action for e in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(2)] == [
        "booking.booked", "visitor.create"]
    file = hall.desk.visitor_file(NEW)
    assert file is not None and file.visits == ()


def test_booking_from_the_form_keeps_one_honest_file(hall: Hall) -> None:
    day = duty_day(hall)
    known = hall.desk.issue(form(name="王秀兰", id_number=NEW, phone="13900001111",
                                 category="demolition", matter="拆迁补偿"), actor="desk02")
    visitor = Visitor.get(Visitor.id_number == NEW)
    renamed = form(name="王秀英", id_number=NEW, phone="13900002222", category="legal_advice",
                   matter="咨询")
    before = row_counts()
    with only_changes(Visitor), pytest.raises(NeedsConfirmation) as caught:
        hall.leaders.bookings.book_form(day, renamed, actor="desk01")
    assert "王秀兰" in caught.value.errors["name"] and "才能预约" in caught.value.errors["name"]
    assert "again_reason" not in caught.value.errors  # the open ticket is not a booking's matter
    assert row_counts() == before and LeaderBooking.select().count() == 0
    renamed.rename = True
    with only_changes(Visitor, visitor.id), only_changes(Ticket):
        hall.leaders.bookings.book_form(day, renamed, actor="desk01")
    changes = {(c.field, c.old, c.new) for c in hall.desk.file_history(visitor.id)}
    assert changes == {("name", "王秀兰", "王秀英"), ("phone", "13900001111", "13900002222")}
    assert hall.desk.ticket_status(known.number).status == "waiting"  # untouched


def test_a_refused_booking_opens_no_file(hall: Hall) -> None:
    planned = hall.leaders.add_day("shenlv", date(2026, 11, 26), "09:00", "17:00", 5,
                                   actor="mgr01")
    hall.leaders.cancel_day(planned.id, "律师请假", actor="mgr01")
    before = row_counts()
    with pytest.raises(Refused, match="已取消"):
        hall.leaders.bookings.book_form(planned.id, LAWYER, actor="desk01")
    with pytest.raises(FormError) as caught:
        hall.leaders.bookings.book_form(planned.id, form(name="", id_number=NEW), actor="desk01")
    assert "必须填写" in caught.value.errors["name"]
    assert row_counts() == before


def test_the_desk_saves_a_file_without_a_ticket(hall: Hall) -> None:
    before = row_counts()
    file = hall.desk.save_file(form(name="赵敏", id_number=NEW, category="", matter=""),
                               actor="desk01")
    assert (file.name, file.visits) == ("赵敏", ())
    assert row_counts()["ticket"] == before["ticket"] and row_counts()["visit"] == 0
    with pytest.raises(NeedsConfirmation, match="才能保存档案"):
        hall.desk.save_file(form(name="赵明", id_number=NEW), actor="desk01")
    file = hall.desk.save_file(form(name="赵明", id_number=NEW, rename=True), actor="desk01")
    assert file.name == "赵明" and [(c.old, c.new) for c in file.history] == [("赵敏", "赵明")]
