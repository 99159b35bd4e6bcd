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
from models import AuditEvent, LeaderBooking, Ticket, Visitor, WindowState
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
    file = hall.desk.visitor_file(NEW, viewer="mgr01")
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
    changes = {(c.field, c.old, c.new) for c in hall.desk.file_history(visitor.id, viewer="mgr01")}
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


# -- 2. no transfer into a closed room -----------------------------------------------------------

def test_a_window_cannot_transfer_into_a_closed_lawyer_seat(hall: Hall) -> None:
    duty_day(hall)
    ticket = hall.desk.issue(form(category="wages"), actor="desk01")
    hall.windows.call_next(7, actor="win07")
    with only_changes(Ticket), only_changes(WindowState), \
            pytest.raises(Refused) as caught:
        hall.windows.transfer(7, "lawyer", actor="win07")
    message = str(caught.value)
    assert "今天没有值班律师，不能转入" in message
    assert "下次值班：11月25日（周三）09:00–17:00 沈律师值班律师" in message
    assert "登记台" in message and "F7" not in message  # the window has no F7
    with pytest.raises(Refused, match="今天没有领导接待"):
        hall.windows.transfer(7, "leader", actor="win07")
    # On a duty day the seat takes the transfer, as it takes walk-ins.
    hall.leaders.add_day("shenlv", TODAY, "09:00", "17:00", 20, actor="mgr01", walk_ins=True)
    assert hall.windows.transfer(7, "lawyer", actor="win07") == ticket.number
    assert hall.desk.ticket_status(ticket.number).department == "lawyer"


# -- 3. walk-ins end with the day's last reception ----------------------------------------------

def test_walk_ins_end_with_the_days_last_reception(hall: Hall) -> None:
    hall.leaders.add_day("zhangwei", TODAY, "09:00", "11:30", 8, actor="mgr01", walk_ins=True)
    hall.leaders.add_day("lihong", TODAY, "14:00", "16:00", 8, actor="mgr01", walk_ins=True)
    later = hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:30", 8,
                                 actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    ids = iter(make_id(seq=n) for n in range(101, 110))
    assert hall.desk.issue(form(department="leader", id_number=next(ids)),
                           actor="desk01").number == "D001"
    at(hall, "12:00")  # between the two: the afternoon's queue
    assert hall.desk.issue(form(department="leader", id_number=next(ids)),
                           actor="desk01").number == "D002"
    at(hall, "16:00")
    before = row_counts()
    with pytest.raises(ClosedToday) as caught:
        hall.desk.issue(form(department="leader", id_number=next(ids)), actor="desk01")
    message = caught.value.errors["department"]
    assert "今天的领导接待已于 16:00 结束，不能取号" in message
    assert "下次接待：11月30日（周一）09:00–11:30 张伟副市长" in message
    assert caught.value.day_id == later.id
    assert row_counts() == before
    # Another queue is not affected.
    assert hall.desk.issue(form(id_number=next(ids)), actor="desk01").department == "hrss"


def test_a_booking_checks_in_after_the_reception_ended(hall: Hall) -> None:
    """The rule chosen: a booked visitor is the reception's own and checks in all the day of
    the booking; only walk-ins end with the reception."""
    day = hall.leaders.add_day("shenlv", TODAY, "09:00", "11:00", 8, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    booked = hall.leaders.bookings.book_form(day.id, LAWYER, actor="desk01").booking
    at(hall, "11:40")
    with pytest.raises(ClosedToday, match="今天的律师值班已于 11:00 结束"):
        hall.desk.issue(form(category="legal_advice"), actor="desk01")
    assert hall.leaders.bookings.check_in(booked.id, actor="desk01").department == "lawyer"


def test_a_transfer_after_the_reception_ended_is_refused(hall: Hall) -> None:
    hall.leaders.add_day("shenlv", TODAY, "09:00", "11:00", 8, actor="mgr01", walk_ins=True)
    hall.desk.issue(form(category="wages"), actor="desk01")
    at(hall, "11:00")
    hall.windows.call_next(7, actor="win07")
    with only_changes(Ticket, *()), pytest.raises(Refused, match="已于 11:00 结束，不能转入"):
        hall.windows.transfer(7, "lawyer", actor="win07")


def test_a_passport_holder_is_looked_up_booked_and_checked_in_by_passport(hall: Hall) -> None:
    """The desk's booking dialog asks with the form's document type: a passport number is not
    read as an ID card's (which refused it), and an ID card holder with the same characters is
    another file."""
    day = hall.leaders.add_day("shenlv", TODAY, "09:00", "11:00", 8, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    with pytest.raises(Refused, match="身份证号有误"):  # what the dialog asked before
        hall.leaders.bookings.for_desk("E12345678", viewer="mgr01")
    found = hall.leaders.bookings.for_desk("E12345678", "passport", viewer="mgr01")
    assert not found.registered and [d.id for d in found.days] == [day.id]
    file = hall.desk.save_file(form(name="John Smith", id_number="e12345678",
                                    document_type="passport"), actor="desk01")
    other = hall.desk.save_file(form(name="李秀英", id_number=NEW), actor="desk01")
    found = hall.leaders.bookings.for_desk("E12345678", "passport", viewer="mgr01")
    assert (found.registered, found.name) == (True, "John Smith")
    with only_changes(Visitor), only_changes(Ticket):
        booked = hall.leaders.bookings.book(day.id, "E12345678", "desk01", doc_type="passport")
    assert booked.booking.status == "booked"
    assert [b.id for b in hall.leaders.bookings.of("E12345678", doc_type="passport")] == [
        booked.booking.id]
    assert hall.leaders.bookings.of(NEW) == []  # the other file has no booking
    with pytest.raises(Refused, match="护照号有误"):
        hall.leaders.bookings.for_desk("E1", "passport", viewer="mgr01")
    with only_changes(Visitor):  # the check-in reads the file as a passport's, changes no file
        ticket = hall.leaders.bookings.check_in(booked.booking.id, actor="desk01")
    assert ticket.department == "lawyer"
    row = LeaderBooking.get_by_id(booked.booking.id)
    assert (row.visitor_id, row.status) == (file.visitor_id, "checked_in")
    assert Visitor.get_by_id(other.visitor_id).name == "李秀英"
