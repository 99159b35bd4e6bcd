"""Reception days on the facade: planning, publishing, booking, the waiting list, check-in order,
cancellations with history, walk-ins, 包案 and the board's line. SQLite and PostgreSQL.

The hall's clock stands at Monday 2026-11-23 09:00 (tests/conftest.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from hall import Hall
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from hall.leaders import BOOKED_RANK_BASE
from models import AuditEvent, BookingEvent, LeaderBooking, LeaderDay, Ticket
from tests.helpers import distinct_id, form, make_id, row_counts

TODAY = date(2026, 11, 23)


def visitors(hall: Hall, n: int, first: int = 1) -> list[str]:
    """Register ``n`` visitors (a wage claim each) and return their ID numbers."""
    ids = [distinct_id(k) for k in range(first, first + n)]
    for id_number in ids:
        hall.desk.issue(form(id_number=id_number), actor="desk01")
    return ids


def today_day(hall: Hall, capacity: int = 3, walk_ins: bool = True) -> int:
    return hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", capacity, actor="mgr01",
                                walk_ins=walk_ins).id


# -- planning and publishing ----------------------------------------------------------------------

def test_planning_a_month_follows_the_rules_and_the_holidays(hall: Hall) -> None:
    plan = hall.leaders.plan.month(2026, 12, actor="mgr01")
    got = sorted((d.date, d.leader, d.shifted_from) for d in plan.created)
    assert got == [
        ("2026-12-01", "zhangwei", ""),
        ("2026-12-07", "shenlv", "2026-12-05"),  # Saturday the 5th → Monday
        ("2026-12-15", "lihong", ""),
        ("2026-12-15", "shenlv", ""),
        ("2026-12-25", "shenlv", ""),
    ]
    assert plan.warnings == ()
    assert {d.status for d in plan.created} == {"planned"}
    lawyer = next(d for d in plan.created if d.leader == "shenlv")
    assert (lawyer.room, lawyer.department, lawyer.capacity) == ("律师咨询席", "lawyer", 20)
    zhang = next(d for d in plan.created if d.leader == "zhangwei")
    assert (zhang.room, zhang.start, zhang.end, zhang.topic) == (
        "领导接访室", "09:00", "11:30", "城建与征收拆迁")
    # Planning again makes nothing new; a cancelled day is not planned again.
    assert hall.leaders.plan.month(2026, 12, actor="mgr01").created == ()
    hall.leaders.cancel_day(zhang.id, "领导外出开会", actor="mgr01")
    assert hall.leaders.plan.month(2026, 12, actor="mgr01").created == ()
    assert LeaderDay.select().count() == 5


def test_planning_skips_days_already_past(hall: Hall) -> None:
    plan = hall.leaders.plan.month(2026, 11, actor="mgr01")
    assert [(d.date, d.leader) for d in plan.created] == [("2026-11-25", "shenlv")]


def test_publishing_reaches_the_configured_days_ahead(hall: Hall) -> None:
    hall.leaders.plan.month(2026, 11, actor="mgr01")
    hall.leaders.plan.month(2026, 12, actor="mgr01")
    published = hall.leaders.plan.publish_due(actor="mgr01")
    # 14 days ahead of 23 November: up to 7 December.
    assert [d.date for d in published] == ["2026-11-25", "2026-12-01", "2026-12-07"]
    later = hall.leaders.days(date(2026, 12, 8), date(2026, 12, 31))
    assert {d.status for d in later} == {"planned"}
    assert hall.leaders.plan.publish_due(actor="mgr01") == []
    one = hall.leaders.plan.publish_day(later[0].id, actor="mgr01")
    assert one.status == "published"
    with pytest.raises(Refused, match="无需发布"):
        hall.leaders.plan.publish_day(later[0].id, actor="mgr01")


def test_a_managers_rule_plans_days_and_can_be_retired(hall: Hall) -> None:
    from config.leaders import ScheduleRule

    rule = hall.leaders.plan.add_rule("zhangwei", ScheduleRule(every="week", weekday=3, capacity=4),
                                      actor="mgr01")
    assert rule.description == "每周三 09:00–11:30"
    assert any(r.rule_id == rule.rule_id for r in hall.leaders.plan.rules())
    plan = hall.leaders.plan.month(2026, 12, actor="mgr01")
    weds = sorted(d.date for d in plan.created if d.leader == "zhangwei" and d.capacity == 4)
    assert weds == ["2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30"]
    hall.leaders.plan.retire_rule(rule.rule_id, actor="mgr01")
    assert all(r.rule_id != rule.rule_id for r in hall.leaders.plan.rules())
    assert hall.leaders.plan.month(2027, 1, actor="mgr01").created  # the config rules go on
    with pytest.raises(Refused, match="已停用"):
        hall.leaders.plan.retire_rule(rule.rule_id, actor="mgr01")


# -- one-off days and their validation ------------------------------------------------------------

def test_a_one_off_day_is_published_within_the_horizon(hall: Hall) -> None:
    near = hall.leaders.add_day("zhangwei", date(2026, 11, 30), "14:00", "16:00", 5, actor="mgr01",
                                topic="物业专题")
    far = hall.leaders.add_day("zhangwei", date(2027, 1, 20), "14:00", "16:00", 5, actor="mgr01")
    assert (near.status, near.topic, near.room) == ("published", "物业专题", "领导接访室")
    assert far.status == "planned"
    with pytest.raises(Refused, match="已有接待日"):
        hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "10:00", 5, actor="mgr01")


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"on": date(2026, 11, 20)}, "date", "已过"),
    ({"start": "11:00", "end": "10:00"}, "end", "应晚于"),
    ({"capacity": 0}, "capacity", "1 到 500"),
    ({"start": "25:00"}, "start", "HH:MM"),
])
def test_a_bad_day_is_refused_and_writes_nothing(hall: Hall, kwargs: dict, field: str,
                                                 message: str) -> None:
    values = {"leader": "zhangwei", "on": date(2026, 11, 30), "start": "09:00",
              "end": "11:00", "capacity": 5, "actor": "mgr01"} | kwargs
    before = (LeaderDay.select().count(), AuditEvent.select().count())
    with pytest.raises(FormError) as caught:
        hall.leaders.add_day(**values)
    assert message in caught.value.errors[field]
    assert (LeaderDay.select().count(), AuditEvent.select().count()) == before


def test_an_unknown_leader_is_named_with_the_valid_ones(hall: Hall) -> None:
    with pytest.raises(NotFound, match="zhangwei（张伟副市长）"):
        hall.leaders.add_day("zhang", date(2026, 11, 30), "09:00", "11:00", 5, actor="mgr01")


# -- bookings -------------------------------------------------------------------------------------

def test_places_then_the_waiting_list(hall: Hall) -> None:
    ids = visitors(hall, 4)
    day = today_day(hall, capacity=2)
    results = [hall.leaders.bookings.book(day, i, actor="desk01").booking for i in ids]
    assert [b.status for b in results] == ["booked", "booked", "waitlisted", "waitlisted"]
    assert [b.waitlist_position for b in results] == [0, 0, 1, 2]
    assert results[0].name_masked == "张*" and "*" in results[0].id_number_masked
    view = hall.leaders.day(day)
    assert (view.booked, view.waitlisted, view.free) == (2, 2, 0)
    with pytest.raises(Refused, match="同一天不能预约两次"):
        hall.leaders.bookings.book(day, ids[0], actor="desk01")
    with pytest.raises(Refused, match="同一天不能预约两次"):
        hall.leaders.bookings.book(day, ids[3], actor="desk01")  # a waiting-list place counts too


def test_a_cancellation_moves_the_waiting_list_up_and_keeps_history(hall: Hall) -> None:
    ids = visitors(hall, 4)
    day = today_day(hall, capacity=2)
    first, _, third, fourth = (hall.leaders.bookings.book(day, i, actor="desk01").booking
                               for i in ids)
    result = hall.leaders.bookings.cancel(first.id, actor="desk02", reason="来访人有事")
    assert result.booking.status == "cancelled"
    assert result.promoted is not None and result.promoted.id == third.id
    assert hall.leaders.bookings.get(third.id).status == "booked"
    assert hall.leaders.bookings.get(fourth.id).waitlist_position == 1
    assert [(e.kind, e.actor, e.note) for e in hall.leaders.bookings.history(first.id)] == [
        ("booked", "desk01", ""), ("cancelled", "desk02", "来访人有事")]
    assert [e.kind for e in hall.leaders.bookings.history(third.id)] == ["waitlisted", "promoted"]
    # Cancelling a waiting-list place moves nobody.
    assert hall.leaders.bookings.cancel(fourth.id, actor="desk01").promoted is None
    assert LeaderBooking.select().count() == 4  # nothing deleted
    with pytest.raises(Refused, match="不能取消"):
        hall.leaders.bookings.cancel(first.id, actor="desk01")
    # The visitor may book the day again after cancelling.
    assert hall.leaders.bookings.book(day, ids[0], actor="desk01").booking.status == "waitlisted"


def test_a_reschedule_keeps_the_old_booking_and_frees_its_place(hall: Hall) -> None:
    ids = visitors(hall, 3)
    day = today_day(hall, capacity=2)
    other = hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:00", 5,
                                 actor="mgr01").id
    first, _, third = (hall.leaders.bookings.book(day, i, actor="desk01").booking for i in ids)
    moved = hall.leaders.bookings.reschedule(first.id, other, actor="desk01")
    assert (moved.booking.day_id, moved.booking.status) == (other, "booked")
    assert moved.booking.previous_id == first.id
    assert moved.promoted is not None and moved.promoted.id == third.id
    assert hall.leaders.bookings.get(first.id).status == "rescheduled"
    history = hall.leaders.bookings.history(moved.booking.id)
    assert [e.kind for e in history] == ["booked", "rescheduled", "booked"]
    with pytest.raises(Refused, match="不能改约"):
        hall.leaders.bookings.reschedule(first.id, other, actor="desk01")


def test_what_cannot_be_booked(hall: Hall) -> None:
    visitors(hall, 1)
    day = today_day(hall)
    with pytest.raises(NotFound, match="没有登记档案"):
        hall.leaders.bookings.book(day, make_id(seq=999), actor="desk01")
    with pytest.raises(Refused, match="身份证号有误"):
        hall.leaders.bookings.book(day, "110105198001010012", actor="desk01")
    with pytest.raises(NotFound, match="没有编号为 999"):
        hall.leaders.bookings.book(999, distinct_id(1), actor="desk01")
    far = hall.leaders.add_day("zhangwei", date(2027, 3, 1), "09:00", "11:00", 5, actor="mgr01")
    with pytest.raises(Refused, match="尚未发布"):
        hall.leaders.bookings.book(far.id, distinct_id(1), actor="desk01")
    hall.leaders.cancel_day(day, "领导临时公务", actor="mgr01")
    before = row_counts() | {"booking": LeaderBooking.select().count()}
    with pytest.raises(Refused, match="已取消（领导临时公务）"):
        hall.leaders.bookings.book(day, distinct_id(1), actor="desk01")
    assert row_counts() | {"booking": LeaderBooking.select().count()} == before


def test_cancelling_a_day_tells_the_desk_whom_to_notify(hall: Hall) -> None:
    ids = visitors(hall, 3)
    day = today_day(hall, capacity=2)
    for i in ids:
        hall.leaders.bookings.book(day, i, actor="desk01")
    with pytest.raises(Refused, match="原因"):
        hall.leaders.cancel_day(day, "  ", actor="mgr01")
    result = hall.leaders.cancel_day(day, "领导临时公务", actor="mgr01")
    assert result.day.status == "cancelled" and result.day.cancel_reason == "领导临时公务"
    assert [(n.name, n.status) for n in result.notify] == [
        ("张三", "booked"), ("张三", "booked"), ("张三", "waitlisted")]
    assert {b.status for b in LeaderBooking.select()} == {"day_cancelled"}
    assert BookingEvent.select().where(BookingEvent.kind == "day_cancelled").count() == 3
    with pytest.raises(Refused, match="不能取消"):
        hall.leaders.cancel_day(day, "再取消", actor="mgr01")


# -- check-in and the order of the leader's queue -------------------------------------------------

def test_booked_visitors_are_called_in_booking_order_before_walk_ins(hall: Hall, clock) -> None:
    ids = visitors(hall, 3)
    day = today_day(hall, capacity=3, walk_ins=True)
    bookings = [hall.leaders.bookings.book(day, i, actor="desk01").booking for i in ids]
    # An elderly walk-in takes a ticket first; the booked arrive in reverse order.
    elderly = hall.desk.issue(form(id_number=make_id("19400101", seq=5), department="leader"),
                         actor="desk01")
    assert elderly.priority_name == "老年人"
    clock.advance(minutes=5)
    tickets = [hall.leaders.bookings.check_in(b.id, actor="desk01") for b in reversed(bookings)]
    assert [t.department for t in tickets] == ["leader"] * 3
    assert [t.number for t in tickets] == ["D002", "D003", "D004"]  # numbering shared
    assert tickets[0].priority_name == "预约"
    assert tickets[-1].ahead == 0  # the first booking goes first, whenever it arrived
    called = []
    while (notice := hall.windows.call_next(20, actor="win20")) is not None:
        called.append(notice.number)
        hall.windows.finish(20, "answered", actor="win20")
    assert called == ["D004", "D003", "D002", elderly.number]
    ranks = {t.number: t.priority_rank for t in Ticket.select()}
    assert ranks["D004"] < ranks["D003"] < ranks["D002"] < 0 <= ranks[elderly.number]
    assert ranks["D004"] < 1 - BOOKED_RANK_BASE
    assert hall.leaders.day(day).status == "held"
    assert hall.leaders.bookings.get(bookings[0].id).ticket_number == "D004"


def test_check_in_makes_a_ticket_like_the_desks(hall: Hall) -> None:
    ids = visitors(hall, 1)
    day = today_day(hall)
    booking = hall.leaders.bookings.book(day, ids[0], actor="desk01", matter="安置房质量问题",
                                         category="demolition").booking
    ticket = hall.leaders.bookings.check_in(booking.id, actor="desk02")
    assert ticket.repeat is True and len(ticket.visits) == 2
    assert hall.desk.ticket_status(ticket.query_code).number == ticket.number
    assert ticket.visits[0].category == "demolition"
    assert AuditEvent.select().where(AuditEvent.action == "ticket.issue").count() == 2
    assert AuditEvent.select().where(AuditEvent.action == "booking.check_in").count() == 1
    with pytest.raises(Refused, match="已签到（票号 D001）"):
        hall.leaders.bookings.check_in(booking.id, actor="desk02")


def test_only_a_booked_place_on_its_own_day_checks_in(hall: Hall) -> None:
    ids = visitors(hall, 2)
    day = today_day(hall, capacity=1)
    hall.leaders.bookings.book(day, ids[0], actor="desk01")
    waiting = hall.leaders.bookings.book(day, ids[1], actor="desk01").booking
    with pytest.raises(Refused, match="候补"):
        hall.leaders.bookings.check_in(waiting.id, actor="desk01")
    later = hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:00", 5, actor="mgr01")
    future = hall.leaders.bookings.book(later.id, ids[0], actor="desk01").booking
    before = Ticket.select().count()
    with pytest.raises(Refused, match="只能在当天签到"):
        hall.leaders.bookings.check_in(future.id, actor="desk01")
    assert Ticket.select().count() == before


def test_walk_ins_only_when_the_day_accepts_them(hall: Hall) -> None:
    # No day today: the leader's room is closed (leader_settings.closed_without_day) ...
    with pytest.raises(FormError) as caught:
        hall.desk.issue(form(department="leader"), actor="desk01")
    assert "今天没有领导接待" in caught.value.errors["department"]
    # ... and so is the lawyer seat without a duty lawyer (tests/domain/test_lawyer_seat.py).
    with pytest.raises(FormError) as caught:
        hall.desk.issue(form(category="legal_advice"), actor="desk01")
    assert "今天没有值班律师" in caught.value.errors["department"]
    day = today_day(hall, walk_ins=False)
    with pytest.raises(FormError) as caught:
        hall.desk.issue(form(department="leader"), actor="desk01")
    assert "只接待预约来访人" in caught.value.errors["department"]
    hall.leaders.edit_day(day, actor="mgr01", walk_ins=True)
    # (Another visitor: the first one's S001 still waits, issue 9 §3.)
    assert hall.desk.issue(form(department="leader", id_number=make_id(seq=61)),
                           actor="desk01").number == "D001"


def test_more_places_move_the_waiting_list_up(hall: Hall) -> None:
    ids = visitors(hall, 3)
    day = today_day(hall, capacity=1)
    books = [hall.leaders.bookings.book(day, i, actor="desk01").booking for i in ids]
    with pytest.raises(FormError) as caught:
        hall.leaders.edit_day(day, actor="mgr01", capacity=0)
    assert "1 到 500" in caught.value.errors["capacity"]
    view = hall.leaders.edit_day(day, actor="mgr01", capacity=2, room="第二接访室")
    assert (view.capacity, view.booked, view.waitlisted, view.room) == (2, 2, 1, "第二接访室")
    assert hall.leaders.bookings.get(books[1].id).status == "booked"
    hall.leaders.edit_day(day, actor="mgr01", capacity=3)
    with pytest.raises(FormError) as caught:
        hall.leaders.edit_day(day, actor="mgr01", capacity=2)
    assert "已有 3 人预约" in caught.value.errors["capacity"]


# -- 包案 and the board ---------------------------------------------------------------------------

def test_a_leaders_case_shows_in_the_visitors_file(hall: Hall) -> None:
    ids = visitors(hall, 1)
    case = hall.leaders.take_case(ids[0], "zhangwei", "安置房久拖未交付", actor="mgr01")
    assert (case.leader_label, case.date) == ("张伟副市长", "2026-11-23")
    file = hall.desk.visitor_file(ids[0], viewer="mgr01")
    assert file is not None and file.cases == (case,)
    with pytest.raises(NotFound, match="没有登记档案"):
        hall.leaders.take_case(make_id(seq=999), "zhangwei", "x", actor="mgr01")
    with pytest.raises(Refused, match="事项"):
        hall.leaders.take_case(ids[0], "zhangwei", "  ", actor="mgr01")


def test_the_board_lists_todays_receptions_without_visitors(hall: Hall) -> None:
    ids = visitors(hall, 1)
    day = today_day(hall)
    hall.leaders.add_day("shenlv", TODAY, "08:30", "17:00", 20, actor="mgr01")
    hall.leaders.bookings.book(day, ids[0], actor="desk01")
    lines = hall.board.view().receptions
    assert [(r.leader_label, r.room, r.start, r.end) for r in lines] == [
        ("沈律师值班律师", "律师咨询席", "08:30", "17:00"),
        ("李红市信访局局长", "领导接访室", "09:00", "11:30")]
    assert "张三" not in repr(lines)
    hall.leaders.cancel_day(day, "公务", actor="mgr01")
    assert len(hall.board.view().receptions) == 1
