"""The demo hall's reception days: planned, published, today's reception booked, a 包案."""

from __future__ import annotations

from datetime import date

from hall import Hall
from hall.demo import build_demo
from models import LeaderCase

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
    assert LeaderCase.select().count() == 1
    ticket = hall.leaders.bookings.check_in(bookings[0].id, actor="desk01")
    assert ticket.number == "D001" and ticket.repeat
    assert hall.board.view().receptions[0].leader_label == "李红市信访局局长"
