"""Reception days and 包案 by leader (issue 13 §1) on a hand-built hall; answers by hand.

Period: business days 2026-11-23 … 11-30; "now" 2026-12-10 (every day below has gone by).

====================  =====  =========================================================
leader                date   what happened
====================  =====  =========================================================
张伟 (zhangwei)       11-22  before the period: one booking, checked in
张伟                  11-24  capacity 1: V1 booked, V2 waitlisted; V1 checks in: held
李红 (lihong)         11-25  V3 and V4 booked, V5 booked then moved to 12-01 (已改约);
                             nobody comes: lapsed
李红                  11-27  V6 booked; the day is cancelled on 11-26: cancelled
沈律师 (shenlv)       11-26  walk-ins, no booking; the lawyer calls a walk-in: held
沈律师                11-28  walk-ins, nobody called: lapsed
张伟                  12-01  after the period: V5's moved booking
====================  =====  =========================================================

So: 张伟 1 day, held 1, bookings 2 (V1, V2), attended 1, waitlisted 1; 李红 2 days, lapsed 1,
cancelled 1, bookings 3 (V3, V4, V6: V5's old booking counts on 12-01), attended 0; 沈律师 2 days,
held 1, lapsed 1, no bookings.

包案: cases opened in the period with a leader: A (李红, closed), B (张伟, open); G opened 11-22
with 李红 is before it; two older ``leader_case`` rows, 王舒 11-28 (in) and 王舒 12-01 (out).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.stats.period import range_period
from hall.stats.views import Figures, Filters
from models import LeaderCase, Visitor
from tests.helpers import distinct_id, form

CST = timezone(timedelta(hours=8))
PERIOD = range_period(date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 10))
_ids = itertools.count(500)


def at(clock: FixedClock, m: int, d: int, hh: int = 9, mm: int = 0) -> None:
    clock.set(datetime(2026, m, d, hh, mm, tzinfo=CST))


def visitor(hall: Hall, category: str = "wages") -> str:
    """A registered visitor (the desk issues a ticket); their ID number."""
    number = distinct_id(next(_ids))
    hall.desk.issue(form(id_number=number, category=category), actor="desk01")
    return number


def open_case(hall: Hall) -> int:
    visitor(hall)
    hall.windows.call_next(7, "win07")
    finished = hall.windows.finish_visit(7, "filed", "win07", note="接谈")
    assert finished.case is not None
    return finished.case.case_id


def scene(hall: Hall, clock: FixedClock) -> None:
    lead, book = hall.leaders, hall.leaders.bookings
    at(clock, 11, 22, 8)
    v0 = visitor(hall)
    before = lead.add_day("zhangwei", date(2026, 11, 22), "09:00", "11:30", 5, actor="mgr01")
    b0 = book.book(before.id, v0, "desk01").booking.id
    at(clock, 11, 22, 9, 30)
    book.check_in(b0, "desk01")
    g = open_case(hall)
    hall.cases.lead(g, "lihong", "mgr01")

    at(clock, 11, 23, 8)
    v = [visitor(hall) for _ in range(6)]
    day24 = lead.add_day("zhangwei", date(2026, 11, 24), "09:00", "11:30", 1, actor="mgr01")
    day25 = lead.add_day("lihong", date(2026, 11, 25), "14:30", "17:00", 5, actor="mgr01")
    day27 = lead.add_day("lihong", date(2026, 11, 27), "14:30", "17:00", 5, actor="mgr01")
    dec1 = lead.add_day("zhangwei", date(2026, 12, 1), "09:00", "11:30", 5, actor="mgr01")
    lead.add_day("shenlv", date(2026, 11, 26), "09:00", "17:00", 20, actor="mgr01",
                 walk_ins=True)
    lead.add_day("shenlv", date(2026, 11, 28), "09:00", "17:00", 20, actor="mgr01",
                 walk_ins=True)
    b1 = book.book(day24.id, v[0], "desk01").booking
    b2 = book.book(day24.id, v[1], "desk01").booking
    assert (b1.status, b2.status) == ("booked", "waitlisted")
    book.book(day25.id, v[2], "desk01")
    book.book(day25.id, v[3], "desk01")
    fifth = book.book(day25.id, v[4], "desk01").booking
    book.book(day27.id, v[5], "desk01")
    a = open_case(hall)
    b = open_case(hall)
    hall.cases.lead(a, "lihong", "mgr01")
    hall.cases.lead(b, "zhangwei", "mgr01")

    at(clock, 11, 24, 9, 10)
    book.check_in(b1.id, "desk01")
    at(clock, 11, 25, 8)
    book.reschedule(fifth.id, dec1.id, "desk01")
    at(clock, 11, 26, 9, 30)
    lead.cancel_day(day27.id, "领导临时公务", "mgr01")
    visitor(hall, "legal_advice")
    hall.windows.call_next(13, "win13")
    hall.cases.accept(a, "win07", how="当面告知")
    hall.cases.reply(a, "已办理", "win07")
    hall.cases.followup(a, "phone", "满意", "win07")
    hall.cases.close(a, "mgr01")

    someone = Visitor.select().first()
    for taken in (date(2026, 11, 28), date(2026, 12, 1)):
        LeaderCase.create(visitor=someone.id, leader="wangshu", taken_on=taken, matter="积案",
                          created_at=datetime(2026, 11, 28, 1), created_by="mgr01")
    at(clock, 12, 10, 10)


@pytest.fixture
def figures(hall: Hall, clock: FixedClock) -> Figures:
    scene(hall, clock)
    return hall.stats.figures("mgr01", PERIOD)


def test_reception_days(figures: Figures) -> None:
    table = figures.table("reception_days")
    assert table.columns == ("接待人", "接待日", "已举行", "已失效", "已取消", "预约", "到场",
                             "候补")
    assert table.rows == (
        ("李红市信访局局长", 2, 0, 1, 1, 3, 0, 0),
        ("沈律师值班律师", 2, 1, 1, 0, 0, 0, 0),
        ("张伟副市长", 1, 1, 0, 0, 2, 1, 1),
    )
    assert (figures.value("reception_days_held"), figures.value("bookings"),
            figures.value("attended")) == (2, 5, 1)


def test_leader_cases(figures: Figures, hall: Hall) -> None:
    """李红: A (closed); 张伟: B; 王舒: the older record of 11-28, never 已办结. Under a filter the
    older records (no visit) are left out, and the cases follow the cases' filters."""
    assert figures.table("leader_cases").rows == (("张伟副市长", 1, 0), ("李红市信访局局长", 1, 1),
                                                  ("王舒市委副书记", 1, 0))
    hrss = hall.stats.figures("mgr01", PERIOD, Filters(department="hrss"))
    assert hrss.table("leader_cases").rows == (("张伟副市长", 1, 0), ("李红市信访局局长", 1, 1))
    assert hall.stats.figures("mgr01", PERIOD, Filters(department="housing")).table(
        "leader_cases").rows == ()


def test_department_filter_keeps_that_rooms_days(figures: Figures, hall: Hall) -> None:
    """The lawyer's seat is its own department: only 沈律师's days."""
    lawyer = hall.stats.figures("mgr01", PERIOD, Filters(department="lawyer"))
    assert lawyer.table("reception_days").rows == (("沈律师值班律师", 2, 1, 1, 0, 0, 0, 0),)


def test_a_day_to_come_is_neither_held_nor_lapsed(figures: Figures, hall: Hall,
                                                   clock: FixedClock) -> None:
    """Seen on 11-27 (before 沈律师's 11-28): that day is in 接待日 but in no status column; the
    lapsed 李红 11-25 already lapsed."""
    at(clock, 11, 27, 10)
    early = hall.stats.figures("mgr01", PERIOD).table("reception_days")
    assert early.row("沈律师值班律师") == ("沈律师值班律师", 2, 1, 0, 0, 0, 0, 0)
    assert early.row("李红市信访局局长") == ("李红市信访局局长", 2, 0, 1, 1, 3, 0, 0)
