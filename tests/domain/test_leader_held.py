"""A reception day is held or did not take place (未举行): the one rule in
``hall.leaders.views.shown_status``, shown by the facade, the calendar and ``hall leader-days``.

A day is held when its first booked visitor checks in (stored), or, on a day that takes walk-ins,
when the leader's room called someone that day; a published day whose date passed otherwise shows
as 未举行 instead of "published" forever.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.leaders.views import shown_status
from screens.leaders.monthgrid import cell_lines
from tests.cli.test_cli import Cli
from tests.helpers import TEST_PASSWORD, distinct_id, form

TODAY = date(2026, 11, 23)


def test_the_rule() -> None:
    past, today = date(2026, 11, 22), TODAY
    assert shown_status("published", past, today, received=False) == "lapsed"
    assert shown_status("published", past, today, received=True) == "held"
    assert shown_status("published", today, today, received=False) == "published"
    for stored in ("planned", "held", "cancelled"):
        assert shown_status(stored, past, today, received=False) == stored


def test_days_after_their_date(hall: Hall, clock: FixedClock) -> None:
    for n in (1, 2):
        hall.desk.issue(form(id_number=distinct_id(n)), actor="desk01")
    lapsed = hall.leaders.add_day("lihong", TODAY, "09:00", "11:00", 2, actor="mgr01")
    hall.leaders.bookings.book(lapsed.id, distinct_id(1), actor="desk01")
    checked = hall.leaders.add_day("zhangwei", TODAY, "14:00", "16:00", 2, actor="mgr01")
    booking = hall.leaders.bookings.book(checked.id, distinct_id(2), actor="desk01").booking
    hall.leaders.bookings.check_in(booking.id, actor="desk01")
    walk_in = hall.leaders.add_day("shenlv", TODAY, "09:00", "17:00", 5, actor="mgr01",
                                   walk_ins=True)
    hall.desk.issue(form(id_number=distinct_id(3), category="legal_advice", department="lawyer"),
                    actor="desk01")
    # the lawyer seat receives a walk-in
    assert hall.windows.call_next(13, actor="win13") is not None
    cancelled = hall.leaders.add_day("wangshu", date(2026, 11, 24), "09:00", "11:00", 2,
                                     actor="mgr01")
    hall.leaders.cancel_day(cancelled.id, "公务", actor="mgr01")
    assert [hall.leaders.day(d.id).status for d in (lapsed, checked, walk_in)] == [
        "published", "held", "published"]

    clock.advance(days=2)
    shown = {d.id: (d.status, d.status_label)
             for d in hall.leaders.days(date(2026, 11, 1), date(2026, 11, 30))}
    assert shown == {lapsed.id: ("lapsed", "未举行"), checked.id: ("held", "已接待"),
                     walk_in.id: ("held", "已接待"), cancelled.id: ("cancelled", "已取消")}
    day = hall.leaders.day(lapsed.id)
    [line] = cell_lines(TODAY, [day], date(2026, 11, 25), width=12, rows=2)[1:]
    assert line[0].split() == ["李红", "未举行"] and "italic" in line[1]
    # The schedule export says so too.
    from hall.export import month_schedule

    days, csv_text, _ = month_schedule(hall, 2026, 11)
    assert "未举行" in csv_text and lapsed.id in {d.id for d in days}


@pytest.fixture
def cli(db_url: str, capsys, monkeypatch, tmp_path: Path) -> Cli:
    for name in ("HALL_CONFIG", "HALL_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_STAFF", "mgr01")
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)
    return Cli(db_url, capsys)


def test_leader_days_shows_a_lapsed_day(cli: Cli, monkeypatch) -> None:
    monkeypatch.setenv("HALL_NOW", "2026-11-23T09:00:00+08:00")
    day = cli.json("leader-days", "add", "--leader", "lihong", "--date", "2026-11-23",
                   "--start", "09:00", "--end", "10:00", "--capacity", "3")
    assert day["status"] == "published"
    monkeypatch.setenv("HALL_NOW", "2026-11-24T09:00:00+08:00")
    [listed] = cli.json("leader-days", "--month", "2026-11")["days"]
    assert listed["status"] == "lapsed"
    status, out, _ = cli("leader-days", "--month", "2026-11")
    assert status == 0 and out.rstrip().endswith("未举行")
