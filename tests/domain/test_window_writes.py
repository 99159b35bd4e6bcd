"""Each window act writes only its own rows: the window's state row, its ticket, its visit.

A missing ``where`` on an update (pause, the transfer's visit update, the recall counter) would
rewrite every row of the table and pass any test that only looks at the row it meant to change.
So here every act runs inside :func:`tests.helpers.only_changes` for the tables it writes, in a
hall where several windows each have a visitor: the rows it must not touch are proven unchanged,
on SQLite in the default run and on PostgreSQL when HALL_TEST_PG_URL is set.

The same acts also leave a trace that says who did it, when, and at which window (issue 15, 5).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import pytest

from hall import Hall
from hall.clock import FixedClock, to_storage
from hall.views import IssuedTicket
from models import AuditEvent, Ticket, TicketEvent, Visit, WindowState
from tests.helpers import distinct_id, form, only_changes

Busy = dict[str, IssuedTicket]


def busy(hall: Hall, clock: FixedClock) -> Busy:
    """R001–R003 called at windows 1–3 (xfj), L001 at window 7 (hrss), R004 and Z001 waiting,
    window 8 idle (its state row exists): every table holds rows an act must leave alone."""
    tickets: Busy = {}
    for n, category in enumerate(["policy"] * 3 + ["wages", "policy", "arrears"], 1):
        ticket = hall.desk.issue(form(id_number=distinct_id(n), category=category), "desk01")
        tickets[ticket.number] = ticket
        clock.advance(seconds=10)
    for window in (1, 2, 3, 7):
        assert hall.windows.call_next(window, f"win{window:02d}") is not None
    hall.windows.pause(8, "win08")
    hall.windows.resume(8, "win08")
    clock.advance(minutes=10)  # past the no-show time rule
    return tickets


def writes(*scopes: tuple[Any, tuple[Any, ...]]) -> ExitStack:
    """``only_changes`` for several tables at once."""
    stack = ExitStack()
    for model, keys in scopes:
        stack.enter_context(only_changes(model, *keys))
    return stack


def test_pause_and_resume_touch_only_their_window(hall: Hall, clock: FixedClock) -> None:
    busy(hall, clock)
    with writes((WindowState, (2,)), (Ticket, ()), (Visit, ())):
        hall.windows.pause(2, "win02")
    assert [w.number for w in WindowState.select().where(WindowState.paused)] == [2]
    clock.advance(minutes=1)
    hall.windows.pause(3, "win03")
    with writes((WindowState, (2,)), (Ticket, ()), (Visit, ())):
        hall.windows.resume(2, "win02")
    assert [w.number for w in WindowState.select().where(WindowState.paused)] == [3]


def test_recall_counts_on_its_ticket_only(hall: Hall, clock: FixedClock) -> None:
    tickets = busy(hall, clock)
    with writes((Ticket, (tickets["R002"].ticket_id,)), (Visit, ()), (WindowState, ())):
        hall.windows.recall(2, "win02")
    recalls = dict(Ticket.select(Ticket.number, Ticket.recalls).tuples())
    assert recalls == {"R001": 0, "R002": 1, "R003": 0, "R004": 0, "L001": 0, "Z001": 0}


def test_transfer_moves_its_own_visit_only(hall: Hall, clock: FixedClock) -> None:
    tickets = busy(hall, clock)
    moved = tickets["L001"]
    with writes((Visit, (moved.visit_id,)), (Ticket, (moved.ticket_id,)), (WindowState, (7,))):
        hall.windows.transfer(7, "housing", "win07")
    departments = dict(Visit.select(Visit.id, Visit.department).tuples())
    assert departments == {t.visit_id: ("housing" if t is moved else t.department)
                           for t in tickets.values()}


@pytest.mark.parametrize(("act", "number", "window"), [
    (lambda h: h.windows.start_interview(1, "win01"), "R001", 1),
    (lambda h: h.windows.no_show(3, "win03"), "R003", 3),
    (lambda h: h.windows.finish(2, "answered", "win02"), "R002", 2),
    (lambda h: h.windows.call_number(8, "Z001", "win08"), "Z001", 8),
], ids=["interview", "no_show", "finish", "call_number"])
def test_the_other_acts_touch_only_their_rows(hall: Hall, clock: FixedClock,
                                              act: Callable[[Hall], object], number: str,
                                              window: int) -> None:
    tickets = busy(hall, clock)
    ticket = tickets[number]
    states = () if number == "R001" else (window,)  # the interview keeps the window's visitor
    visits = (ticket.visit_id,) if number == "R002" else ()  # finishing records the outcome
    with writes((Ticket, (ticket.ticket_id,)), (Visit, visits), (WindowState, states)):
        act(hall)


def test_call_next_takes_one_ticket(hall: Hall, clock: FixedClock) -> None:
    tickets = busy(hall, clock)
    hall.windows.finish(1, "answered", "win01")
    with writes((Ticket, (tickets["R004"].ticket_id,)), (Visit, ()), (WindowState, (1,))):
        hall.windows.call_next(1, "win01")


# -- who, when, where (issue 15, item 5) -------------------------------------------------------


def test_a_requeued_no_show_starts_again_from_no_recall(hall: Hall, clock: FixedClock) -> None:
    tickets = busy(hall, clock)
    hall.windows.recall(3, "win03")
    hall.windows.recall(3, "win03")
    hall.windows.no_show(3, "win03")
    with only_changes(Ticket, tickets["R003"].ticket_id) as diff, writes((Visit, ()),
                                                                         (WindowState, ())):
        hall.windows.requeue("R003", "desk01")
    ticket = Ticket.get_by_id(tickets["R003"].ticket_id)
    assert (ticket.status, ticket.recalls, ticket.called_at, ticket.window) == (
        "waiting", 0, None, None)
    assert set(diff.changed[ticket.id]) == {"status", "recalls", "called_at", "window"}
    # Called again, the no-show rule counts this call's recalls only.
    hall.windows.finish(1, "answered", "win01")
    hall.windows.finish(2, "answered", "win02")
    assert hall.windows.call_next(1, "win01").number == "R003"  # type: ignore[union-attr]
    assert hall.windows.view(1, viewer="mgr01").current.recalls == 0  # type: ignore[union-attr]


def test_a_transfer_clears_the_call(hall: Hall, clock: FixedClock) -> None:
    tickets = busy(hall, clock)
    hall.windows.recall(7, "win07")
    hall.windows.transfer(7, "housing", "win07")
    ticket = Ticket.get_by_id(tickets["L001"].ticket_id)
    assert (ticket.status, ticket.window, ticket.called_at, ticket.recalls) == (
        "waiting", None, None, 0)
    # A window of the new department calling it later starts the no-show clock afresh.
    clock.advance(minutes=30)
    hall.windows.call_number(8, "L001", "win08")
    called = Ticket.get_by_id(ticket.id).called_at
    assert called == to_storage(hall.store.now())
    assert hall.windows.view(8, viewer="mgr01").current.no_show_allowed is False  # type: ignore[union-attr]


def test_pause_and_resume_record_actor_and_time(hall: Hall, clock: FixedClock) -> None:
    busy(hall, clock)
    hall.windows.pause(2, "win02")
    paused_at = to_storage(hall.store.now())
    row = WindowState.get_by_id(2)
    assert (row.paused, row.actor, row.updated_at) == (True, "win02", paused_at)
    clock.advance(minutes=7)
    hall.windows.resume(2, "clerk9")
    row = WindowState.get_by_id(2)
    resumed_at = to_storage(hall.store.now())
    assert (row.paused, row.actor, row.updated_at) == (False, "clerk9", resumed_at)
    audit = [(a.action, a.actor, a.entity, a.entity_id, a.at) for a in AuditEvent.select()
             .where(AuditEvent.entity == "window").order_by(AuditEvent.id)]
    assert audit[-2:] == [("window.pause", "win02", "window", "2", paused_at),
                          ("window.resume", "clerk9", "window", "2", resumed_at)]


def test_every_window_event_carries_its_window(hall: Hall, clock: FixedClock) -> None:
    busy(hall, clock)
    hall.windows.recall(1, "win01")
    hall.windows.start_interview(1, "win01")
    hall.windows.finish(1, "answered", "win01")
    hall.windows.no_show(3, "win03")
    hall.windows.transfer(7, "housing", "win07")
    hall.windows.call_number(8, "L001", "win08")
    events = list(TicketEvent.select().where(TicketEvent.kind != "issued"))
    assert {e.kind for e in events} == {"called", "recalled", "serving", "finished", "no_show",
                                        "transferred"}
    assert [(e.kind, e.actor) for e in events if e.window != int(e.actor[3:])] == []
    audits = [a for a in AuditEvent.select().where(AuditEvent.entity == "ticket")
              if a.action != "ticket.issue"]
    assert len(audits) == len(events)
    assert [a.action for a in audits
            if json.loads(a.detail)["window"] != int(a.actor[3:])] == []
    # Requeueing happens at the desk: its event names no window, and says so.
    hall.windows.requeue("R003", "desk01")
    requeued = TicketEvent.get(TicketEvent.kind == "requeued")
    assert (requeued.window, requeued.actor) == (None, "desk01")
