"""Two desks in two processes booking the last place of a day at the same instant.

Exactly one gets the place, the other the waiting list, round after round, on SQLite and on
PostgreSQL. In the slow rounds each desk pauses inside its transaction after counting the places
taken: only the lock on the day's row (``SELECT … FOR UPDATE`` / ``BEGIN IMMEDIATE``) keeps the
second desk from counting the same free place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import LeaderBooking, open_database
from tests import workers
from tests.conftest import fill
from tests.helpers import distinct_id, form
from tests.workers import run_workers

ROUNDS = 6


@pytest.fixture
def fresh(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[tuple[str, Hall]]:
    fill(db_url, config, clock)  # the new hall's state, copied (tests/conftest.py)
    hall = Hall(open_database(db_url), config, clock)
    yield db_url, hall
    hall.db.close()


@pytest.mark.parametrize("slow", [False, True], ids=["full-speed", "slow-count"])
def test_two_desks_booking_the_last_place_at_once(fresh: tuple[str, Hall], slow: bool) -> None:
    url, hall = fresh
    days = []
    for n in range(ROUNDS):
        # Each day has two places and one already booked: one place left.
        day = hall.leaders.add_day("lihong", date(2026, 11, 24 + n), "09:00", "11:00", 2,
                                   actor="mgr01").id
        seated = distinct_id(500 + n)
        hall.desk.issue(form(id_number=seated), actor="desk01")
        hall.leaders.bookings.book(day, seated, actor="desk01")
        days.append(day)
    people = [[distinct_id(100 * (w + 1) + n) for n in range(ROUNDS)] for w in range(2)]
    for group in people:
        for id_number in group:
            hall.desk.issue(form(id_number=id_number), actor="desk01")
    hall.db.close()

    results = run_workers(workers.book_rounds, [
        (url, list(zip(days, people[w], strict=True)), slow) for w in range(2)])
    assert [e for r in results for e in r["errors"]] == []
    per_day: dict[int, Counter[str]] = {d: Counter() for d in days}
    for r in results:
        for day_id, status in r["statuses"]:
            per_day[day_id][status] += 1
    assert all(c == Counter(booked=1, waitlisted=1) for c in per_day.values()), per_day

    hall.db.connect(reuse_if_open=True)
    for day_id in days:
        view = hall.leaders.day(day_id)
        assert (view.booked, view.waitlisted, view.capacity) == (2, 1, 2)
        seqs = [b.seq for b in LeaderBooking.select().where(LeaderBooking.day == day_id)]
        assert sorted(seqs) == [1, 2, 3]  # booking order without gap or duplicate


def test_two_desks_checking_one_booking_in_make_one_ticket(fresh: tuple[str, Hall]) -> None:
    url, hall = fresh
    day = hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:00", 2, actor="mgr01").id
    person = distinct_id(7)
    hall.desk.issue(form(id_number=person), actor="desk01")
    booking = hall.leaders.bookings.book(day, person, actor="desk01").booking.id
    hall.db.close()
    results = run_workers(workers.check_in_once, [(url, booking)] * 2)
    assert [e for r in results for e in r["errors"]] == []
    numbers = [r["number"] for r in results if r["number"]]
    assert numbers == ["D001"]
    assert [r["refused"] for r in results if r["refused"]] == [
        f"预约 {booking} 已签到（票号 D001）"]
    hall.db.connect(reuse_if_open=True)
    from models import Ticket

    assert Ticket.select().where(Ticket.department == "leader").count() == 1
