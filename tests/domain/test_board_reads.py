"""The board's reload: the latest calls read once, as plain rows, from statements built once.

Checked against peewee's own model query of the same calls (the oracle), on SQLite and, with
HALL_TEST_PG_URL, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from hall import Hall
from models import Ticket, TicketEvent
from tests.helpers import distinct_id, form


def _calls(hall: Hall, count: int) -> None:
    for n in range(1, count + 1):
        hall.desk.issue(form(id_number=distinct_id(n), category="reform"), actor="desk01")
    for n in range(count):
        window = (1, 2, 3)[n % 3]
        if n >= 3:
            hall.windows.finish(window, "answered", "win01")
        hall.windows.call_next(window, "win01")
        if n % 4 == 0:
            hall.windows.recall(window, "win01")


@contextmanager
def statements(hall: Hall) -> Iterator[list[str]]:
    """The SQL the hall runs inside the block."""
    seen: list[str] = []
    real = hall.db.execute_sql

    def counted(sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        seen.append(sql)
        return real(sql, params, *args, **kwargs)

    hall.db.execute_sql = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        hall.db.execute_sql = real  # type: ignore[method-assign]


def test_the_board_reads_the_latest_calls_once(hall: Hall) -> None:
    _calls(hall, 12)
    oracle = list(TicketEvent.select(TicketEvent, Ticket).join(Ticket)
                  .where(TicketEvent.kind.in_(("called", "recalled"))
                         & (Ticket.business_day == hall.today()))
                  .order_by(TicketEvent.id.desc()).limit(10))
    assert len(oracle) == 10
    hall.board.view(calls=10)  # the first reload reads the receptions too
    with statements(hall) as ran:
        view = hall.board.view(calls=10)
    assert [(c.event_id, c.number, c.window, c.kind, c.department) for c in view.recent] == [
        (e.id, e.ticket.number, e.window, e.kind, e.department) for e in oracle]
    assert view.recent[0].at == hall.local(oracle[0].at).strftime("%H:%M:%S")
    assert [c.window_title for c in view.recent[:3]] == [
        hall.config.window(c.window).title for c in view.recent[:3]]  # type: ignore[union-attr]
    calls = [sql for sql in ran if "ticket_event" in sql]
    assert len(calls) == 1  # not once for the list and again for the announcements
    assert len(ran) == 4  # calls, waiting counts, issued counts, the leaders' counter
    texts = hall.db._hall_statements  # type: ignore[attr-defined]
    assert texts["board.calls"] == calls[0]  # built once, kept with the database
    assert len(hall.board.view().recent) == hall.config.board.recent_calls


def test_queue_counts_match_the_tickets(hall: Hall) -> None:
    _calls(hall, 7)
    lengths = {q.department: (q.waiting, q.issued) for q in hall.board.queue_lengths()}
    waiting = Ticket.select().where((Ticket.business_day == hall.today())
                                    & (Ticket.status == "waiting") & (Ticket.department == "xfj"))
    issued = Ticket.select().where((Ticket.business_day == hall.today())
                                   & (Ticket.origin_department == "xfj"))
    assert lengths["xfj"] == (waiting.count(), issued.count()) == (0, 7)
    assert set(lengths) == {d.code for d in hall.config.departments}


def test_receptions_follow_the_leaders_counter_and_the_clock(hall: Hall) -> None:
    today: date = hall.today()
    assert hall.board.view().receptions == ()
    with statements(hall) as ran:
        hall.board.view()
    assert not [sql for sql in ran if "leader_day" in sql]  # nothing moved: not read again
    hall.leaders.add_day("shenlv", today, "08:30", "17:00", 20, actor="mgr01")
    assert [r.start for r in hall.board.view().receptions] == ["08:30"]
    with statements(hall) as ran:
        hall.board.view()
    assert not [sql for sql in ran if "leader_day" in sql]
    hall.clock.advance(minutes=1)  # type: ignore[attr-defined]
    with statements(hall) as ran:
        assert [r.start for r in hall.board.view().receptions] == ["08:30"]
    assert [sql for sql in ran if "leader_day" in sql]  # a new minute: read again
