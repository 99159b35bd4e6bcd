"""What a window does with the queue: call order, recall, no-show, transfer, finish, pause.

Every test runs on SQLite, and on PostgreSQL when HALL_TEST_PG_URL is set (the ``hall`` fixture).
Refused acts are checked to change nothing at all: change counter, row counts, window state and
every ticket's state are compared before and after.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.errors import NotFound, Refused
from hall.views import IssuedTicket
from models import AuditEvent, Ticket, TicketEvent, Visit, WindowState, is_sqlite
from tests.conftest import CST, MORNING
from tests.helpers import distinct_id, form, make_id, row_counts

ACTOR = "win01"


def issue(hall: Hall, n: int, category: str = "policy", **changes: Any) -> IssuedTicket:
    """Issue a ticket to visitor number ``n`` (xfj by default: windows 1, 2 and 3)."""
    return hall.desk.issue(form(id_number=distinct_id(n), category=category, **changes),
                      actor="desk01")


def state(hall: Hall) -> tuple[Any, ...]:
    """Everything a refused act must leave untouched."""
    tickets = sorted(Ticket.select(Ticket.id, Ticket.status, Ticket.department, Ticket.window,
                                   Ticket.recalls, Ticket.called_at).tuples())
    windows = sorted(WindowState.select(WindowState.number, WindowState.paused,
                                        WindowState.current).tuples())
    visits = sorted(Visit.select(Visit.id, Visit.department, Visit.outcome).tuples())
    return hall.change_version(), row_counts(), tickets, windows, visits


def unchanged(hall: Hall, act: Callable[[], object], error: type[Exception],
              match: str | None = None) -> str:
    """Run an act that must be refused; prove it changed nothing; return its message."""
    before = state(hall)
    with pytest.raises(error, match=match) as caught:
        act()
    assert state(hall) == before
    message = str(caught.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # Chinese, for staff
    return message


def called_events(number: str) -> int:
    return (TicketEvent.select().join(Ticket)
            .where((Ticket.number == number) & (TicketEvent.kind == "called")).count())


def status_of(number: str, day: str = "2026-11-23") -> str:
    return Ticket.get((Ticket.number == number) & (Ticket.business_day == day)).status


# -- call order ---------------------------------------------------------------------------------


def test_priority_first_then_issue_time(hall: Hall, clock: FixedClock) -> None:
    plain = issue(hall, 1)
    clock.advance(minutes=1)
    appointment = issue(hall, 2, priority="appointment")
    clock.advance(minutes=1)
    disabled = issue(hall, 3, priority="disabled")
    clock.advance(minutes=1)
    late_plain = issue(hall, 4)
    clock.advance(minutes=1)
    # Over 70 by the ID number: 老年人 ranks first without being asked for.
    elderly = hall.desk.issue(form(id_number=make_id("19500101", 5), category="policy"),
                         actor="desk01")
    expected = [elderly.number, disabled.number, appointment.number, plain.number,
                late_plain.number]
    assert [e.number for e in hall.board.queue()] == expected
    called = []
    for _ in expected:
        notice = hall.windows.call_next(1, ACTOR)
        assert notice is not None
        called.append(notice.number)
        hall.windows.finish(1, "answered", ACTOR)
    assert called == expected
    assert hall.windows.call_next(1, ACTOR) is None


def test_same_issue_time_keeps_issue_order(hall: Hall) -> None:
    numbers = [issue(hall, n).number for n in range(1, 6)]  # the clock stands still
    assert numbers == ["R001", "R002", "R003", "R004", "R005"]
    called = []
    for _ in numbers:
        called.append(hall.windows.call_next(2, ACTOR).number)  # type: ignore[union-attr]
        hall.windows.finish(2, "answered", ACTOR)
    assert called == numbers


def test_window_serving_several_departments_merges_their_queues(hall: Hall,
                                                                 clock: FixedClock) -> None:
    # Window 3 serves xfj and environment; window 1 xfj only.
    r1 = issue(hall, 1)
    clock.advance(minutes=1)
    e1 = issue(hall, 2, category="pollution")
    clock.advance(minutes=1)
    r2 = issue(hall, 3, priority="appointment")
    clock.advance(minutes=1)
    e2 = issue(hall, 4, category="pollution", priority="disabled")
    clock.advance(minutes=1)
    issue(hall, 5, category="wages")  # hrss: not window 3's
    assert (r1.number, e1.number) == ("R001", "E001")
    expected = [e2.number, r2.number, r1.number, e1.number]
    assert [e.number for e in hall.windows.view(3, viewer="mgr01").waiting] == expected
    called = []
    while (notice := hall.windows.call_next(3, "win03")) is not None:
        called.append((notice.number, notice.department, notice.window))
        hall.windows.finish(3, "answered", "win03")
    assert called == [("E002", "environment", 3), ("R002", "xfj", 3), ("R001", "xfj", 3),
                      ("E001", "environment", 3)]
    assert status_of("L001") == "waiting"
    assert [e.number for e in hall.board.queue()] == ["L001"]


def test_call_next_returns_none_when_nothing_waits(hall: Hall) -> None:
    issue(hall, 1, category="wages")  # waits for window 7, not window 1
    before = state(hall)
    assert hall.windows.call_next(1, ACTOR) is None
    assert state(hall)[:3] == before[:3]  # no event, no audit, no version bump
    assert hall.windows.view(1, viewer="mgr01").current is None


def test_call_next_notice_and_window_view(hall: Hall) -> None:
    issued = issue(hall, 1, category="wages")
    notice = hall.windows.call_next(7, "win07")
    assert notice is not None
    assert (notice.number, notice.department, notice.window, notice.kind) == (
        issued.number, "hrss", 7, "called")
    assert notice.window_title == "7号窗口"
    assert notice.at == "09:00:00"
    view = hall.windows.view(7, viewer="mgr01")
    assert view.current is not None
    assert (view.current.number, view.current.status, view.current.recalls) == (
        issued.number, "called", 0)
    assert view.current.id_number_masked != issued.visits[0].number  # masked, not raw
    assert view.waiting == ()
    ticket = Ticket.get(Ticket.number == issued.number)
    assert (ticket.status, ticket.window, ticket.recalls) == ("called", 7, 0)
    assert ticket.called_at == datetime(2026, 11, 23, 1, 0)  # naive UTC, as every table stores
    state_row = WindowState.get_by_id(7)
    assert (state_row.current_id, state_row.actor, state_row.paused) == (ticket.id, "win07", False)
    if is_sqlite(hall.db):  # SQLite would store a value of the wrong type without a word
        types = hall.db.execute_sql(
            "SELECT typeof(window), typeof(called_at), typeof(recalls) FROM ticket").fetchone()
        assert types == ("integer", "text", "integer")
        types = hall.db.execute_sql("SELECT typeof(current_id), typeof(paused), "
                                    "typeof(updated_at) FROM window_state").fetchone()
        assert types == ("integer", "integer", "text")
    assert hall.desk.ticket_status(issued.number).window == 7
    assert [c.number for c in hall.board.recent_calls()] == [issued.number]


def test_window_with_a_current_visitor_cannot_call_again(hall: Hall) -> None:
    issue(hall, 1)
    issue(hall, 2)
    assert hall.windows.call_next(1, ACTOR).number == "R001"  # type: ignore[union-attr]
    message = unchanged(hall, lambda: hall.windows.call_next(1, ACTOR), Refused)
    assert "R001" in message
    unchanged(hall, lambda: hall.windows.call_number(1, "R002", ACTOR), Refused, "R001")
    hall.windows.start_interview(1, ACTOR)
    unchanged(hall, lambda: hall.windows.call_next(1, ACTOR), Refused, "R001")
    hall.windows.finish(1, "answered", ACTOR)
    assert hall.windows.call_next(1, ACTOR).number == "R002"  # type: ignore[union-attr]


# -- the current visitor ------------------------------------------------------------------------


def test_recall_counts_and_is_shown_again(hall: Hall, clock: FixedClock) -> None:
    issue(hall, 1)
    first = hall.windows.call_next(1, ACTOR)
    clock.advance(seconds=30)
    again = hall.windows.recall(1, ACTOR)
    clock.advance(seconds=30)
    third = hall.windows.recall(1, ACTOR)
    assert (again.kind, again.number, again.window) == ("recalled", "R001", 1)
    assert first is not None and first.event_id < again.event_id < third.event_id
    assert hall.windows.view(1, viewer="mgr01").current.recalls == 2  # type: ignore[union-attr]
    assert Ticket.get(Ticket.number == "R001").recalls == 2
    assert [(c.kind, c.at) for c in hall.board.recent_calls()] == [
        ("recalled", "09:01:00"), ("recalled", "09:00:30"), ("called", "09:00:00")]
    assert called_events("R001") == 1


def test_recall_needs_a_called_visitor(hall: Hall) -> None:
    unchanged(hall, lambda: hall.windows.recall(1, ACTOR), Refused, "没有来访")
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    hall.windows.start_interview(1, ACTOR)
    unchanged(hall, lambda: hall.windows.recall(1, ACTOR), Refused, "接谈中")


def test_start_interview(hall: Hall) -> None:
    issue(hall, 1)
    unchanged(hall, lambda: hall.windows.start_interview(1, ACTOR), Refused, "没有来访")
    hall.windows.call_next(1, ACTOR)
    hall.windows.start_interview(1, ACTOR)
    assert status_of("R001") == "serving"
    view = hall.windows.view(1, viewer="mgr01")
    assert view.current is not None and view.current.status_label == "接谈中"
    unchanged(hall, lambda: hall.windows.start_interview(1, ACTOR), Refused, "接谈中")
    kinds = [e.kind for e in TicketEvent.select().order_by(TicketEvent.id)]
    assert kinds == ["issued", "called", "serving"]


def test_no_show_waits_for_the_recall_rule(hall: Hall, clock: FixedClock) -> None:
    rules = hall.config.calls
    assert rules.no_show_after_recalls >= 1
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    for _ in range(rules.no_show_after_recalls - 1):
        hall.windows.recall(1, ACTOR)
    clock.advance(minutes=rules.no_show_after_minutes, seconds=-1)
    current = hall.windows.view(1, viewer="mgr01").current
    assert current is not None and not current.no_show_allowed
    assert "尚不能过号" in current.no_show_hint
    message = unchanged(hall, lambda: hall.windows.no_show(1, ACTOR), Refused, "尚不能过号")
    assert f"已重呼 {rules.no_show_after_recalls - 1} 次" in message
    hall.windows.recall(1, ACTOR)
    assert hall.windows.view(1, viewer="mgr01").current.no_show_allowed  # type: ignore[union-attr]
    assert hall.windows.no_show(1, ACTOR) == "R001"
    assert status_of("R001") == "no_show"
    assert hall.windows.view(1, viewer="mgr01").current is None


def test_no_show_waits_for_the_minutes_rule(hall: Hall, clock: FixedClock) -> None:
    minutes = hall.config.calls.no_show_after_minutes
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    clock.advance(minutes=minutes, seconds=-1)
    unchanged(hall, lambda: hall.windows.no_show(1, ACTOR), Refused, "尚不能过号")
    clock.advance(seconds=1)
    assert hall.windows.no_show(1, ACTOR) == "R001"
    # The window is free again and calls the next one.
    assert hall.windows.call_next(1, ACTOR) is None


def test_no_show_refused_once_the_interview_started(hall: Hall, clock: FixedClock) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    hall.windows.start_interview(1, ACTOR)
    clock.advance(hours=1)
    unchanged(hall, lambda: hall.windows.no_show(1, ACTOR), Refused, "接谈中")


def test_requeue_puts_a_no_show_back_at_its_original_place(hall: Hall,
                                                          clock: FixedClock) -> None:
    for n in range(1, 4):
        issue(hall, n)
        clock.advance(minutes=1)
    hall.windows.call_next(1, ACTOR)  # R001
    clock.advance(minutes=hall.config.calls.no_show_after_minutes)
    hall.windows.no_show(1, ACTOR)
    assert [e.number for e in hall.board.queue()] == ["R002", "R003"]
    hall.windows.call_next(1, ACTOR)  # R002
    clock.advance(minutes=30)
    issue(hall, 4)  # R004: issued long after R001, so R001 goes back before it
    unchanged(hall, lambda: hall.windows.requeue("R003", "desk01"), Refused, "候谈")
    unchanged(hall, lambda: hall.windows.requeue("R099", "desk01"), NotFound, "R099")
    assert hall.windows.requeue(" r001 ", "desk01") == "R001"
    assert [e.number for e in hall.board.queue()] == ["R001", "R003", "R004"]
    ticket = Ticket.get(Ticket.number == "R001")
    assert (ticket.status, ticket.window, ticket.recalls, ticket.called_at) == (
        "waiting", None, 0, None)
    assert hall.windows.call_next(2, "win02").number == "R001"  # type: ignore[union-attr]
    kinds = [e.kind for e in TicketEvent.select().join(Ticket)
             .where(Ticket.number == "R001").order_by(TicketEvent.id)]
    assert kinds == ["issued", "called", "no_show", "requeued", "called"]


# -- transfer -----------------------------------------------------------------------------------


def test_transfer_keeps_number_priority_and_original_place(hall: Hall,
                                                           clock: FixedClock) -> None:
    z1 = issue(hall, 1, category="arrears")  # housing, window 8
    clock.advance(minutes=1)
    l1 = issue(hall, 2, category="wages", priority="appointment")  # hrss, window 7
    clock.advance(minutes=1)
    z2 = issue(hall, 3, category="arrears")
    clock.advance(minutes=1)
    z3 = issue(hall, 4, category="arrears", priority="appointment")
    assert (z1.number, l1.number, z2.number, z3.number) == ("Z001", "L001", "Z002", "Z003")
    hall.windows.call_next(7, "win07")
    hall.windows.start_interview(7, "win07")
    clock.advance(minutes=10)
    assert hall.windows.transfer(7, "housing", "win07", note="  属工程款清欠 ") == "L001"
    ticket = Ticket.get(Ticket.number == "L001")
    assert (ticket.department, ticket.origin_department, ticket.status, ticket.window) == (
        "housing", "hrss", "waiting", None)
    assert (l1.priority, ticket.priority_rank) == ("appointment", 3)
    assert Visit.get_by_id(l1.visit_id).department == "housing"
    assert hall.windows.view(7, viewer="mgr01").current is None
    # The appointment keeps its priority and its 09:01 place: before Z003 (09:03).
    assert [e.number for e in hall.board.queue(["housing"])] == ["L001", "Z003", "Z001", "Z002"]
    assert hall.board.queue(["hrss"]) == []
    event = TicketEvent.select().where(TicketEvent.kind == "transferred").get()
    assert (event.department, event.window, event.note) == ("housing", 7, "属工程款清欠")
    called = []
    while (notice := hall.windows.call_next(8, "win08")) is not None:
        called.append((notice.number, notice.department))
        hall.windows.finish(8, "answered", "win08")
    assert called == [("L001", "housing"), ("Z003", "housing"), ("Z001", "housing"),
                      ("Z002", "housing")]


def test_transfer_of_a_called_visitor_and_call_by_number_afterwards(hall: Hall) -> None:
    issue(hall, 1, category="wages")
    issue(hall, 2, category="arrears")
    hall.windows.call_next(7, "win07")
    hall.windows.recall(7, "win07")
    hall.windows.transfer(7, "housing", "win07")
    assert Ticket.get(Ticket.number == "L001").recalls == 0
    # Window 7 no longer serves it; window 8 (housing) may call it by its unchanged number.
    unchanged(hall, lambda: hall.windows.call_number(7, "L001", "win07"), Refused, "住建局")
    assert hall.windows.call_number(8, "L001", "win08").number == "L001"
    # The board's list keeps each call as it was made: the department it was called in.
    assert [(c.number, c.kind, c.window, c.department) for c in hall.board.recent_calls()] == [
        ("L001", "called", 8, "housing"), ("L001", "recalled", 7, "hrss"),
        ("L001", "called", 7, "hrss")]


def test_transfer_refusals_change_nothing(hall: Hall) -> None:
    unchanged(hall, lambda: hall.windows.transfer(7, "housing", "win07"), Refused, "没有来访")
    issue(hall, 1, category="wages")
    hall.windows.call_next(7, "win07")
    unchanged(hall, lambda: hall.windows.transfer(7, "hrss", "win07"), Refused, "同一部门")
    unchanged(hall, lambda: hall.windows.transfer(7, "nosuch", "win07"), Refused, "nosuch")
    unchanged(hall, lambda: hall.windows.transfer(99, "housing", "win07"), NotFound, "99")
    assert status_of("L001") == "called"


# -- finish -------------------------------------------------------------------------------------


def test_finish_records_the_outcome_on_the_visit_and_in_the_file(hall: Hall,
                                                                 clock: FixedClock) -> None:
    issued = issue(hall, 1, category="wages")
    hall.windows.call_next(7, "win07")
    hall.windows.start_interview(7, "win07")
    clock.advance(minutes=12)
    assert hall.windows.finish(7, "phone", "win07", note=" 已电话联系施工单位 ") == issued.number
    visit = Visit.get_by_id(issued.visit_id)
    assert (visit.outcome, visit.outcome_note, visit.finished_by) == (
        "phone", "已电话联系施工单位", "win07")
    assert visit.finished_at == datetime(2026, 11, 23, 1, 12)  # stored as naive UTC
    assert status_of(issued.number) == "done"
    assert hall.windows.view(7, viewer="mgr01").current is None
    file = hall.desk.visitor_file(distinct_id(1), viewer="mgr01")
    assert file is not None and file.last_visit is not None
    assert (file.last_visit.outcome, file.last_visit.outcome_label) == ("phone", "电话联系")
    # The outcome shows on the desk's repeat-visit banner of the next visit.
    clock.advance(days=1)
    again = issue(hall, 1, category="wages")
    assert again.repeat
    assert again.visits[1].outcome_label == "电话联系"
    event = TicketEvent.select().where(TicketEvent.kind == "finished").get()
    assert event.note == "电话联系"


def test_finish_without_an_interview_started(hall: Hall) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    hall.windows.finish(1, "answered", ACTOR)
    assert status_of("R001") == "done"


@pytest.mark.parametrize("outcome", ["rejected", "closed"])
def test_refusals_need_reason_and_channel(hall: Hall, outcome: str) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    for reason, channel in (("", ""), ("已经法院终审", ""), ("", "申请再审"), ("  ", " ")):
        unchanged(hall, lambda r=reason, c=channel: hall.windows.finish(  # type: ignore[misc]
            1, outcome, ACTOR, reason=r, channel=c), Refused, "理由")
    hall.windows.finish(1, outcome, ACTOR, reason=" 已经法院终审 ", channel=" 向上级法院申请再审 ")
    visit = Visit.get()
    assert (visit.outcome, visit.outcome_reason, visit.outcome_channel) == (
        outcome, "已经法院终审", "向上级法院申请再审")
    name = hall.config.outcome(outcome).name  # type: ignore[union-attr]
    assert hall.desk.visitor_file(distinct_id(1), viewer="mgr01").visits[0].outcome_label == name  # type: ignore


def test_finish_refusals_change_nothing(hall: Hall) -> None:
    issue(hall, 1)
    unchanged(hall, lambda: hall.windows.finish(1, "answered", ACTOR), Refused, "没有来访")
    unchanged(hall, lambda: hall.windows.finish(99, "answered", ACTOR), NotFound, "99")
    hall.windows.call_next(1, ACTOR)
    message = unchanged(hall, lambda: hall.windows.finish(1, "nosuch", ACTOR), Refused, "nosuch")
    assert "answered（当场答复）" in message
    unchanged(hall, lambda: hall.windows.finish(2, "answered", ACTOR), Refused, "没有来访")
    assert status_of("R001") == "called"


# -- unknown window, pause ----------------------------------------------------------------------


@pytest.mark.parametrize("act", [
    lambda h: h.windows.call_next(99, ACTOR),
    lambda h: h.windows.call_number(99, "R001", ACTOR),
    lambda h: h.windows.recall(99, ACTOR),
    lambda h: h.windows.start_interview(99, ACTOR),
    lambda h: h.windows.no_show(99, ACTOR),
    lambda h: h.windows.pause(99, ACTOR),
    lambda h: h.windows.resume(99, ACTOR),
    lambda h: h.windows.view(99, viewer="mgr01"),
], ids=["call", "call_number", "recall", "start", "no_show", "pause", "resume", "view"])
def test_unknown_window_is_not_found(hall: Hall, act: Callable[[Hall], object]) -> None:
    issue(hall, 1)
    message = unchanged(hall, lambda: act(hall), NotFound, "没有 99 号窗口")
    assert "1、2、3" in message


def test_pause_blocks_calls_until_resumed(hall: Hall) -> None:
    issue(hall, 1)
    hall.windows.pause(1, ACTOR)
    view = hall.windows.view(1, viewer="mgr01")
    assert view.paused and [e.number for e in view.waiting] == ["R001"]
    unchanged(hall, lambda: hall.windows.call_next(1, ACTOR), Refused, "暂停")
    unchanged(hall, lambda: hall.windows.call_number(1, "R001", ACTOR), Refused, "暂停")
    unchanged(hall, lambda: hall.windows.pause(1, ACTOR), Refused, "已暂停")
    # Another window of the department goes on calling.
    assert hall.windows.call_next(2, "win02").number == "R001"  # type: ignore[union-attr]
    hall.windows.finish(2, "answered", "win02")
    issue(hall, 2)
    hall.windows.resume(1, ACTOR)
    assert not hall.windows.view(1, viewer="mgr01").paused
    unchanged(hall, lambda: hall.windows.resume(1, ACTOR), Refused, "服务中")
    assert hall.windows.call_next(1, ACTOR).number == "R002"  # type: ignore[union-attr]


def test_pause_with_a_visitor_keeps_the_visitor(hall: Hall) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    hall.windows.pause(1, ACTOR)
    assert hall.windows.view(1, viewer="mgr01").current.number == "R001"  # type: ignore[union-attr]
    hall.windows.finish(1, "answered", ACTOR)
    assert status_of("R001") == "done"


# -- call a number ------------------------------------------------------------------------------


def test_call_number(hall: Hall, clock: FixedClock) -> None:
    for n in range(1, 4):
        issue(hall, n)
        clock.advance(minutes=1)
    issue(hall, 9, category="wages")
    notice = hall.windows.call_number(1, " r003 ", ACTOR)
    assert (notice.number, notice.window, notice.kind) == ("R003", 1, "called")
    assert [e.number for e in hall.board.queue(["xfj"])] == ["R001", "R002"]
    unchanged(hall, lambda: hall.windows.call_number(2, "R003", "win02"), Refused, "已叫号")
    unchanged(hall, lambda: hall.windows.call_number(2, "L001", "win02"), Refused, "人社局")
    unchanged(hall, lambda: hall.windows.call_number(2, "R404", "win02"), NotFound, "R404")
    hall.windows.finish(1, "answered", ACTOR)
    unchanged(hall, lambda: hall.windows.call_number(2, "R003", "win02"), Refused, "已办结")
    assert hall.windows.call_next(1, ACTOR).number == "R001"  # type: ignore[union-attr]


# -- audit and change counter -------------------------------------------------------------------


ACTS: list[tuple[str, Callable[[Hall, FixedClock], object], str]] = [
    ("call_next", lambda h, c: h.windows.call_next(1, "win02"), "ticket.called"),
    ("call_number", lambda h, c: h.windows.call_number(1, "R002", "win02"), "ticket.called"),
    ("recall", lambda h, c: (h.windows.call_next(1, "x"), h.windows.recall(1, "win02")),
     "ticket.recalled"),
    ("start", lambda h, c: (h.windows.call_next(1, "x"), h.windows.start_interview(1, "win02")),
     "ticket.serving"),
    ("no_show", lambda h, c: (h.windows.call_next(1, "x"), c.advance(hours=1),
                              h.windows.no_show(1, "win02")),
     "ticket.no_show"),
    ("transfer", lambda h, c: (h.windows.call_next(1, "x"),
                               h.windows.transfer(1, "court", "win02")),
     "ticket.transferred"),
    ("finish", lambda h, c: (h.windows.call_next(1, "x"), h.windows.finish(1, "answered", "win02")),
     "ticket.finished"),
    ("pause", lambda h, c: h.windows.pause(1, "win02"), "window.pause"),
    ("resume", lambda h, c: (h.windows.pause(1, "x"), h.windows.resume(1, "win02")),
     "window.resume"),
    ("requeue", lambda h, c: (h.windows.call_next(1, "x"), c.advance(hours=1),
                              h.windows.no_show(1, "x"), h.windows.requeue("R001", "win02")),
     "ticket.requeued"),
]


@pytest.mark.parametrize(("act", "action"), [(a, b) for _, a, b in ACTS],
                         ids=[name for name, _, _ in ACTS])
def test_every_act_is_audited_and_bumps_the_version(
        hall: Hall, clock: FixedClock, act: Callable[[Hall, FixedClock], object],
        action: str) -> None:
    issue(hall, 1)
    issue(hall, 2)
    audits_before = AuditEvent.select().where(AuditEvent.actor == "win02").count()
    version_before = hall.change_version()
    total_before = AuditEvent.select().count()
    act(hall, clock)
    mine = list(AuditEvent.select().where(AuditEvent.actor == "win02").order_by(AuditEvent.id))
    assert len(mine) == audits_before + 1
    assert mine[-1].action == action
    assert mine[-1].at == datetime(2026, 11, 23, 1, 0) + (
        timedelta(hours=1) if action in ("ticket.no_show", "ticket.requeued") else timedelta())
    acts = AuditEvent.select().count() - total_before
    assert hall.change_version() == version_before + acts  # one bump per audited act
    if mine[-1].entity == "ticket":
        detail = json.loads(mine[-1].detail)
        assert detail["number"] in ("R001", "R002")
        event = TicketEvent.select().order_by(TicketEvent.id.desc()).get()
        assert event.actor == "win02"
    else:
        assert (mine[-1].entity, mine[-1].entity_id) == ("window", "1")


# -- the business day ---------------------------------------------------------------------------


def test_yesterdays_waiting_tickets_are_never_called_today(hall: Hall,
                                                          clock: FixedClock) -> None:
    issue(hall, 1)
    issue(hall, 2)
    hall.windows.call_next(1, ACTOR)
    clock.advance(minutes=10)
    hall.windows.no_show(1, ACTOR)  # R001 no-show yesterday
    # 02:59 the next morning is still the same business day (rollover at 03:00).
    clock.set(datetime(2026, 11, 24, 2, 59, tzinfo=CST))
    assert [e.number for e in hall.board.queue()] == ["R002"]
    clock.set(datetime(2026, 11, 24, 3, 0, tzinfo=CST))
    assert hall.board.queue() == []
    before = state(hall)
    assert hall.windows.call_next(1, ACTOR) is None
    assert state(hall)[:3] == before[:3]
    unchanged(hall, lambda: hall.windows.call_number(1, "R002", ACTOR), NotFound, "R002")
    unchanged(hall, lambda: hall.windows.requeue("R001", "desk01"), NotFound, "R001")
    # Numbering restarts: today's R001 is called, yesterday's R001 and R002 stay as they were.
    today = issue(hall, 3)
    assert today.number == "R001"
    assert hall.windows.call_number(1, "R001", ACTOR).number == "R001"
    assert status_of("R001", "2026-11-24") == "called"
    assert (status_of("R001"), status_of("R002")) == ("no_show", "waiting")
    hall.windows.finish(1, "answered", ACTOR)
    assert hall.windows.call_next(1, ACTOR) is None
    file = hall.desk.visitor_file(distinct_id(2), viewer="mgr01")
    assert file.visits[0].outcome_label == "未接谈"  # type: ignore[union-attr]


def test_a_visitor_called_before_rollover_can_still_be_finished(hall: Hall,
                                                                clock: FixedClock) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    clock.set(MORNING + timedelta(days=1))
    issue(hall, 2)
    assert hall.windows.view(1, viewer="mgr01").current.number == "R001"  # type: ignore[union-attr]
    unchanged(hall, lambda: hall.windows.call_next(1, ACTOR), Refused, "R001")
    hall.windows.finish(1, "answered", ACTOR)
    assert hall.windows.call_next(1, ACTOR).number == "R001"  # type: ignore[union-attr]
    assert status_of("R001", "2026-11-24") == "called"
