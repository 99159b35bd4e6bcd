"""The desk's writes touch only their rows: a returning visitor's typed details update that
visitor's file, and no other (issue 15: every write proves the rows it must not touch)."""

from __future__ import annotations

from hall import Hall
from hall.clock import FixedClock
from models import Ticket, Visit, Visitor
from tests.helpers import distinct_id, form, only_changes


def test_a_returning_visitors_new_details_update_only_their_file(hall: Hall,
                                                                 clock: FixedClock) -> None:
    for n in range(1, 5):
        hall.desk.issue(form(id_number=distinct_id(n), phone=f"1381234567{n}"), "desk01")
    returning = Visitor.get(Visitor.id_number == distinct_id(3))
    clock.advance(minutes=5)
    with only_changes(Visitor, returning.id) as diff:
        ticket = hall.desk.issue(form(id_number=distinct_id(3), phone="13900000000",
                                      address="江北区新址1号", again_reason="另一事项"), "desk01")
    assert set(diff.changed[returning.id]) == {"phone", "address", "updated_at"}
    assert Visit.get_by_id(ticket.visit_id).visitor_id == returning.id
    phones = dict(Visitor.select(Visitor.id_number, Visitor.phone).tuples())
    assert phones == {distinct_id(n): ("13900000000" if n == 3 else f"1381234567{n}")
                      for n in range(1, 5)}


def test_a_returning_visitor_with_nothing_new_changes_no_file(hall: Hall) -> None:
    for n in range(1, 4):
        hall.desk.issue(form(id_number=distinct_id(n), phone=f"1381234567{n}"), "desk01")
    with only_changes(Visitor), only_changes(Ticket), only_changes(Visit):
        hall.desk.ticket_status("L002")
    with only_changes(Visitor):
        hall.desk.issue(form(id_number=distinct_id(2), phone="", again_reason="另一事项"),
                        "desk01")
