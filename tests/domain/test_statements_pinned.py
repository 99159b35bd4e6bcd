"""The hot statements' rules pinned where mutation testing found no test (issue 15).

models/statements.py builds each statement once per database; these tests pin what the text must
say: a visitor's file keeps visits without a ticket and lists them newest first by registration
time; the claim and the desk's "first open ticket" follow issue time, not row ids; PostgreSQL's
claim passes a ticket another window is claiming, and the window's and the visitor file's row
locks hold against a second session. The lock tests need two sessions and run on PostgreSQL only
(HALL_TEST_PG_URL): SQLite serialises writers with BEGIN IMMEDIATE and has no row locks.
"""

from __future__ import annotations

from datetime import timedelta

import peewee
import pytest

from hall import Hall
from hall.clock import FixedClock, to_storage
from hall.desk.registration import NeedsConfirmation
from models import Ticket, Visit, is_sqlite, open_database
from models import statements as sql
from models.locks import locked_visitor
from tests.conftest import MORNING
from tests.domain.test_windows import issue


def test_the_file_keeps_visits_without_a_ticket_newest_first(hall: Hall,
                                                             clock: FixedClock) -> None:
    """一人一档: every visit stays in the file, newest registration first, the later-recorded
    first among visits registered at the same instant."""
    ticketed = issue(hall, 1)
    issue(hall, 2)  # another visitor's visit is not in this file

    def unticketed(minutes: int, matter: str) -> int:
        """A visit of the same visitor with no ticket (the schema allows it; the file shows it
        with no number), registered ``minutes`` after the ticketed one."""
        data = dict(Visit.get_by_id(ticketed.visit_id).__data__)
        del data["id"]
        data.update(registered_at=to_storage(MORNING + timedelta(minutes=minutes)), matter=matter)
        return int(Visit.insert(data).execute())

    earlier = unticketed(-30, "早些时候登记")  # a later row id, an earlier registration
    same_time = unticketed(0, "同时登记")
    hall.windows.call_next(1, "win01")
    hall.windows.finish(1, "answered", "win01")  # the visit row rewritten after the others
    visitor = Visit.get_by_id(ticketed.visit_id).visitor_id
    rows = [(v.visit_id, v.number, v.matter) for v in hall.desk.visits_of(visitor, viewer="mgr01")]
    assert rows == [(same_time, "", "同时登记"), (ticketed.visit_id, "R001", "工地拖欠工资三个月"),
                    (earlier, "", "早些时候登记")]


def test_the_claim_follows_issue_time_not_row_order(hall: Hall, clock: FixedClock) -> None:
    """Call order is priority, then the original issue time (acts.py, domain: 依次候谈); a ticket
    issued while the desk's clock read earlier (a clock set back, or two desks whose clocks
    differ, the later insert having the earlier time) is called first, as its slip said."""
    clock.advance(minutes=10)
    issue(hall, 1)  # R001 at 09:10, the lower row id
    clock.set(MORNING + timedelta(minutes=5))
    issue(hall, 2)  # R002 at 09:05
    assert [hall.desk.ticket_status(n).ahead for n in ("R002", "R001")] == [0, 1]
    assert [q.number for q in hall.board.queue(["xfj"])] == ["R002", "R001"]
    assert [hall.windows.call_next(w, f"win0{w}").number  # type: ignore[union-attr]
            for w in (1, 2)] == ["R002", "R001"]


def requeue_the_first_of_two(hall: Hall, clock: FixedClock) -> None:
    """R001 and R002 issued the same instant; R001 called, missed five minutes later and requeued
    (the requeue rewrites its row: PostgreSQL stores the new version at the heap's end)."""
    issue(hall, 1)
    issue(hall, 2)  # both at 09:00
    hall.windows.call_next(1, "win01")
    clock.advance(minutes=5)
    hall.windows.no_show(1, "win01")
    hall.windows.requeue("R001", "desk01")


def test_a_requeued_ticket_keeps_its_place_among_equal_issue_times(hall: Hall,
                                                                   clock: FixedClock) -> None:
    """Tickets issued the same instant go in issue order (row id); a requeue rewrites the row
    (PostgreSQL stores the new version at the heap's end) but not its place."""
    requeue_the_first_of_two(hall, clock)
    assert hall.desk.ticket_status("R001").ahead == 0
    assert [q.number for q in hall.board.queue(["xfj"])] == ["R001", "R002"]
    assert hall.windows.call_next(2, "win02").number == "R001"  # type: ignore[union-attr]


def test_a_prepared_statement_with_a_literal_is_refused_by_name(hall: Hall) -> None:
    with pytest.raises(AssertionError, match=r"^prepared statement 'probe' has parameters \[5\]$"):
        sql._run(hall.db, "probe", lambda p: Ticket.select(Ticket.id).where(Ticket.id == 5), ())


