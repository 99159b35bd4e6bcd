"""What the desk reads back and audits, pinned where mutation testing found no test (issue 15).

Each test here kills mutants of hall/desk/desk.py that passed the rest of the suite: a ticket read
back (``hall ticket``, a reprint, the desk's ticket screen) that is not the one issued on the day
asked for, or that loses its ids, priority, repeat mark, people or the visitor's visit dates; a
slip missing the hall, the queue, the people ahead, the time or the query code; an audited view of
a visitor's file that does not say which path it came through. Every test runs on SQLite, and on
PostgreSQL when HALL_TEST_PG_URL is set (the ``hall`` fixture).
"""

from __future__ import annotations

from datetime import date

from hall import Hall
from hall.clock import FixedClock
from hall.printing import TicketPrint
from models import Visit
from tests.helpers import form, make_id

VISITOR = make_id("19800101", 21)
OTHER = make_id("19800101", 22)
FIRST_DAY = date(2026, 11, 23)


def test_a_ticket_is_read_back_as_issued_on_the_day_asked_for(hall: Hall,
                                                                clock: FixedClock) -> None:
    """Numbers start again every day: L001 of the 23rd is another ticket than today's L001, and
    reading it back by number and day (``hall ticket L001 --date``) gives the one issued then."""
    first = hall.desk.issue(form(id_number=VISITOR, priority="disabled", people=3),
                            actor="desk01")
    clock.advance(days=1)
    hall.desk.issue(form(id_number=OTHER), actor="desk01")  # today's L001: another visitor
    again = hall.desk.issue(form(id_number=VISITOR, matter="工资仍未发放"), actor="desk01")
    assert (first.number, again.number) == ("L001", "L002")

    then = hall.desk.ticket("L001", FIRST_DAY)
    assert (then.ticket_id, then.visit_id, then.number, then.business_day, then.status,
            then.priority, then.priority_name, then.repeat, then.people, then.query_code,
            then.issued_at) == (
        first.ticket_id, first.visit_id, "L001", "2026-11-23", "waiting", "disabled", "残疾人",
        False, 3, first.query_code, "2026-11-23 09:00")
    assert hall.desk.ticket("L001").ticket_id != first.ticket_id  # today's L001

    now = hall.desk.ticket("L002")
    assert (now.ticket_id, now.visit_id, now.priority, now.priority_name, now.repeat,
            now.people, now.ahead) == (again.ticket_id, again.visit_id, "", "", True, 1, 1)
    # The visitor's visits, newest first, as a slip may show them: dates only, nothing else.
    assert [(v.visit_id, v.date, v.masked, v.number, v.matter) for v in now.visits] == [
        (again.visit_id, "2026-11-24", True, "", ""),
        (first.visit_id, "2026-11-23", True, "", "")]


def test_the_slip_shows_the_hall_the_queue_and_the_ticket(hall: Hall) -> None:
    hall.desk.issue(form(id_number=OTHER), actor="desk01")
    issued = hall.desk.issue(form(id_number=VISITOR), actor="desk01")
    ticket = hall.desk.ticket(issued.number)
    assert hall.desk.print_view(ticket) == TicketPrint(
        hall_name="江川市联合接访中心", number="L002", department_name="市人社局",
        windows=("7号窗口",), ahead=1, issued_at="2026-11-23 09:00",
        query_code=issued.query_code, qr_payload=issued.qr)


def test_a_files_history_and_visits_are_audited_with_the_path_they_came_through(
        hall: Hall) -> None:
    """The audit list tells an auditor where each view of a file came from: the history of its
    changes (``visitor.history``, via history) or its visits (``visitor.view``, via visits), the
    latter with the confidential visits shown in full, each also audited on its own."""
    report = hall.desk.issue(form(id_number=VISITOR, category="report",
                                  matter="举报某局干部收受贿赂"), actor="desk01")
    visitor = Visit.get_by_id(report.visit_id).visitor_id
    hall.desk.file_history(visitor, viewer="desk01")
    hall.desk.visits_of(visitor, viewer="mgr01")
    views = [(e.actor, e.action_label, e.entity, e.entity_id, e.detail)
             for e in hall.audit.events(viewer="mgr01")
             if e.action in ("visitor.history", "visitor.view", "visit.confidential")]
    assert views == [
        ("desk01", "查看档案变更", "visitor", str(visitor), {"via": "history"}),
        ("mgr01", "查看来访人档案", "visitor", str(visitor),
         {"via": "visits", "confidential": [report.visit_id]}),
        ("mgr01", "查看保密事项", "visit", str(report.visit_id),
         {"visitor": visitor, "via": "visits"})]
