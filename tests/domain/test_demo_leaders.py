"""The demo hall's reception days: planned, published, today's reception booked, a 包案."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hall import Hall
from hall.clock import FixedClock
from hall.demo import build_demo
from models import Case, LeaderCase, Ticket

TODAY = date(2026, 11, 23)


def test_the_demo_has_a_reception_today_with_bookings_to_check_in(hall: Hall) -> None:
    summary = build_demo(hall)
    today = hall.leaders.days(TODAY, TODAY)
    assert [(d.leader, d.status, d.booked) for d in today] == [("lihong", "published", 3)]
    bookings = hall.leaders.bookings.day_detail(today[0].id).bookings
    assert {b.status for b in bookings} == {"booked"}
    # They booked for the matter they keep coming back with.
    for b in bookings:
        assert b.category != "other" and b.matter
    assert "已预约（在登记台按 F7 签到）" in summary
    december = hall.leaders.days(date(2026, 12, 1), date(2026, 12, 31))
    assert {d.leader for d in december} == {"zhangwei", "lihong", "shenlv"}
    # The demo's 包案 is a case with its leader (issue 12); no older record is written.
    assert [c.leader for c in Case.select().where(Case.leader != "")] == ["lihong"]
    assert LeaderCase.select().count() == 0
    ticket = hall.leaders.bookings.check_in(bookings[0].id, actor="desk01")
    assert ticket.number == "D001" and ticket.repeat
    assert hall.board.view().receptions[0].leader_label == "李红市信访局局长"


def overlapping(days: list) -> list[tuple[int, int]]:
    """The oracle: pairs of receptions of one day sharing a room or a queue and a minute."""
    return [(a.id, b.id) for i, a in enumerate(days) for b in days[i + 1:]
            if a.date == b.date and (a.room == b.room or a.department == b.department)
            and a.start < b.end and b.start < a.end]


def test_on_a_rule_day_the_demo_books_that_reception_instead_of_a_second(
        hall: Hall, clock: FixedClock) -> None:
    # 1 December 2026: 张伟 receives 09:00–11:30 by rule; the demo used to add 李红 at the same
    # time in the same room.
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    summary = build_demo(hall)
    today = hall.leaders.days(date(2026, 12, 1), date(2026, 12, 1))
    assert overlapping(today) == []
    assert [(d.leader, d.booked) for d in today] == [("zhangwei", 3)]
    assert "今日 张伟副市长 接待" in summary


def test_the_demo_asks_the_lawyer_only_on_a_duty_day(hall: Hall, clock: FixedClock) -> None:
    clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))  # a duty day
    build_demo(hall)
    lawyer = {t.business_day for t in Ticket.select().where(Ticket.department == "lawyer")}
    assert lawyer == {date(2026, 11, 25)}  # earlier days had no duty lawyer: none asked