def test_the_first_insert_in_a_fresh_process_builds_the_field_list(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process starts with no field lists cached: the first insert of each table builds
    its list (every field but the id) and writes the row right."""
    monkeypatch.setattr(sql, "_FIELDS", {})
    issued = issue(hall, 1)
    ticket = Ticket.get_by_id(issued.ticket_id)
    assert (ticket.number, ticket.department, ticket.status, ticket.visit_id) == (
        "R001", "xfj", "waiting", issued.visit_id)
    assert Visit.get_by_id(issued.visit_id).matter == "工地拖欠工资三个月"


# -- PostgreSQL: two sessions -------------------------------------------------------------------


def _other_session(hall: Hall, db_url: str) -> peewee.Database:
    if is_sqlite(hall.db):
        pytest.skip("row locks between sessions: PostgreSQL only")
    return open_database(db_url)


def test_a_claim_passes_the_ticket_another_window_is_claiming(hall: Hall, db_url: str) -> None:
    issue(hall, 1)
    issue(hall, 2)
    other = _other_session(hall, db_url)
    day = hall.store.today()
    try:
        with other.atomic():  # another window, mid-claim: R001's row is locked
            assert sql.claim_next(other, day=day, departments=["xfj"], actor="win02")[1] == "R001"
            with hall.store.transaction():  # SKIP LOCKED: no wait, the next ticket
                mine = sql.claim_next(hall.db, day=day, departments=["xfj"], actor="win01")
                assert mine is not None and mine[1] == "R002"
    finally:
        other.close()


def test_a_window_row_stays_locked_until_the_act_ends(hall: Hall, db_url: str) -> None:
    assert hall.windows.call_next(1, "win01") is None  # the row exists, committed
    other = _other_session(hall, db_url)
    at = to_storage(hall.store.now())
    try:
        with other.atomic():  # one terminal of window 1, mid-act
            assert sql.lock_window(other, window=1, at=at) == (1, False, None)
            with pytest.raises(peewee.OperationalError, match="lock"):
                with hall.store.transaction():  # another terminal of window 1 must wait
                    hall.db.execute_sql("SET LOCAL lock_timeout = '50ms'")
                    sql.lock_window(hall.db, window=1, at=at)
    finally:
        other.close()



def test_a_visitors_file_stays_locked_while_a_desk_issues(hall: Hall, db_url: str) -> None:
    """Two desks issuing for the same person queue up on the file's row (models.locks)."""
    issued = issue(hall, 1)
    other = _other_session(hall, db_url)
    number = Visit.get_by_id(issued.visit_id).visitor.id_number
    try:
        with other.atomic():  # one desk, mid-issue
            assert locked_visitor(other, "id_card", number) is not None
            with pytest.raises(peewee.OperationalError, match="lock"):
                with hall.store.transaction():  # the other desk must wait
                    hall.db.execute_sql("SET LOCAL lock_timeout = '50ms'")
                    locked_visitor(hall.db, "id_card", number)
    finally:
        other.close()

def test_a_second_ticket_names_the_first_open_one_by_issue_time(hall: Hall,
                                                                clock: FixedClock) -> None:
    """A ticket at a window (接谈中) is still open; of two open tickets, the one issued first
    (by issue time, not row id) is the one the desk names."""
    clock.advance(minutes=10)
    issue(hall, 1)  # R001, 信访局, 09:10
    hall.windows.call_next(1, "win01")
    hall.windows.start_interview(1, "win01")
    with pytest.raises(NeedsConfirmation) as caught:
        issue(hall, 1)
    assert caught.value.errors["again_reason"].startswith("此人今天已有票号 R001（信访局综合接待）")
    clock.set(MORNING + timedelta(minutes=5))  # the desk's clock now reads earlier
    issue(hall, 1, category="wages", again_reason="另一事项")  # L001, 市人社局, 09:05
    with pytest.raises(NeedsConfirmation) as caught:
        issue(hall, 1, category="medical")
    assert caught.value.errors["again_reason"].startswith("此人今天已有票号 L001（市人社局）")


def test_of_open_tickets_issued_the_same_instant_the_desk_names_the_first(hall: Hall) -> None:
    issue(hall, 1)  # R001
    issue(hall, 1, category="wages", again_reason="另一事项")  # L001, the same instant
    issue(hall, 1, category="medical", again_reason="又一事项")  # H001
    with pytest.raises(NeedsConfirmation) as caught:
        issue(hall, 1, category="policy")
    assert caught.value.errors["again_reason"].startswith("此人今天已有票号 R001（")


def test_the_windows_queue_lists_by_issue_time_not_row_order(hall: Hall, clock: FixedClock) -> None:
    """The window's waiting list (waiting_rows) is in call order: its next entry is the ticket
    the next call takes, also when a desk's clock read earlier for the later insert."""
    clock.advance(minutes=10)
    issue(hall, 1)  # R001 at 09:10, the lower row id
    clock.set(MORNING + timedelta(minutes=5))
    issue(hall, 2)  # R002 at 09:05
    listed = hall.windows.view(1, viewer="win01").waiting
    assert [(q.number, q.issued_at) for q in listed] == [("R002", "09:05"), ("R001", "09:10")]
    assert hall.windows.call_next(1, "win01").number == "R002"  # type: ignore[union-attr]


def test_the_windows_queue_keeps_a_requeued_ticket_in_its_place(hall: Hall,
                                                               clock: FixedClock) -> None:
    """Tickets issued the same instant are listed in issue order (row id) at the window too; a
    requeue rewrites the row (PostgreSQL: a new version at the heap's end), not its place."""
    requeue_the_first_of_two(hall, clock)
    assert [q.number for q in hall.windows.view(2, viewer="win02").waiting] == ["R001", "R002"]
