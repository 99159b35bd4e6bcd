"""Two receptions on one day each with their own queue, and whom a visitor waits for (issue 9 §4):
the window's list and ``hall queue`` name the reception. SQLite and PostgreSQL.

The hall's clock stands at Monday 2026-11-23 09:00 (tests/conftest.py). 李红 receives 09:00–10:30
and 张伟 14:00–16:00 in the leader's room (one queue, one after the other); the duty lawyer
09:00–17:00 at the lawyer seat (another room, another queue).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hall import Hall
from tests.cli.test_cli import NOW, Cli
from tests.helpers import cli_env, distinct_id, form

TODAY = date(2026, 11, 23)
LIHONG = "李红 09:00–10:30"
ZHANG = "张伟 14:00–16:00"
LAWYER = "沈律师 09:00–17:00"


def setup(hall: Hall) -> dict[str, str]:
    """The three receptions, three booked visitors checked in (the afternoon's first), a walk-in
    for each room; ticket number → whom they came for (the oracle, by construction)."""
    ids = [distinct_id(n) for n in range(1, 4)]
    for id_number in ids:
        hall.desk.issue(form(id_number=id_number), actor="desk01")
    morning = hall.leaders.add_day("lihong", TODAY, "09:00", "10:30", 5, actor="mgr01",
                                   walk_ins=True)
    afternoon = hall.leaders.add_day("zhangwei", TODAY, "14:00", "16:00", 5, actor="mgr01")
    hall.leaders.add_day("shenlv", TODAY, "09:00", "17:00", 20, actor="mgr01", walk_ins=True)
    late = hall.leaders.bookings.book(afternoon.id, ids[2], actor="desk01").booking
    early = [hall.leaders.bookings.book(morning.id, i, actor="desk01").booking for i in ids[:2]]
    came = {hall.leaders.bookings.check_in(late.id, actor="desk01").number: ZHANG}
    for b in early:
        came[hall.leaders.bookings.check_in(b.id, actor="desk01").number] = LIHONG
    came[hall.desk.issue(form(id_number=distinct_id(7), department="leader"),
                         actor="desk01").number] = LIHONG
    came[hall.desk.issue(form(id_number=distinct_id(8), category="legal_advice"),
                         actor="desk01").number] = LAWYER
    return came


def test_each_visitor_is_shown_with_the_reception_they_wait_for(hall: Hall) -> None:
    came = setup(hall)
    queue = hall.board.queue()
    shown = {e.number: e.waits_for for e in queue if e.department in ("leader", "lawyer")}
    assert shown == came
    assert {e.waits_for for e in queue if e.department not in ("leader", "lawyer")} == {""}
    # The leader's room calls the morning's bookings, then its walk-in; the afternoon's
    # booking, checked in first, waits for its own reception; the lawyer's visitor is not here.
    room = [e.number for e in hall.board.queue(["leader"])]
    assert [came[n] for n in room] == [LIHONG, LIHONG, ZHANG, LIHONG]
    window = hall.windows.view(20, viewer="mgr01")
    assert [e.waits_for for e in window.waiting] == [came[n] for n in room]
    called = hall.windows.call_next(13, actor="win13")
    assert called is not None and came[called.number] == LAWYER


def test_hall_queue_says_whom_each_waits_for(db_url: str, capsys, monkeypatch,
                                             tmp_path: Path) -> None:
    cli_env(monkeypatch, tmp_path, NOW, "mgr01")
    cli = Cli(db_url, capsys)
    add = ["leader-days", "add", "--date", "2026-11-23", "--capacity", "5", "--walk-ins"]
    assert cli(*add, "--leader", "lihong", "--start", "09:00", "--end", "10:30")[0] == 0
    issue = ["issue", "--name", "李秀英", "--id-number", distinct_id(3), "--category", "wages",
             "--matter", "工资", "--department", "leader", "--staff", "desk01"]
    assert cli(*issue)[0] == 0
    status, out, _ = cli("queue", "--department", "leader")
    assert status == 0 and f"候 {LIHONG}" in out
    (entry,) = cli.json("queue", "--department", "leader")
    assert entry["waits_for"] == LIHONG
